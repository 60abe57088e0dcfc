import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { isPaid, orderTenderInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { writeLedger } from '../payments/money.js';
import { staffProcedure } from '../trpc.js';
import { afterStatusChange, applyStatusChange, type AppliedChange } from './transition.js';

/**
 * Staff take cash at the counter towards an order: one more tender, captured at once (a card and
 * cash on one dine-in bill, say). An order waiting for its payment is placed (the kitchen sees
 * it) once its captured tenders reach the total. Never more than what is still owed. A retry
 * with the same idempotency key answers the first tender and takes nothing twice.
 */
export const tender = staffProcedure.input(orderTenderInput).mutation(async ({ ctx, input }) => {
  const at = ctx.now();
  const { answer, change } = await ctx.db.transaction().execute(async (trx) => {
    const order = await trx.selectFrom('orders').select(['status', 'total_minor', 'currency', 'location_id']).where('id', '=', input.orderId).forUpdate().executeTakeFirstOrThrow();
    const existing = await trx.selectFrom('tenders').select(['id', 'amount_minor', 'method']).where('order_id', '=', input.orderId).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (existing) {
      if (Number(existing.amount_minor) !== input.amountMinor || existing.method !== input.method) {
        throw new BistroError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different tender; use a fresh key');
      }
      return { answer: { tenderId: existing.id, orderStatus: order.status, replayed: true }, change: null };
    }
    if (order.status === 'cancelled' || order.status === 'completed') throw new BistroError('TENDER_REFUSED', `An order that is ${order.status} takes no payment`);
    const paid = await trx
      .selectFrom('tenders')
      .select(sql<string>`coalesce(sum(amount_minor) filter (where status in ('pending', 'requires_action', 'captured')), 0)`.as('covered'))
      .where('order_id', '=', input.orderId)
      .executeTakeFirstOrThrow();
    const owed = Number(order.total_minor) - Number(paid.covered);
    if (input.amountMinor > owed) {
      throw new BistroError('TENDER_REFUSED', owed > 0 ? `Only ${owed} minor units are still owed` : 'Nothing is owed on this order', { fieldErrors: { amountMinor: ['More than is owed'] } });
    }
    const tenderId = randomUUID();
    await trx
      .insertInto('tenders')
      .values({
        id: tenderId,
        order_id: input.orderId,
        location_id: order.location_id,
        method: 'cash',
        status: 'captured',
        currency: order.currency,
        amount_minor: input.amountMinor,
        captured_minor: input.amountMinor,
        idempotency_key: input.idempotencyKey,
        actor_user_id: ctx.auth.user.id,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await writeLedger(trx, { orderId: input.orderId, tenderId, kind: 'capture', amountMinor: input.amountMinor, at });
    let change: AppliedChange | null = null;
    if (order.status === 'pending_payment') {
      const captured = await trx.selectFrom('tenders').select(sql<string>`coalesce(sum(captured_minor), 0)`.as('captured')).where('order_id', '=', input.orderId).executeTakeFirstOrThrow();
      if (isPaid(Number(captured.captured), Number(order.total_minor))) {
        change = await applyStatusChange(ctx, trx, { orderId: input.orderId, action: 'pay', actor: 'system', actorUserId: ctx.auth.user.id, from: 'pending_payment', reason: 'paid at the counter' }, at);
      }
    }
    return { answer: { tenderId, orderStatus: change?.result.status ?? order.status, replayed: false }, change };
  });
  if (change) await afterStatusChange(ctx, change);
  return answer;
});
