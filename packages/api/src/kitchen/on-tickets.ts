import { tracked } from '@trpc/server';
import { kitchenOnTicketsInput } from '@bistro/domain';
import { followKitchen, parseEventId } from '../orders/feed.js';
import { staffProcedure } from '../trpc.js';

/**
 * The kitchen's live feed of a location's tickets, over server-sent events: every event (placed,
 * accepted, ready, completed, cancelled, rejected) with the ticket as it then was. Start with
 * `kitchen.queue`, then subscribe with its `lastEventId`; a screen that reconnects resumes after
 * the last event it got, on whichever instance it reaches.
 */
export const onTickets = staffProcedure.input(kitchenOnTicketsInput).subscription(async function* ({ ctx, input, signal }) {
  const events = followKitchen(ctx, { locationId: ctx.locationId, after: parseEventId(input.lastEventId), signal });
  for await (const event of events) {
    yield tracked(String(event.eventId), event);
  }
});
