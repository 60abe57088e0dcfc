import { kitchenQueueInput } from '@bistro/domain';
import { latestEventId } from '../orders/fan-out.js';
import { openTickets } from '../orders/tickets.js';
import { stationHere } from '../stations/queries.js';
import { kitchenQueueOutput } from '../outputs.js';
import { staffProcedure } from '../trpc.js';

/**
 * The open tickets (placed, preparing, ready) in the order they should be cooked: wanted-at,
 * then placed-at. With `lastEventId`, the position to start `kitchen.onTickets` from so no
 * change between this read and the subscription is lost (read first: a later event is replayed).
 * With `stationId` (a station of this location, else NOT_FOUND), each ticket carries only that
 * station's lines and a ticket with none is left out; without it (expo), whole orders, each line
 * with its station. `prepMinutes` is the location's prep time, which a ticket's age is shown against.
 */
export const queue = staffProcedure
  .meta({ scope: 'kitchen:read', openapi: { method: 'GET', path: '/locations/{locationId}/kitchen/queue', tags: ['kitchen'], summary: 'The open tickets, in cooking order' } })
  .input(kitchenQueueInput)
  .output(kitchenQueueOutput)
  .query(async ({ ctx, input }) => {
  const stationId = input.stationId ? await stationHere(ctx.db, ctx.locationId, input.stationId) : null;
  const lastEventId = await latestEventId(ctx.db, ctx.locationId);
  const tickets = await openTickets(ctx.db, ctx.locationId, ctx.now(), stationId);
  // What a ticket's age is measured against on the screen (amber, then red).
  const { prepMinutes } = await ctx.db.selectFrom('locations').select('prep_minutes as prepMinutes').where('id', '=', ctx.locationId).executeTakeFirstOrThrow();
  return { tickets, lastEventId: String(lastEventId), prepMinutes };
});
