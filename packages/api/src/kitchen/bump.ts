import { BUMP_ACTION, kitchenBumpInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { changeOrderStatus } from '../orders/transition.js';
import { kitchenBumpOutput } from '../outputs.js';
import { staffProcedure } from '../trpc.js';

/**
 * Moves a ticket one step on: placed → preparing → ready → completed. `from` is what the screen
 * showed; if the ticket has moved since (another screen bumped it first), the bump is refused
 * with ORDER_TRANSITION_REFUSED and nothing changes.
 */
export const bump = staffProcedure
  .meta({ scope: 'kitchen:write', openapi: { method: 'POST', path: '/orders/{orderId}/bump', tags: ['kitchen'], summary: 'Move a ticket one step on' } })
  .input(kitchenBumpInput)
  .output(kitchenBumpOutput)
  .mutation(async ({ ctx, input }) => {
  const action = BUMP_ACTION[input.from];
  if (!action) throw new BistroError('ORDER_TRANSITION_REFUSED', `A ticket that is ${input.from.replace('_', ' ')} can't be bumped`);
  const changed = await changeOrderStatus(ctx, { orderId: input.orderId, action, actor: 'kitchen', actorUserId: ctx.auth.user.id, from: input.from });
  return { id: changed.orderId, status: changed.status };
});
