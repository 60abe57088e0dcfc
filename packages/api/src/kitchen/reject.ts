import { kitchenRejectInput } from '@bistro/domain';
import { changeOrderStatus } from '../orders/transition.js';
import { staffProcedure } from '../trpc.js';

/**
 * The kitchen can't make it: an open ticket (placed, preparing or ready) is cancelled with a
 * reason the guest sees, and the stock it took comes back.
 */
export const reject = staffProcedure.meta({ scope: 'kitchen:write' }).input(kitchenRejectInput).mutation(async ({ ctx, input }) => {
  const changed = await changeOrderStatus(ctx, { orderId: input.orderId, action: 'reject', actor: 'kitchen', actorUserId: ctx.auth.user.id, reason: input.reason });
  return { id: changed.orderId, status: changed.status };
});
