import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { InProcessBus, receiveWebhook, SandboxProvider, SANDBOX_SIGNATURE_HEADER, StripeProvider, type SandboxWebhook } from '../src/index.js';
import { expireUnpaidOrders } from '../src/payments/expire.js';
import { resendUnsentRefunds } from '../src/payments/money.js';
import type { ProviderRefund, RefundStarted } from '../src/payments/provider.js';
import { callerFor, createUser, silent, testServices, withJobs, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder, stockOf, type KitchenFixture } from './kitchen-fixtures.js';
import { refusal } from './procedures.js';

/**
 * Online payment through the sandbox provider, in-process: the sandbox's webhooks are held in
 * `outbox` and handed to the webhook receiver (signature checked on the raw bytes) when a test
 * says so, so each test decides the order in which the provider's events arrive. The same flow
 * over real HTTP is apps/server/test/payments-wire.test.ts.
 */

let tdb: TestDatabase;
let here: KitchenFixture;
let manager: TestUser;
let otherManager: TestUser;
let cook: TestUser;
const outbox: SandboxWebhook[] = [];
const secret = randomBytes(32);
/** The sandbox, which a test can make unreachable for its next refund calls (a network fault, not a refusal). */
class SandboxWithOutages extends SandboxProvider {
  unreachableRefunds = 0;
  override async refund(refund: ProviderRefund): Promise<RefundStarted> {
    if (this.unreachableRefunds > 0) {
      this.unreachableRefunds -= 1;
      throw new Error('connect ECONNREFUSED 127.0.0.1:443');
    }
    return super.refund(refund);
  }
}
const sandbox = new SandboxWithOutages({ secret, now: () => new Date(), deliver: async (webhook) => void outbox.push(webhook), lateDelayMs: 0 });
const TIMEOUT_MINUTES = 15;
const services = testServices({ bus: new InProcessBus(), payments: { provider: sandbox, timeoutMinutes: TIMEOUT_MINUTES } });
let ips = 0;

function as(user: TestUser | null, now?: Date) {
  ips += 1;
  return callerFor(tdb.db, { token: user?.token ?? null, services, ip: `2001:db8:14::${ips.toString(16)}`, ...(now ? { now } : {}) });
}

const ctx = (now = new Date()) => ({ db: tdb.db, services: withJobs(services, tdb.db), now: () => now, log: silent });

/** Hands every webhook the sandbox has sent so far to Bistro's receiver; returns the answers. */
async function deliver(now?: Date) {
  await sandbox.settled();
  const sent = outbox.splice(0);
  const answers = [];
  for (const hook of sent) answers.push(await receiveWebhook(ctx(now), 'sandbox', { rawBody: Buffer.from(hook.body), headers: hook.headers }));
  return { sent, answers };
}

async function placeOnline(overrides: { now?: Date; paymentAmountMinor?: number } = {}) {
  const input = { ...pickupOrder(here), payment: 'online' as const, ...(overrides.paymentAmountMinor ? { paymentAmountMinor: overrides.paymentAmountMinor } : {}) };
  const placed = await as(null, overrides.now).orders.place(input);
  return { placed, input };
}

async function statusOf(orderId: string) {
  return (await tdb.db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirstOrThrow()).status;
}

async function kitchenSees(orderId: string): Promise<boolean> {
  const queue = await as(cook).kitchen.queue({ locationId: here.locationId });
  return queue.tickets.some((t) => t.orderId === orderId);
}

async function history(orderId: string) {
  return tdb.db.selectFrom('order_history').select(['from_status', 'to_status', 'action', 'reason']).where('order_id', '=', orderId).orderBy('id').execute();
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  here = await kitchenLocation(tdb.db, { soup: 1000, patty: 1000, cheese: 1000 });
  manager = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'manager' }] });
  otherManager = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'manager' }] });
  cook = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'staff' }] });
});
afterAll(() => tdb?.drop());

describe('how a guest may pay here (payments.options)', () => {
  it('online through the sandbox; through Stripe only with its publishable key; at the counter only without a provider', async () => {
    expect(await as(null).payments.options()).toEqual({ online: true, provider: 'sandbox', stripePublishableKey: null });
    const stripe = new StripeProvider('sk_test_notreal', 'whsec_notreal');
    const callWith = (payments: NonNullable<Parameters<typeof testServices>[0]>['payments']) =>
      callerFor(tdb.db, { token: null, services: testServices({ bus: new InProcessBus(), payments }), ip: '2001:db8:14::ffff' }).payments.options();
    expect(await callWith({ provider: stripe, timeoutMinutes: 15, publishableKey: 'pk_test_public' })).toEqual({ online: true, provider: 'stripe', stripePublishableKey: 'pk_test_public' });
    expect(await callWith({ provider: stripe, timeoutMinutes: 15 })).toEqual({ online: false, provider: 'stripe', stripePublishableKey: null });
    expect(await callWith(undefined)).toEqual({ online: false, provider: null, stripePublishableKey: null });
  });
});

describe('an order paid online', () => {
  it('waits in pending_payment with its stock taken, unseen by the kitchen, until the card succeeds; then the kitchen gets it', async () => {
    const before = await stockOf(tdb.db, here.locationId);
    const { placed } = await placeOnline();
    expect(placed.status).toBe('pending_payment');
    expect(placed.payment).toMatchObject({ provider: 'sandbox', amountMinor: placed.totalMinor, currency: 'EUR' });
    expect(await statusOf(placed.id)).toBe('pending_payment');
    expect(await stockOf(tdb.db, here.locationId)).not.toEqual(before);
    expect(await kitchenSees(placed.id)).toBe(false);
    const feedTypes = (await tdb.db.selectFrom('order_events').select('type').where('order_id', '=', placed.id).execute()).map((e) => e.type);
    expect(feedTypes).toEqual(['order.awaiting_payment']);

    const confirmed = await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4242 4242 4242 4242' });
    expect(confirmed.status).toBe('succeeded');
    // The provider answered the page; the order moves only when its webhook arrives.
    expect(await statusOf(placed.id)).toBe('pending_payment');
    const { answers } = await deliver();
    expect(answers).toEqual([{ status: 200, body: { received: true, outcome: 'payment captured: order placed' } }]);
    expect(await statusOf(placed.id)).toBe('placed');
    expect(await kitchenSees(placed.id)).toBe(true);
    const money = await as(manager).orders.payments({ orderId: placed.id });
    expect(money).toMatchObject({ paid: true, capturedMinor: placed.totalMinor, refundedMinor: 0, netMinor: placed.totalMinor });
    expect(money.ledger.map((l) => l.kind)).toEqual(['authorisation', 'capture']);
  });

  it('a retry of the same place answers the same order and the same client secret, and charges nothing twice', async () => {
    const { placed, input } = await placeOnline();
    const again = await as(null).orders.place(input);
    expect(again).toEqual(placed);
    expect(await tdb.db.selectFrom('tenders').select('id').where('order_id', '=', placed.id).execute()).toHaveLength(1);
  });

  it('a declined card cancels the order and returns its stock; the kitchen never saw it', async () => {
    const before = await stockOf(tdb.db, here.locationId);
    const { placed } = await placeOnline();
    const confirmed = await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4000000000000002' });
    expect(confirmed.status).toBe('declined');
    await deliver();
    expect(await statusOf(placed.id)).toBe('cancelled');
    expect(await stockOf(tdb.db, here.locationId)).toEqual(before);
    expect(await kitchenSees(placed.id)).toBe(false);
    const kitchenEvents = await tdb.db.selectFrom('order_events').select('type').where('order_id', '=', placed.id).execute();
    expect(kitchenEvents.map((e) => e.type)).toEqual(['order.awaiting_payment', 'order.expire']);
  });

  it('the card that asks for an extra step stays pending until it is approved', async () => {
    const { placed } = await placeOnline();
    const first = await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4000002500003155' });
    expect(first.status).toBe('requires_action');
    await deliver();
    expect(await statusOf(placed.id)).toBe('pending_payment');
    expect((await as(manager).orders.payments({ orderId: placed.id })).tenders[0]?.status).toBe('requires_action');
    const second = await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4000002500003155', authentication: 'approve' });
    expect(second.status).toBe('succeeded');
    await deliver();
    expect(await statusOf(placed.id)).toBe('placed');
  });

  it('the late card answers "processing" and the order is placed only by the webhook', async () => {
    const { placed } = await placeOnline();
    const confirmed = await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4000000000000077' });
    expect(confirmed.status).toBe('processing');
    expect(await statusOf(placed.id)).toBe('pending_payment');
    await deliver();
    expect(await statusOf(placed.id)).toBe('placed');
  });

  it('a forged client secret is refused by the sandbox', async () => {
    const { placed } = await placeOnline();
    const forged = placed.payment!.clientSecret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await refusal(as(null).payments.sandboxConfirm({ clientSecret: forged, card: '4242424242424242' }))).bistroCode).toBe('PAYMENT_INVALID');
  });
});

describe('the webhook', () => {
  async function succeededHook() {
    const { placed } = await placeOnline();
    await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4242424242424242' });
    await sandbox.settled();
    const [hook] = outbox.splice(0);
    return { placed, hook: hook! };
  }

  it('refuses a bad signature with 400 and applies nothing', async () => {
    const { placed, hook } = await succeededHook();
    const tampered = hook.body.replace('"amountMinor":', '"amountMinor":1');
    const answer = await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(tampered), headers: hook.headers });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.bistroCode).toBe('WEBHOOK_SIGNATURE_INVALID');
    const unsigned = await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(hook.body), headers: { 'content-type': 'application/json' } });
    expect(unsigned.body.error?.bistroCode).toBe('WEBHOOK_SIGNATURE_INVALID');
    const otherSecret = new SandboxProvider({ secret: randomBytes(32), now: () => new Date(), deliver: async () => {} }).signedWebhook(JSON.parse(hook.body));
    expect((await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(otherSecret.body), headers: otherSecret.headers })).status).toBe(400);
    expect(await statusOf(placed.id)).toBe('pending_payment');
    expect(await tdb.db.selectFrom('payment_events').select('event_id').where('event_id', '=', JSON.parse(hook.body).id).execute()).toHaveLength(0);
    // The genuine one still applies afterwards.
    expect((await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(hook.body), headers: hook.headers })).status).toBe(200);
    expect(await statusOf(placed.id)).toBe('placed');
  });

  it('refuses a signature older than 300 s (and accepts one just inside)', async () => {
    const { placed, hook } = await succeededHook();
    const event = JSON.parse(hook.body);
    const now = new Date();
    const old = sandbox.signedWebhook(event, new Date(now.getTime() - 301_000));
    const tooOld = await receiveWebhook(ctx(now), 'sandbox', { rawBody: Buffer.from(old.body), headers: old.headers });
    expect(tooOld).toMatchObject({ status: 400, body: { error: { bistroCode: 'WEBHOOK_TIMESTAMP_INVALID' } } });
    expect(await statusOf(placed.id)).toBe('pending_payment');
    const justInside = sandbox.signedWebhook(event, new Date(now.getTime() - 299_000));
    expect((await receiveWebhook(ctx(now), 'sandbox', { rawBody: Buffer.from(justInside.body), headers: justInside.headers })).status).toBe(200);
    expect(await statusOf(placed.id)).toBe('placed');
  });

  it('applies a replayed event once', async () => {
    const { placed, hook } = await succeededHook();
    const first = await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(hook.body), headers: hook.headers });
    const replay = await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(hook.body), headers: hook.headers });
    expect(first.body.outcome).toBe('payment captured: order placed');
    expect(replay).toEqual({ status: 200, body: { received: true, outcome: 'duplicate: already applied' } });
    const ledger = await tdb.db.selectFrom('payment_ledger').select('kind').where('order_id', '=', placed.id).where('kind', '=', 'capture').execute();
    expect(ledger).toHaveLength(1);
  });

  it('a late "failed" after "succeeded" changes nothing', async () => {
    const { placed, hook } = await succeededHook();
    await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(hook.body), headers: hook.headers });
    const event = JSON.parse(hook.body);
    const failed = sandbox.signedWebhook({ ...event, id: `${event.id}_failed`, type: 'payment.failed' });
    const answer = await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(failed.body), headers: failed.headers });
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'ignored: the payment is already captured' } });
    expect(await statusOf(placed.id)).toBe('placed');
    expect((await as(manager).orders.payments({ orderId: placed.id })).tenders[0]?.status).toBe('captured');
  });

  it('answers 200 for a payment it does not know (the provider must not retry forever), and 404 for a provider not configured', async () => {
    const unknown = sandbox.signedWebhook({ id: `sbx_evt_${randomUUID()}`, type: 'payment.succeeded', created: 1, data: { paymentRef: 'sbx_pi_nothing', tenderId: randomUUID(), amountMinor: 100 } });
    expect(await receiveWebhook(ctx(), 'sandbox', { rawBody: Buffer.from(unknown.body), headers: unknown.headers })).toEqual({ status: 200, body: { received: true, outcome: 'ignored: unknown payment' } });
    expect((await receiveWebhook(ctx(), 'stripe', { rawBody: Buffer.from(unknown.body), headers: unknown.headers })).status).toBe(404);
    expect((await receiveWebhook(ctx(), 'paypal', { rawBody: Buffer.from(unknown.body), headers: unknown.headers })).status).toBe(404);
    expect(unknown.headers[SANDBOX_SIGNATURE_HEADER]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });
});

describe('an unpaid order', () => {
  it('expires exactly PAYMENT_TIMEOUT_MINUTES after it was placed, returning its stock, once', async () => {
    const placedAt = new Date();
    // Orders earlier tests left waiting would expire with this one: settle them first.
    await expireUnpaidOrders(ctx(new Date(placedAt.getTime() + 24 * 3_600_000)), { timeoutMinutes: TIMEOUT_MINUTES });
    const before = await stockOf(tdb.db, here.locationId);
    const { placed } = await placeOnline({ now: placedAt });
    const atMinutes = (m: number, ms = 0) => new Date(placedAt.getTime() + m * 60_000 + ms);
    expect(await expireUnpaidOrders(ctx(atMinutes(TIMEOUT_MINUTES, -1)), { timeoutMinutes: TIMEOUT_MINUTES })).not.toContain(placed.id);
    expect(await statusOf(placed.id)).toBe('pending_payment');
    expect(await expireUnpaidOrders(ctx(atMinutes(TIMEOUT_MINUTES)), { timeoutMinutes: TIMEOUT_MINUTES })).toContain(placed.id);
    expect(await statusOf(placed.id)).toBe('cancelled');
    expect(await stockOf(tdb.db, here.locationId)).toEqual(before);
    expect(await expireUnpaidOrders(ctx(atMinutes(TIMEOUT_MINUTES + 1)), { timeoutMinutes: TIMEOUT_MINUTES })).not.toContain(placed.id);
    expect(await stockOf(tdb.db, here.locationId)).toEqual(before);
    expect((await history(placed.id)).map((h) => h.action)).toEqual(['place', 'expire']);
  });

  it('paid after it expired is refunded automatically, and its history says so', async () => {
    const placedAt = new Date(Date.now() - (TIMEOUT_MINUTES + 1) * 60_000);
    const { placed } = await placeOnline({ now: placedAt });
    await expireUnpaidOrders(ctx(), { timeoutMinutes: TIMEOUT_MINUTES });
    expect(await statusOf(placed.id)).toBe('cancelled');
    await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4242424242424242' });
    const first = await deliver();
    expect(first.answers[0]?.body.outcome).toBe('payment captured after the order was cancelled: refunded');
    expect(await statusOf(placed.id)).toBe('cancelled');
    // The refund's own webhook settles it.
    await deliver();
    const money = await as(manager).orders.payments({ orderId: placed.id });
    expect(money).toMatchObject({ capturedMinor: placed.totalMinor, refundedMinor: placed.totalMinor, netMinor: 0 });
    expect(money.refunds).toEqual([expect.objectContaining({ amountMinor: placed.totalMinor, status: 'succeeded' })]);
    expect((await history(placed.id)).at(-1)).toMatchObject({ action: 'refund', to_status: 'cancelled', reason: expect.stringContaining('refunded automatically') });
  });
});

describe('refunds', () => {
  async function paidOrder() {
    const { placed } = await placeOnline();
    await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4242424242424242' });
    await deliver();
    expect(await statusOf(placed.id)).toBe('placed');
    return placed;
  }
  const key = () => randomUUID();

  it('a manager refunds part by amount, then by lines, never past what was captured', async () => {
    const placed = await paidOrder();
    const part = await as(manager).orders.refund({ orderId: placed.id, amountMinor: 100, reason: 'cold soup', idempotencyKey: key() });
    expect(part).toMatchObject({ amountMinor: 100, refunds: [{ amountMinor: 100, status: 'pending' }] });
    await deliver();
    const lines = await as(manager).orders.refund({ orderId: placed.id, lines: [0], reason: 'soup again', idempotencyKey: key() });
    const order = await tdb.db.selectFrom('orders').select(['subtotal_minor', 'tax_minor']).where('id', '=', placed.id).executeTakeFirstOrThrow();
    const line0 = await tdb.db.selectFrom('order_lines').select('line_total_minor').where('order_id', '=', placed.id).where('line_index', '=', 0).executeTakeFirstOrThrow();
    const expected = Number(line0.line_total_minor) + Math.round((Number(order.tax_minor) * Number(line0.line_total_minor)) / Number(order.subtotal_minor));
    expect(lines.amountMinor).toBe(expected);
    const left = placed.totalMinor - 100 - expected;
    const tooMuch = await refusal(as(manager).orders.refund({ orderId: placed.id, amountMinor: left + 1, reason: 'too much', idempotencyKey: key() }));
    expect(tooMuch.bistroCode).toBe('REFUND_EXCEEDS_CAPTURED');
    const rest = await as(manager).orders.refund({ orderId: placed.id, reason: 'the rest', idempotencyKey: key() });
    expect(rest.amountMinor).toBe(left);
    expect((await refusal(as(manager).orders.refund({ orderId: placed.id, amountMinor: 1, reason: 'more', idempotencyKey: key() }))).bistroCode).toBe('NOTHING_TO_REFUND');
    await deliver();
    const money = await as(manager).orders.payments({ orderId: placed.id });
    expect(money).toMatchObject({ refundedMinor: placed.totalMinor, netMinor: 0 });
    expect(money.refunds.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('a refund the provider could not be reached for stays pending, and is asked again by the jobs a minute later, once', async () => {
    const placed = await paidOrder();
    sandbox.unreachableRefunds = 1;
    const refund = await as(manager).orders.refund({ orderId: placed.id, amountMinor: 120, reason: 'late', idempotencyKey: key() });
    expect(refund).toMatchObject({ amountMinor: 120, refunds: [{ status: 'pending' }] });
    const row = () => tdb.db.selectFrom('refunds').select(['status', 'provider_ref']).where('order_id', '=', placed.id).executeTakeFirstOrThrow();
    expect(await row()).toEqual({ status: 'pending', provider_ref: null });
    expect((await deliver()).sent).toEqual([]);
    // Not yet: a refund this fresh may still be on its way from the request that made it.
    expect(await resendUnsentRefunds(ctx(new Date(Date.now() + 30_000)))).toBe(0);
    expect(await resendUnsentRefunds(ctx(new Date(Date.now() + 120_000)))).toBe(1);
    expect((await row()).provider_ref).toMatch(/^sbx_re_/);
    await deliver();
    expect(await row()).toMatchObject({ status: 'succeeded' });
    expect(await as(manager).orders.payments({ orderId: placed.id })).toMatchObject({ refundedMinor: 120, netMinor: placed.totalMinor - 120 });
    // Sent once: the next run finds nothing.
    expect(await resendUnsentRefunds(ctx(new Date(Date.now() + 180_000)))).toBe(0);
  });

  it('a retry with the same key refunds once; the same key for another refund is refused', async () => {
    const placed = await paidOrder();
    const idempotencyKey = key();
    const first = await as(manager).orders.refund({ orderId: placed.id, amountMinor: 50, reason: 'oops', idempotencyKey });
    const again = await as(manager).orders.refund({ orderId: placed.id, amountMinor: 50, reason: 'oops', idempotencyKey });
    expect(again).toEqual(first);
    expect((await as(manager).orders.payments({ orderId: placed.id })).refundedMinor).toBe(50);
    expect((await refusal(as(manager).orders.refund({ orderId: placed.id, amountMinor: 60, reason: 'oops', idempotencyKey }))).bistroCode).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('two managers refunding at once never give back more than was captured', async () => {
    for (let round = 0; round < 3; round++) {
      const placed = await paidOrder();
      const share = Math.ceil(placed.totalMinor * 0.6);
      const results = await Promise.allSettled([
        as(manager).orders.refund({ orderId: placed.id, amountMinor: share, reason: 'first', idempotencyKey: key() }),
        as(otherManager).orders.refund({ orderId: placed.id, amountMinor: share, reason: 'second', idempotencyKey: key() }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected && (await refusal(Promise.reject(rejected.reason))).bistroCode).toBe('REFUND_EXCEEDS_CAPTURED');
      const money = await as(manager).orders.payments({ orderId: placed.id });
      expect(money.refundedMinor).toBe(share);
      expect(money.refundedMinor).toBeLessThanOrEqual(money.capturedMinor);
    }
  });

  it('the database itself refuses a refund past the capture', async () => {
    const placed = await paidOrder();
    const tender = await tdb.db.selectFrom('tenders').select(['id', 'captured_minor']).where('order_id', '=', placed.id).executeTakeFirstOrThrow();
    await expect(tdb.db.updateTable('tenders').set({ refunded_minor: Number(tender.captured_minor) + 1 }).where('id', '=', tender.id).execute()).rejects.toThrow(/tenders_refund_cap/);
  });

  it('a rejected paid order is refunded automatically', async () => {
    const placed = await paidOrder();
    await as(cook).kitchen.reject({ orderId: placed.id, reason: 'out of gas' });
    await deliver();
    const money = await as(manager).orders.payments({ orderId: placed.id });
    expect(money).toMatchObject({ status: 'cancelled', refundedMinor: placed.totalMinor, netMinor: 0 });
    expect((await history(placed.id)).map((h) => h.action)).toEqual(['place', 'pay', 'refund', 'reject']);
  });

  it('is for managers of the order’s location only: staff and others get NOT_FOUND', async () => {
    const placed = await paidOrder();
    expect((await refusal(as(cook).orders.refund({ orderId: placed.id, amountMinor: 1, reason: 'x', idempotencyKey: key() }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(null).orders.refund({ orderId: placed.id, amountMinor: 1, reason: 'x', idempotencyKey: key() }))).bistroCode).toBe('UNAUTHORIZED');
  });
});

describe('several tenders', () => {
  it('a card for part and cash at the counter for the rest: placed when they add up, each refundable on its own', async () => {
    const { placed } = await placeOnline({ paymentAmountMinor: 500 });
    await as(null).payments.sandboxConfirm({ clientSecret: placed.payment!.clientSecret, card: '4242424242424242' });
    const card = await deliver();
    expect(card.answers[0]?.body.outcome).toBe('payment captured: more tenders to come');
    expect(await statusOf(placed.id)).toBe('pending_payment');
    expect(await kitchenSees(placed.id)).toBe(false);
    const rest = placed.totalMinor - 500;
    expect((await refusal(as(cook).orders.tender({ orderId: placed.id, method: 'cash', amountMinor: rest + 1, idempotencyKey: randomUUID() }))).bistroCode).toBe('TENDER_REFUSED');
    const idempotencyKey = randomUUID();
    const cash = await as(cook).orders.tender({ orderId: placed.id, method: 'cash', amountMinor: rest, idempotencyKey });
    expect(cash).toMatchObject({ orderStatus: 'placed', replayed: false });
    expect(await as(cook).orders.tender({ orderId: placed.id, method: 'cash', amountMinor: rest, idempotencyKey })).toMatchObject({ tenderId: cash.tenderId, replayed: true });
    expect(await kitchenSees(placed.id)).toBe(true);
    const refund = await as(manager).orders.refund({ orderId: placed.id, tenderId: cash.tenderId, reason: 'cash back', idempotencyKey: randomUUID() });
    expect(refund).toMatchObject({ amountMinor: rest, refunds: [{ tenderId: cash.tenderId, status: 'succeeded' }] });
    const money = await as(manager).orders.payments({ orderId: placed.id });
    expect(money).toMatchObject({ capturedMinor: placed.totalMinor, refundedMinor: rest, netMinor: 500, paid: true });
  });
});
