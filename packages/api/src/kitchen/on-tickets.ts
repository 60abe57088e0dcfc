import { kitchenOnTicketsInput } from '@bistro/domain';
import { BistroError, notFound } from '../errors.js';
import { liveSession, parseEventId } from '../orders/fan-out.js';
import { followKitchen } from '../orders/tickets.js';
import { stationHere } from '../stations/queries.js';
import { roleAt, staffProcedure } from '../trpc.js';

/**
 * The kitchen's live feed of a location's tickets, over server-sent events: every event (placed,
 * accepted, ready, completed, cancelled, rejected) with the ticket as it then was (times as Dates,
 * like kitchen.queue's; with `stationId`, only that station's lines and tickets). Start with `kitchen.queue`, then subscribe with its `lastEventId`; a screen that
 * reconnects resumes after the last event it got, on whichever instance it reaches.
 *
 * The feed ends (UNAUTHORIZED, or NOT_FOUND like any outsider) as soon as the caller's session
 * ends or they are no longer staff here, not at the next reconnect.
 */
export const onTickets = staffProcedure.meta({ scope: 'kitchen:read' }).input(kitchenOnTicketsInput).subscription(async ({ ctx, input, signal }) => {
  // A station of another location (or none) answers NOT_FOUND before the feed starts.
  if (input.stationId) await stationHere(ctx.db, ctx.locationId, input.stationId);
  const { auth, locationId } = ctx;
  // The feed itself, not a generator around it: one layer less for every event and screen.
  return followKitchen(ctx, {
    locationId,
    stationId: input.stationId ?? null,
    after: parseEventId(input.lastEventId),
    signal,
    access: {
      userId: auth.user.id,
      sessionId: auth.session.id,
      check: async () => {
        const rights = await liveSession(ctx.db, auth.session.id, ctx.now());
        if (!rights) throw new BistroError('UNAUTHORIZED', 'Your session has ended; sign in again');
        if (!roleAt({ ...auth, user: { ...auth.user, isAdmin: rights.isAdmin }, roles: rights.roles }, locationId)) throw notFound('Location');
      },
    },
  });
});
