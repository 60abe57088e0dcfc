import { sql } from 'kysely';
import type { Context } from '../context.js';
import { BistroError } from '../errors.js';
import { changeOrderStatus } from '../orders/transition.js';

/** How many pending orders one sweep looks at; the next sweep takes the rest. */
const BATCH = 100;

/**
 * Cancels every order still waiting for its payment `timeoutMinutes` after it was placed, and
 * returns its stock (and refunds any tender of it already captured): the one place this rule
 * lives. Idempotent: each cancellation is conditional on the order still being pending_payment,
 * so two sweeps at once (two instances), or a payment landing meanwhile, cancel nothing twice; a
 * payment that succeeds after expiry is refunded by the webhook. "Now" is the caller's clock.
 * Returns the ids of the orders it cancelled.
 *
 * Run every minute by the scheduled job `payments.expireUnpaid` (jobs/tasks.ts).
 */
export async function expireUnpaidOrders(ctx: Pick<Context, 'db' | 'services' | 'now'> & { log?: Context['log'] }, options: { timeoutMinutes: number }): Promise<string[]> {
  const now = ctx.now();
  const due = await ctx.db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', 'pending_payment')
    .where('created_at', '<=', sql<Date>`${now}::timestamptz - make_interval(mins => ${options.timeoutMinutes}::int)`)
    .orderBy('created_at')
    .limit(BATCH)
    .execute();
  const expired: string[] = [];
  for (const { id } of due) {
    try {
      await changeOrderStatus(ctx, { orderId: id, action: 'expire', actor: 'system', actorUserId: null, from: 'pending_payment', reason: 'not paid in time' });
      expired.push(id);
    } catch (error) {
      // Paid (or expired by another sweep) since it was read: nothing to do.
      if (error instanceof BistroError && error.bistroCode === 'ORDER_TRANSITION_REFUSED') continue;
      throw error;
    }
  }
  return expired;
}
