import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { linesRefundMinor, orderRefundInput, type OrderRefundInput, type RefundStatus } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { reserveRefund, sendRefunds, type RefundToSend } from '../payments/money.js';
import { managerProcedure } from '../trpc.js';
import { recordHistoryNote } from './events.js';

export interface RefundAnswer {
  requestId: string;
  amountMinor: number;
  refunds: { id: string; tenderId: string; amountMinor: number; status: RefundStatus }[];
}

/**
 * A manager of the order's location gives money back: everything still refundable, a part by
 * amount, or lines (each at its sold price plus its share of the tax). Never more than was
 * captured minus what was refunded: each tender's share is reserved by a conditional UPDATE
 * (the database's cap), in one transaction with the request, so two managers refunding at once
 * can't together pass the capture; the second is refused REFUND_EXCEEDS_CAPTURED and nothing of
 * it is written. A retry with the same idempotency key answers the first request's refunds.
 * The provider is asked after commit; the refund's status then follows its webhooks.
 */
export const refund = managerProcedure.input(orderRefundInput).mutation(async ({ ctx, input }) => {
  const at = ctx.now();
  const requestHash = createHash('sha256').update(JSON.stringify([input.amountMinor ?? null, input.lines ?? null, input.tenderId ?? null, input.reason])).digest();
  const { answer, toSend } = await ctx.db.transaction().execute(async (trx) => {
    // The order first: every writer of an order's money locks it before its tenders (no deadlock).
    const order = await trx
      .selectFrom('orders')
      .select(['status', 'subtotal_minor', 'tax_minor'])
      .where('id', '=', input.orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const requestId = randomUUID();
    const claimed = await trx
      .insertInto('refund_requests')
      .values({ id: requestId, order_id: input.orderId, idempotency_key: input.idempotencyKey, request_hash: requestHash, amount_minor: 1, created_at: at })
      .onConflict((oc) => oc.columns(['order_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return { answer: await replayRefund(trx, input, requestHash), toSend: [] };

    const tenders = await trx
      .selectFrom('tenders')
      .select(['id', sql<string>`captured_minor - refunded_minor`.as('left')])
      .where('order_id', '=', input.orderId)
      .where('status', '=', 'captured')
      .$if(input.tenderId !== undefined, (q) => q.where('id', '=', input.tenderId!))
      .orderBy(sql`captured_minor - refunded_minor`, 'desc')
      .orderBy('id')
      .execute();
    const refundable = tenders.reduce((sum, t) => sum + Number(t.left), 0);
    if (refundable <= 0) throw new BistroError('NOTHING_TO_REFUND', input.tenderId ? 'This tender has nothing left to refund' : 'This order has nothing left to refund');
    const amount = await requestedAmount(trx, input, Number(order.subtotal_minor), Number(order.tax_minor), refundable);
    if (amount > refundable) throw tooMuch(refundable);

    const reserved: RefundToSend[] = [];
    let left = amount;
    for (const tender of tenders) {
      if (left === 0) break;
      const share = Math.min(left, Number(tender.left));
      if (share <= 0) continue;
      const refund = await reserveRefund(trx, { refundId: randomUUID(), tenderId: tender.id, amountMinor: share, reason: input.reason, requestId, actorUserId: ctx.auth.user.id, at });
      // Another refund took it meanwhile: the database's cap refused this one. Nothing of this request stays.
      if (!refund) throw tooMuch(refundable - (amount - left));
      reserved.push(refund);
      left -= share;
    }
    await trx.updateTable('refund_requests').set({ amount_minor: amount }).where('id', '=', requestId).execute();
    await recordHistoryNote(trx, { orderId: input.orderId, status: order.status, action: 'refund', actor: 'kitchen', actorUserId: ctx.auth.user.id, reason: `Refunded ${amount} minor units: ${input.reason}`, at });
    const answer: RefundAnswer = {
      requestId,
      amountMinor: amount,
      refunds: reserved.map((r) => ({ id: r.refundId, tenderId: r.tenderId, amountMinor: r.amountMinor, status: r.method === 'cash' ? 'succeeded' : 'pending' })),
    };
    return { answer, toSend: reserved };
  });
  await sendRefunds(ctx, toSend);
  return answer;
});

function tooMuch(refundable: number): BistroError {
  return new BistroError('REFUND_EXCEEDS_CAPTURED', `At most ${refundable} minor units can still be refunded`, { fieldErrors: { amountMinor: ['More than can be refunded'] } });
}

async function requestedAmount(trx: Kysely<DB>, input: OrderRefundInput, subtotal: number, tax: number, refundable: number): Promise<number> {
  if (input.amountMinor !== undefined) return input.amountMinor;
  if (!input.lines) return refundable;
  const lines = await trx.selectFrom('order_lines').select(['line_index', 'line_total_minor']).where('order_id', '=', input.orderId).where('line_index', 'in', input.lines).execute();
  if (lines.length !== input.lines.length) throw new BistroError('INVALID_INPUT', 'A line is not part of this order', { fieldErrors: { lines: ['Not a line of this order'] } });
  return linesRefundMinor(lines.map((l) => Number(l.line_total_minor)), subtotal, tax);
}

async function replayRefund(trx: Kysely<DB>, input: OrderRefundInput, requestHash: Buffer): Promise<RefundAnswer> {
  const first = await trx
    .selectFrom('refund_requests')
    .select(['id', 'request_hash', 'amount_minor'])
    .where('order_id', '=', input.orderId)
    .where('idempotency_key', '=', input.idempotencyKey)
    .executeTakeFirstOrThrow();
  if (!first.request_hash.equals(requestHash)) throw new BistroError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different refund; use a fresh key');
  const refunds = await trx.selectFrom('refunds').select(['id', 'tender_id as tenderId', 'amount_minor', 'status']).where('request_id', '=', first.id).orderBy('created_at').orderBy('id').execute();
  return { requestId: first.id, amountMinor: Number(first.amount_minor), refunds: refunds.map((r) => ({ id: r.id, tenderId: r.tenderId, amountMinor: Number(r.amount_minor), status: r.status })) };
}
