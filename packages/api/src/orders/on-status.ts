import { tracked } from '@trpc/server';
import { orderOnStatusInput } from '@bistro/domain';
import { publicProcedure } from '../trpc.js';
import { orderOfOrderer } from './access.js';
import { followOrder, parseEventId } from './feed.js';

/**
 * Live status of one order, over server-sent events, for the customer who placed it (by id) or
 * anyone holding its tracking token. Without `lastEventId` it starts from the order's first
 * event; a client that reconnects resumes after the last event it got (httpSubscriptionLink
 * sends it), so it misses nothing and gets nothing twice.
 */
export const onStatus = publicProcedure.input(orderOnStatusInput).subscription(async function* ({ ctx, input, signal }) {
  const ref = await orderOfOrderer(ctx, input);
  const events = followOrder(ctx, { locationId: ref.locationId, orderId: ref.orderId, after: parseEventId(input.lastEventId), signal });
  for await (const event of events) {
    yield tracked(String(event.eventId), event);
  }
});
