import { kitchenQueueInput } from '@bistro/domain';
import { latestEventId } from '../orders/fan-out.js';
import { openTickets } from '../orders/tickets.js';
import { kitchenQueueOutput } from '../outputs.js';
import { staffProcedure } from '../trpc.js';

/**
 * The open tickets (placed, preparing, ready) in the order they should be cooked: wanted-at,
 * then placed-at. With `lastEventId`, the position to start `kitchen.onTickets` from so no
 * change between this read and the subscription is lost (read first: a later event is replayed).
 */
export const queue = staffProcedure
  .meta({ scope: 'kitchen:read', openapi: { method: 'GET', path: '/locations/{locationId}/kitchen/queue', tags: ['kitchen'], summary: 'The open tickets, in cooking order' } })
  .input(kitchenQueueInput)
  .output(kitchenQueueOutput)
  .query(async ({ ctx }) => {
  const lastEventId = await latestEventId(ctx.db, ctx.locationId);
  const tickets = await openTickets(ctx.db, ctx.locationId, ctx.now());
  return { tickets, lastEventId: String(lastEventId) };
});
