import { stationCreateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { isUniqueViolation } from '../locations/details.js';
import { managerProcedure } from '../trpc.js';
import { stationColumns, stationNameTaken } from './queries.js';

/** Adds a station at the end of the location's list. A name already used by an active station here is ALREADY_EXISTS. */
export const create = managerProcedure.input(stationCreateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const after = await trx
        .insertInto('stations')
        .values((eb) => ({
          location_id: locationId,
          name: input.name,
          sort_order: eb
            .selectFrom('stations')
            .select((s) => s.fn.coalesce(s(s.fn.max('sort_order'), '+', 1), s.lit(0)).as('next'))
            .where('location_id', '=', locationId)
            .where('archived_at', 'is', null),
          created_at: ctx.now(),
          updated_at: ctx.now(),
        }))
        .returning(stationColumns)
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'station.created', locationId, targetType: 'station', targetId: after.id, details: { before: null, after } });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'stations_name_idx')) throw stationNameTaken();
    throw error;
  }
});
