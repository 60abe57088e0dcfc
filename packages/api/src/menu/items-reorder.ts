import { itemReorderInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { lockCategoryForShare, reorderActive } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Puts a category's items in the given order; the list must hold every active item of it exactly once. */
export const reorder = managerProcedure.input(itemReorderInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const items = await ctx.db.transaction().execute(async (trx) => {
    const category = await lockCategoryForShare(trx, input.categoryId);
    const before = await reorderActive(trx, 'menu_items', { column: 'category_id', id: category.id }, input.itemIds, { field: 'itemIds', what: 'item' }, now);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, {
      action: 'menu.items_reordered',
      locationId,
      targetType: 'menu_category',
      targetId: category.id,
      details: { before, after: input.itemIds },
    });
    return trx
      .selectFrom('menu_items')
      .select(['id', 'sort_order as sortOrder', 'version'])
      .where('category_id', '=', category.id)
      .where('archived_at', 'is', null)
      .orderBy('sort_order')
      .orderBy('id')
      .execute();
  });
  menuChanged(ctx, locationId);
  return items;
});
