import { sql } from 'kysely';
import { orderPaymentsInput } from '@bistro/domain';
import { staffProcedure } from '../trpc.js';

/**
 * The money side of one order, for its location's staff and managers (the refund screen): each
 * tender with what it captured and what was refunded of it, each refund and its status, and the
 * ledger. `paid` is whether the captured tenders reach the total; `netMinor` is captured − refunded.
 */
export const payments = staffProcedure.input(orderPaymentsInput).query(async ({ ctx, input }) => {
  const order = await ctx.db.selectFrom('orders').select(['status', 'total_minor', 'currency', 'payment_method']).where('id', '=', input.orderId).executeTakeFirstOrThrow();
  const tenders = await ctx.db
    .selectFrom('tenders')
    .select(['id', 'method', 'status', 'amount_minor', 'captured_minor', 'refunded_minor', 'created_at'])
    .where('order_id', '=', input.orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const refunds = await ctx.db
    .selectFrom('refunds')
    .select(['id', 'tender_id', 'amount_minor', 'status', 'reason', 'created_at'])
    .where('order_id', '=', input.orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const ledger = await ctx.db
    .selectFrom('payment_ledger')
    .select(['id', 'tender_id', 'refund_id', 'kind', 'amount_minor', 'at'])
    .where('order_id', '=', input.orderId)
    .orderBy('id')
    .execute();
  const net = await ctx.db.selectFrom('payment_ledger').select(sql<string>`coalesce(sum(amount_minor) filter (where kind in ('capture', 'refund', 'refund_reversal')), 0)`.as('net')).where('order_id', '=', input.orderId).executeTakeFirstOrThrow();
  const captured = tenders.reduce((sum, t) => sum + Number(t.captured_minor), 0);
  const refunded = tenders.reduce((sum, t) => sum + Number(t.refunded_minor), 0);
  return {
    status: order.status,
    paymentMethod: order.payment_method,
    currency: order.currency,
    totalMinor: Number(order.total_minor),
    capturedMinor: captured,
    refundedMinor: refunded,
    netMinor: Number(net.net),
    paid: captured >= Number(order.total_minor),
    tenders: tenders.map((t) => ({
      id: t.id,
      method: t.method,
      status: t.status,
      amountMinor: Number(t.amount_minor),
      capturedMinor: Number(t.captured_minor),
      refundedMinor: Number(t.refunded_minor),
      createdAt: t.created_at,
    })),
    refunds: refunds.map((r) => ({ id: r.id, tenderId: r.tender_id, amountMinor: Number(r.amount_minor), status: r.status, reason: r.reason, createdAt: r.created_at })),
    ledger: ledger.map((l) => ({ id: Number(l.id), tenderId: l.tender_id, refundId: l.refund_id, kind: l.kind, amountMinor: Number(l.amount_minor), at: l.at })),
  };
});
