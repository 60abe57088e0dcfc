import { stationReorderInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { reorderActive } from '../menu/editing.js';
import { managerProcedure } from '../trpc.js';
import { activeStations } from './queries.js';

/**
 * Puts the location's stations in the given order, in one transaction, like a menu reorder: the
 * list must hold every active station exactly once (a list made from a stale screen is refused
 * with MENU_ORDER_MISMATCH, not half-applied). Returns the stations in their new order.
 */
export const reorder = managerProcedure.input(stationReorderInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    // An archive or rename waits for this one.
    const before = await reorderActive(trx, 'stations', { column: 'location_id', id: locationId }, input.stationIds, { field: 'stationIds', what: 'station' }, now);
    await recordAudit(trx, ctx, { action: 'station.reordered', locationId, targetType: 'location', targetId: locationId, details: { before, after: input.stationIds } });
    return activeStations(trx, locationId);
  });
});
