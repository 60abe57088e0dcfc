import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { LedgerKind, TenderMethod } from '@bistro/domain';
import type { Context } from '../context.js';
import { recordHistoryNote } from '../orders/events.js';

/**
 * The money side of an order, in the caller's transaction: the ledger, capturing and failing
 * tenders, and reserving refunds. The refund cap is the database's: a refund is reserved by a
 * conditional UPDATE of its tender (`refunded_minor + n <= captured_minor`), backed by a CHECK,
 * so two refunds racing on one tender can never together exceed what it captured.
 */

export async function writeLedger(
  db: Kysely<DB>,
  row: { orderId: string; tenderId: string; refundId?: string | null; kind: LedgerKind; amountMinor: number; providerEventId?: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('payment_ledger')
    .values({
      order_id: row.orderId,
      tender_id: row.tenderId,
      refund_id: row.refundId ?? null,
      kind: row.kind,
      amount_minor: row.amountMinor,
      provider_event_id: row.providerEventId ?? null,
      at: row.at,
    })
    .execute();
}

/** A refund reserved in the database, to be asked of the provider once the transaction commits (cash is handed back at once). */
export interface RefundToSend {
  refundId: string;
  tenderId: string;
  method: TenderMethod;
  providerRef: string | null;
  amountMinor: number;
  currency: string;
}

/**
 * Reserves `amountMinor` of a captured tender for a refund: the conditional UPDATE is the cap.
 * Null when the tender has less than that left (nothing is written then).
 */
export async function reserveRefund(
  db: Kysely<DB>,
  refund: { refundId: string; tenderId: string; amountMinor: number; reason: string; requestId: string | null; actorUserId: string | null; at: Date },
): Promise<RefundToSend | null> {
  const tender = await db
    .updateTable('tenders')
    .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', refund.amountMinor), updated_at: refund.at }))
    .where('id', '=', refund.tenderId)
    .where('status', '=', 'captured')
    .where(sql<boolean>`refunded_minor + ${refund.amountMinor}::bigint <= captured_minor`)
    .returning(['order_id', 'method', 'provider_ref', 'currency'])
    .executeTakeFirst();
  if (!tender) return null;
  // Cash goes back across the counter there and then; a provider's refund settles by webhook.
  const status = tender.method === 'cash' ? 'succeeded' : 'pending';
  await db
    .insertInto('refunds')
    .values({
      id: refund.refundId,
      order_id: tender.order_id,
      tender_id: refund.tenderId,
      amount_minor: refund.amountMinor,
      status,
      reason: refund.reason,
      request_id: refund.requestId,
      actor_user_id: refund.actorUserId,
      created_at: refund.at,
      updated_at: refund.at,
    })
    .execute();
  await writeLedger(db, { orderId: tender.order_id, tenderId: refund.tenderId, refundId: refund.refundId, kind: 'refund', amountMinor: -refund.amountMinor, at: refund.at });
  return { refundId: refund.refundId, tenderId: refund.tenderId, method: tender.method, providerRef: tender.provider_ref, amountMinor: refund.amountMinor, currency: tender.currency };
}

/**
 * Everything still refundable on the order, refunded (a cancelled or rejected paid order, or a
 * payment that arrived for an order already cancelled), with a history row saying so. Tenders
 * nobody paid are cancelled. Returns the refunds for the provider.
 */
export async function refundEverything(
  db: Kysely<DB>,
  order: { orderId: string; status: 'cancelled'; reason: string; actor: 'kitchen' | 'orderer' | 'system'; actorUserId: string | null; at: Date },
): Promise<RefundToSend[]> {
  await db
    .updateTable('tenders')
    .set({ status: 'cancelled', updated_at: order.at })
    .where('order_id', '=', order.orderId)
    .where('status', 'in', ['pending', 'requires_action'])
    .execute();
  const tenders = await db
    .selectFrom('tenders')
    .select(['id', sql<number>`captured_minor - refunded_minor`.as('left')])
    .where('order_id', '=', order.orderId)
    .where('status', '=', 'captured')
    .orderBy('id')
    .forUpdate()
    .execute();
  const refunds: RefundToSend[] = [];
  for (const tender of tenders) {
    const left = Number(tender.left);
    if (left <= 0) continue;
    const reserved = await reserveRefund(db, {
      refundId: randomUUID(),
      tenderId: tender.id,
      amountMinor: left,
      reason: order.reason,
      requestId: null,
      actorUserId: order.actorUserId,
      at: order.at,
    });
    if (reserved) refunds.push(reserved);
  }
  if (refunds.length > 0) {
    const total = refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    await recordHistoryNote(db, {
      orderId: order.orderId,
      status: order.status,
      action: 'refund',
      actor: order.actor,
      actorUserId: order.actorUserId,
      reason: `Refunded automatically (${total} minor units): ${order.reason}`,
      at: order.at,
    });
  }
  return refunds;
}

/**
 * After commit: asks the provider for each refund. The provider's answer (its refund id, and a
 * status if it settled at once) is stored; a refund it refused gives its reservation back. A
 * provider that can't be reached leaves the refund pending (logged); `resendUnsentRefunds`, run
 * every minute by the jobs, asks again.
 */
export async function sendRefunds(ctx: Pick<Context, 'db' | 'services' | 'now'> & { log?: Context['log'] }, refunds: readonly RefundToSend[]): Promise<void> {
  const provider = ctx.services.payments?.provider;
  for (const refund of refunds) {
    if (refund.method === 'cash') continue;
    if (!provider || provider.name !== refund.method || !refund.providerRef) {
      ctx.log?.error({ refundId: refund.refundId, method: refund.method }, 'refund left pending: its provider is not configured');
      continue;
    }
    try {
      const started = await provider.refund({ refundId: refund.refundId, tenderId: refund.tenderId, providerRef: refund.providerRef, amountMinor: refund.amountMinor, currency: refund.currency });
      await ctx.db.updateTable('refunds').set({ provider_ref: started.providerRefundRef, updated_at: ctx.now() }).where('id', '=', refund.refundId).execute();
      if (started.status !== 'pending') await settleRefund(ctx.db, { refundId: refund.refundId, outcome: started.status, eventId: null, at: ctx.now() });
    } catch (error) {
      ctx.log?.error({ err: error, refundId: refund.refundId }, 'refund left pending: the provider could not be reached');
    }
  }
}

/**
 * Refunds reserved at least a minute before `now` that never reached their provider (it could not
 * be reached, or the process stopped between the commit and the call): asked again, oldest first,
 * a hundred per run. Safe to repeat: every provider call carries the refund's own id as its
 * idempotency key, and a refund the provider already took comes back with the same reference.
 * Returns how many were asked.
 */
export async function resendUnsentRefunds(ctx: Pick<Context, 'db' | 'services' | 'now'> & { log?: Context['log'] }): Promise<number> {
  const before = new Date(ctx.now().getTime() - 60_000);
  const rows = await ctx.db
    .selectFrom('refunds as r')
    .innerJoin('tenders as t', 't.id', 'r.tender_id')
    .select(['r.id as refundId', 'r.tender_id as tenderId', 't.method', 't.provider_ref as providerRef', 'r.amount_minor as amountMinor', 't.currency'])
    .where('r.status', '=', 'pending')
    .where('r.provider_ref', 'is', null)
    .where('t.method', '!=', 'cash')
    .where('r.created_at', '<', before)
    .orderBy('r.created_at')
    .limit(100)
    .execute();
  await sendRefunds(
    ctx,
    rows.map((r) => ({ ...r, amountMinor: Number(r.amountMinor) })),
  );
  return rows.length;
}

/**
 * A provider's word on a refund: succeeded, or failed (its reservation is given back and a
 * reversal row balances the ledger). Applies only to a pending refund, so a late or repeated
 * event changes nothing. Returns whether it applied.
 */
export async function settleRefund(db: Kysely<DB>, settle: { refundId: string; outcome: 'succeeded' | 'failed'; eventId: string | null; at: Date }): Promise<boolean> {
  const run = async (trx: Kysely<DB>) => {
    const refund = await trx
      .updateTable('refunds')
      .set({ status: settle.outcome, updated_at: settle.at })
      .where('id', '=', settle.refundId)
      .where('status', '=', 'pending')
      .returning(['order_id', 'tender_id', 'amount_minor'])
      .executeTakeFirst();
    if (!refund) return false;
    if (settle.outcome === 'failed') {
      await trx
        .updateTable('tenders')
        .set((eb) => ({ refunded_minor: eb('refunded_minor', '-', refund.amount_minor), updated_at: settle.at }))
        .where('id', '=', refund.tender_id)
        .execute();
      await writeLedger(trx, { orderId: refund.order_id, tenderId: refund.tender_id, refundId: settle.refundId, kind: 'refund_reversal', amountMinor: Number(refund.amount_minor), providerEventId: settle.eventId, at: settle.at });
    }
    return true;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** What the order's tenders captured, net of refunds. */
export async function orderMoney(db: Kysely<DB>, orderId: string): Promise<{ capturedMinor: number; refundedMinor: number }> {
  const row = await db
    .selectFrom('tenders')
    .select([sql<string>`coalesce(sum(captured_minor), 0)`.as('captured'), sql<string>`coalesce(sum(refunded_minor), 0)`.as('refunded')])
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return { capturedMinor: Number(row.captured), refundedMinor: Number(row.refunded) };
}
