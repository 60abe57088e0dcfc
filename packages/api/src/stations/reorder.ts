import { stationReorderInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { applyOrder, assertSameEntries } from '../menu/editing.js';
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
    // Locked in id order so two reorders never deadlock; an archive or rename waits for this one.
    const active = await trx
      .selectFrom('stations')
      .select(['id', 'sort_order'])
      .where('location_id', '=', locationId)
      .where('archived_at', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    assertSameEntries(
      'stationIds',
      input.stationIds,
      active.map((s) => s.id),
      'station',
    );
    const before = [...active].sort((a, b) => a.sort_order - b.sort_order || a.id.localeCompare(b.id)).map((s) => s.id);
    await applyOrder(trx, 'stations', input.stationIds, now);
    await recordAudit(trx, ctx, { action: 'station.reordered', locationId, targetType: 'location', targetId: locationId, details: { before, after: input.stationIds } });
    return activeStations(trx, locationId);
  });
});
