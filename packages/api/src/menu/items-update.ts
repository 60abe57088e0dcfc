import { itemUpdateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { notFound } from '../errors.js';
import { routableStation } from '../stations/queries.js';
import { managerProcedure } from '../trpc.js';
import { assertEditable, endOf, lockForEdit, updateIfCurrent } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Changes an item (name, description, price, allergens, category, station) if nobody changed it since
 * the editor loaded `version`: of two managers saving the same version, one wins and the
 * other gets STALE_VERSION with nothing changed. A new category or station must be of the same location.
 */
export const update = managerProcedure.input(itemUpdateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const item = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockForEdit(trx, 'menu_items', input.itemId, 'Item');
    const moving = input.categoryId !== undefined && input.categoryId !== before.categoryId;
    if (moving) {
      const category = await trx
        .selectFrom('menu_categories')
        .select(['id', 'location_id', 'archived_at as archivedAt'])
        .where('id', '=', input.categoryId!)
        .forShare()
        .executeTakeFirst();
      // Another location's category answers like one that does not exist.
      if (category?.location_id !== locationId) throw notFound('Category');
      assertEditable(category, 'Category');
    }
    // Re-routing applies from the next sale on: lines already sold keep their station.
    const rerouting = input.stationId !== undefined && input.stationId !== before.stationId;
    const stationId = rerouting && input.stationId ? await routableStation(trx, locationId, input.stationId) : null;
    const changes = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.priceMinor !== undefined && { price_minor: input.priceMinor }),
      ...(input.allergens !== undefined && { allergens: input.allergens }),
      ...(rerouting && { station_id: stationId }),
      ...(moving && { category_id: input.categoryId!, sort_order: endOf('menu_items', 'category_id', input.categoryId!) }),
    };
    const after = await updateIfCurrent(trx, 'menu_items', { id: input.itemId, version: input.version }, changes, now, 'Item');
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: 'menu.item_updated', locationId, targetType: 'menu_item', targetId: after.id, details: { before, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return item;
});
