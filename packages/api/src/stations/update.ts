import { stationUpdateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError, notFound } from '../errors.js';
import { isUniqueViolation } from '../locations/details.js';
import { managerProcedure } from '../trpc.js';
import { stationColumns, stationNameTaken } from './queries.js';

/**
 * Renames a station, moves it in the list, or archives it. Archiving un-routes its items (they
 * go to no station from the next sale on); lines already sold keep the station they were routed to.
 */
export const update = managerProcedure.input(stationUpdateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('stations')
        .select([...stationColumns, 'archived_at as archivedAt'])
        .where('id', '=', input.stationId)
        .where('location_id', '=', locationId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('Station');
      if (before.archivedAt) throw new BistroError('MENU_ENTRY_ARCHIVED', 'Station is archived');
      const after = await trx
        .updateTable('stations')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.sortOrder !== undefined && { sort_order: input.sortOrder }),
          ...(input.archived && { archived_at: now }),
          updated_at: now,
        })
        .where('id', '=', input.stationId)
        .returning([...stationColumns, 'archived_at as archivedAt'])
        .executeTakeFirstOrThrow();
      let unrouted = 0;
      if (input.archived) {
        const items = await trx.updateTable('menu_items').set({ station_id: null }).where('station_id', '=', input.stationId).returning('id').execute();
        unrouted = items.length;
      }
      await recordAudit(trx, ctx, {
        action: input.archived ? 'station.archived' : 'station.updated',
        locationId,
        targetType: 'station',
        targetId: after.id,
        details: { before, after, ...(input.archived && { unroutedItems: unrouted }) },
      });
      return { id: after.id, name: after.name, sortOrder: after.sortOrder, archived: after.archivedAt !== null, unroutedItems: unrouted };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'stations_name_idx')) throw stationNameTaken();
    throw error;
  }
});
