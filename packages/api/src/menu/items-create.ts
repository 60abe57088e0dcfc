import { itemCreateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { routableStation } from '../stations/queries.js';
import { managerProcedure } from '../trpc.js';
import { endOf, itemColumns, lockCategoryForShare } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Adds an item at the end of a category. Its price is integer minor units of the location's currency;
 * `stationId` routes it to a kitchen station of the same location.
 */
export const create = managerProcedure.input(itemCreateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const item = await ctx.db.transaction().execute(async (trx) => {
    const category = await lockCategoryForShare(trx, input.categoryId);
    const stationId = input.stationId ? await routableStation(trx, locationId, input.stationId) : null;
    const after = await trx
      .insertInto('menu_items')
      .values({
        location_id: locationId,
        category_id: category.id,
        name: input.name,
        description: input.description ?? '',
        price_minor: input.priceMinor,
        allergens: input.allergens ?? [],
        station_id: stationId,
        sort_order: endOf('menu_items', 'category_id', category.id),
        created_at: ctx.now(),
        updated_at: ctx.now(),
      })
      .returning(itemColumns)
      .executeTakeFirstOrThrow();
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: 'menu.item_created', locationId, targetType: 'menu_item', targetId: after.id, details: { before: null, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return item;
});
