import { categoryCreateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { categoryColumns, endOf } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Adds a category at the end of the location's menu. */
export const create = managerProcedure.input(categoryCreateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const category = await ctx.db.transaction().execute(async (trx) => {
    const after = await trx
      .insertInto('menu_categories')
      .values({
        location_id: locationId,
        name: input.name,
        description: input.description ?? '',
        sort_order: endOf('menu_categories', 'location_id', locationId),
        created_at: ctx.now(),
        updated_at: ctx.now(),
      })
      .returning(categoryColumns)
      .executeTakeFirstOrThrow();
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: 'menu.category_created', locationId, targetType: 'menu_category', targetId: after.id, details: { before: null, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return category;
});
