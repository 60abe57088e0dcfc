import { orderOnStatusInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { ordererProcedure } from './access.js';
import { liveSession, parseEventId } from './fan-out.js';
import { followOrder } from './tickets.js';

/**
 * Live status of one order, over server-sent events, for the customer who placed it (by id) or
 * anyone holding its tracking token. Without `lastEventId` it starts from the order's first
 * event; a client that reconnects resumes after the last event it got (httpSubscriptionLink
 * sends it), so it misses nothing and gets nothing twice. A customer's feed ends (UNAUTHORIZED)
 * as soon as the session it runs on ends.
 */
export const onStatus = ordererProcedure.input(orderOnStatusInput).subscription(async function* ({ ctx, input, signal }) {
  const ref = ctx.order;
  const auth = ref.viewer === 'owner' ? ctx.auth : null;
  const events = followOrder(ctx, {
    locationId: ref.locationId,
    orderId: ref.orderId,
    after: parseEventId(input.lastEventId),
    signal,
    access: auth && {
      userId: auth.user.id,
      sessionId: auth.session.id,
      check: async () => {
        if (!(await liveSession(ctx.db, auth.session.id, ctx.now()))) throw new BistroError('UNAUTHORIZED', 'Your session has ended; sign in again');
      },
    },
  });
  yield* events;
});
