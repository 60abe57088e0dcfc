import { orderCancelInput } from '@bistro/domain';
import { ordererProcedure } from './access.js';
import { changeOrderStatus } from './transition.js';

/**
 * The orderer changes their mind: a signed-in customer names the order by id, a guest by its
 * tracking token. Only until the kitchen accepts it ('placed'); after that ORDER_TRANSITION_REFUSED.
 * The stock it took comes back.
 */
export const cancel = ordererProcedure.input(orderCancelInput).mutation(async ({ ctx, input }) => {
  const ref = ctx.order;
  const changed = await changeOrderStatus(ctx, {
    orderId: ref.orderId,
    action: 'cancel',
    actor: 'orderer',
    actorUserId: ctx.auth?.user.id ?? null,
    from: 'placed',
    reason: input.reason ?? null,
  });
  return { id: changed.orderId, status: changed.status };
});
