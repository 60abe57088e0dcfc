import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { isPaid, PAYMENT_PROVIDERS, type PaymentProviderName } from '@bistro/domain';
import type { Context } from '../context.js';
import { recordHistoryNote } from '../orders/events.js';
import { afterStatusChange, applyStatusChange, type AppliedChange } from '../orders/transition.js';
import { reserveRefund, sendRefunds, settleRefund, writeLedger, type RefundToSend } from './money.js';
import { WebhookRejected, type ProviderEvent, type WebhookRequest } from './provider.js';

/** What the webhook endpoint answers the provider: 2xx stops its retries, anything else asks for another try. */
export interface WebhookAnswer {
  status: 200 | 400 | 404;
  body: { received: boolean; outcome?: string; error?: { bistroCode: string; message: string } };
}

type WebhookCtx = Pick<Context, 'db' | 'services' | 'now' | 'log'>;

/**
 * A provider's webhook, `/webhooks/payments/:provider`. The signature and its timestamp are
 * checked first, on the raw body, before anything is read or written (400: a forgery or a replay
 * from long ago is never applied, and a real provider never sends one). Then the event is
 * applied once, in one transaction with the row that records its id: a replay answers 200 and
 * changes nothing. Events may arrive in any order: each change is conditional on the state it
 * moves from. An event about a payment Bistro doesn't know is recorded and answered 200 (retrying
 * it would never succeed). A database outage throws (the server answers 5xx: the provider retries).
 */
export async function receiveWebhook(ctx: WebhookCtx, providerName: string, request: Omit<WebhookRequest, 'now'>): Promise<WebhookAnswer> {
  const provider = ctx.services.payments?.provider;
  if (!isProviderName(providerName) || provider?.name !== providerName) {
    return { status: 404, body: { received: false, error: { bistroCode: 'NOT_FOUND', message: 'No such payment provider here' } } };
  }
  let event: ProviderEvent | null;
  try {
    event = provider.parseWebhook({ ...request, now: ctx.now() });
  } catch (error) {
    if (error instanceof WebhookRejected) {
      ctx.log.warn({ provider: providerName, code: error.code }, 'payment webhook refused');
      return { status: 400, body: { received: false, error: { bistroCode: error.code, message: error.message } } };
    }
    throw error;
  }
  if (!event) return { status: 200, body: { received: true, outcome: 'ignored: an event type Bistro does not act on' } };
  const applied = await applyProviderEvent(ctx, providerName, event);
  return { status: 200, body: { received: true, outcome: applied } };
}

function isProviderName(name: string): name is PaymentProviderName {
  return (PAYMENT_PROVIDERS as readonly string[]).includes(name);
}

/** One provider event, applied once. Returns what it did (also kept with the event's id). */
export async function applyProviderEvent(ctx: Pick<Context, 'db' | 'services' | 'now'> & { log?: Context['log'] }, providerName: PaymentProviderName, event: ProviderEvent): Promise<string> {
  const at = ctx.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const fresh = await trx
      .insertInto('payment_events')
      .values({ provider: providerName, event_id: event.id, type: event.type, outcome: 'applying', received_at: at })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!fresh) return { outcome: 'duplicate: already applied', change: null, refunds: [] };
    const applied = await applyEvent(ctx, trx, providerName, event, at);
    await trx.updateTable('payment_events').set({ outcome: applied.outcome }).where('provider', '=', providerName).where('event_id', '=', event.id).execute();
    return applied;
  });
  if (result.change) await afterStatusChange(ctx, result.change);
  if (result.refunds.length > 0) await sendRefunds(ctx, result.refunds);
  return result.outcome;
}

interface Applied {
  outcome: string;
  change: AppliedChange | null;
  refunds: RefundToSend[];
}

async function applyEvent(ctx: Pick<Context, 'services'>, trx: Kysely<DB>, providerName: PaymentProviderName, event: ProviderEvent, at: Date): Promise<Applied> {
  if ('refundId' in event) {
    const { refundId, providerRefundRef } = event;
    const refund = await trx
      .selectFrom('refunds as r')
      .innerJoin('tenders as t', 't.id', 'r.tender_id')
      .select('r.id')
      .where('t.method', '=', providerName)
      .where((eb) => (refundId ? eb('r.id', '=', refundId) : eb('r.provider_ref', '=', providerRefundRef)))
      .executeTakeFirst();
    if (!refund) return { outcome: 'ignored: unknown refund', change: null, refunds: [] };
    const settled = await settleRefund(trx, { refundId: refund.id, outcome: event.type === 'refund.succeeded' ? 'succeeded' : 'failed', eventId: event.id, at });
    return { outcome: settled ? `refund ${event.type === 'refund.succeeded' ? 'succeeded' : 'failed'}` : 'ignored: the refund was already settled', change: null, refunds: [] };
  }

  const { tenderId, providerRef } = event;
  const tender = await trx
    .selectFrom('tenders')
    .select(['id', 'order_id', 'status', 'amount_minor'])
    .where('method', '=', providerName)
    .where((eb) => (tenderId ? eb('id', '=', tenderId) : eb('provider_ref', '=', providerRef)))
    .executeTakeFirst();
  if (!tender) return { outcome: 'ignored: unknown payment', change: null, refunds: [] };
  // The order first, as every writer of an order's money does; each change below is conditional on the tender's status.
  await trx.selectFrom('orders').select('id').where('id', '=', tender.order_id).forUpdate().execute();

  switch (event.type) {
    case 'payment.requires_action': {
      const moved = await trx.updateTable('tenders').set({ status: 'requires_action', updated_at: at }).where('id', '=', tender.id).where('status', '=', 'pending').executeTakeFirst();
      return { outcome: moved.numUpdatedRows > 0n ? 'payment requires action' : `ignored: the payment is ${tender.status}`, change: null, refunds: [] };
    }
    case 'payment.failed': {
      // A late "failed" after "succeeded" (or after the order expired) changes nothing.
      const failed = await trx
        .updateTable('tenders')
        .set({ status: 'failed', updated_at: at })
        .where('id', '=', tender.id)
        .where('status', 'in', ['pending', 'requires_action'])
        .executeTakeFirst();
      if (failed.numUpdatedRows === 0n) return { outcome: `ignored: the payment is already ${tender.status}`, change: null, refunds: [] };
      await writeLedger(trx, { orderId: tender.order_id, tenderId: tender.id, kind: 'failure', amountMinor: Number(tender.amount_minor), providerEventId: event.id, at });
      const order = await trx.selectFrom('orders').select('status').where('id', '=', tender.order_id).forUpdate().executeTakeFirstOrThrow();
      if (order.status !== 'pending_payment') return { outcome: 'payment failed', change: null, refunds: [] };
      const change = await applyStatusChange(ctx, trx, { orderId: tender.order_id, action: 'expire', actor: 'system', actorUserId: null, from: 'pending_payment', reason: 'payment declined' }, at);
      return { outcome: 'payment failed: order cancelled, stock returned', change, refunds: [] };
    }
    case 'payment.succeeded':
      return captured(ctx, trx, tender, event.id, at);
  }
}

/**
 * A payment captured. The order is paid once its captured tenders reach its total, and then
 * (only then) moves to placed, where the kitchen sees it. A payment that arrives for an order
 * already cancelled (expired, declined by another card, cancelled) is refunded at once, and its
 * history says so; so is any part that pays beyond the total.
 */
async function captured(ctx: Pick<Context, 'services'>, trx: Kysely<DB>, tender: { id: string; order_id: string; status: string }, eventId: string, at: Date): Promise<Applied> {
  const capture = await trx
    .updateTable('tenders')
    .set((eb) => ({ status: 'captured', captured_minor: eb.ref('amount_minor'), updated_at: at }))
    .where('id', '=', tender.id)
    .where('status', '<>', 'captured')
    .returning('captured_minor')
    .executeTakeFirst();
  if (!capture) return { outcome: 'ignored: already captured', change: null, refunds: [] };
  const amount = Number(capture.captured_minor);
  await writeLedger(trx, { orderId: tender.order_id, tenderId: tender.id, kind: 'capture', amountMinor: amount, providerEventId: eventId, at });

  const order = await trx.selectFrom('orders').select(['status', 'total_minor']).where('id', '=', tender.order_id).forUpdate().executeTakeFirstOrThrow();
  const paid = await trx
    .selectFrom('tenders')
    .select(sql<string>`coalesce(sum(captured_minor), 0)`.as('captured'))
    .where('order_id', '=', tender.order_id)
    .executeTakeFirstOrThrow();
  const capturedMinor = Number(paid.captured);
  const total = Number(order.total_minor);

  if (order.status === 'cancelled') {
    const refund = await reserveRefund(trx, { refundId: randomUUID(), tenderId: tender.id, amountMinor: amount, reason: 'payment arrived after the order was cancelled', requestId: null, actorUserId: null, at });
    await recordHistoryNote(trx, {
      orderId: tender.order_id,
      status: 'cancelled',
      action: 'refund',
      actor: 'system',
      actorUserId: null,
      reason: `A payment of ${amount} minor units arrived after the order was cancelled; refunded automatically`,
      at,
    });
    return { outcome: 'payment captured after the order was cancelled: refunded', change: null, refunds: refund ? [refund] : [] };
  }
  const excess = Math.min(amount, capturedMinor - total);
  const refunds: RefundToSend[] = [];
  if (excess > 0) {
    const refund = await reserveRefund(trx, { refundId: randomUUID(), tenderId: tender.id, amountMinor: excess, reason: 'paid beyond the total', requestId: null, actorUserId: null, at });
    if (refund) refunds.push(refund);
    await recordHistoryNote(trx, { orderId: tender.order_id, status: order.status, action: 'refund', actor: 'system', actorUserId: null, reason: `Paid ${excess} minor units beyond the total; refunded automatically`, at });
  }
  if (order.status === 'pending_payment' && isPaid(capturedMinor, total)) {
    const change = await applyStatusChange(ctx, trx, { orderId: tender.order_id, action: 'pay', actor: 'system', actorUserId: null, from: 'pending_payment', reason: null }, at);
    return { outcome: 'payment captured: order placed', change, refunds };
  }
  return { outcome: order.status === 'pending_payment' ? 'payment captured: more tenders to come' : 'payment captured', change: null, refunds };
}
