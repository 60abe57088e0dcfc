import { categoryReorderInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { reorderActive } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Puts the location's categories in the given order. The list must hold every active category
 * exactly once (a list made from a stale screen is refused, not half-applied).
 */
export const reorder = managerProcedure.input(categoryReorderInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const categories = await ctx.db.transaction().execute(async (trx) => {
    const before = await reorderActive(trx, 'menu_categories', { column: 'location_id', id: locationId }, input.categoryIds, { field: 'categoryIds', what: 'category' }, now);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, {
      action: 'menu.categories_reordered',
      locationId,
      targetType: 'location',
      targetId: locationId,
      details: { before, after: input.categoryIds },
    });
    return trx
      .selectFrom('menu_categories')
      .select(['id', 'sort_order as sortOrder', 'version'])
      .where('location_id', '=', locationId)
      .where('archived_at', 'is', null)
      .orderBy('sort_order')
      .orderBy('id')
      .execute();
  });
  menuChanged(ctx, locationId);
  return categories;
});
