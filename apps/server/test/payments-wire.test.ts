import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KitchenEvent as FeedEvent } from '@bistro/api';
import { createBistroClient } from '@bistro/client';
import { createUser } from '../../../packages/api/test/helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from '../../../packages/api/test/kitchen-fixtures.js';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * Online payment end to end over HTTP, with the sandbox provider the two-command start uses:
 * a customer places an order with online payment (pending_payment, the kitchen's live feed gets
 * nothing), pays on the sandbox's confirm step with each test card, and the sandbox sends its
 * HMAC-signed webhook over real HTTP to /webhooks/payments/sandbox; only then does the kitchen's
 * feed get the ticket. (The browser half, the payment page, waits for the web app: issue 12.)
 */

let server: TestServer;
let fixture: KitchenFixture;
let staffToken: string;
let customerToken: string;
let managerToken: string;

beforeAll(async () => {
  server = await startTestServer({ PAYMENTS_PROVIDER: 'sandbox', SANDBOX_SECRET: randomBytes(32).toString('base64url'), PAYMENT_TIMEOUT_MINUTES: '15' });
  fixture = await kitchenLocation(server.tdb.db, { soup: 500, patty: 500, cheese: 500 });
  staffToken = (await createUser(server.tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] })).token;
  managerToken = (await createUser(server.tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] })).token;
  customerToken = (await createUser(server.tdb.db)).token;
});
afterAll(() => server?.close());

function collect<T>() {
  const events: T[] = [];
  return { events, onData: (e: T) => void events.push(e), onError: () => {} };
}

const customer = () => createBistroClient({ url: server.url, token: customerToken });
const status = async (id: string) => (await customer().orders.get.query({ orderId: id })).status;

describe('a guest paying online, over HTTP', () => {
  it('each sandbox card: paid ones reach the kitchen feed only after the signed webhook, a declined one never does', async () => {
    const kitchen = createBistroClient({ url: server.url, token: staffToken });
    const { lastEventId } = await kitchen.kitchen.queue.query({ locationId: fixture.locationId });
    const feed = collect<{ id: string; data: FeedEvent }>();
    const subscription = kitchen.kitchen.onTickets.subscribe({ locationId: fixture.locationId, lastEventId }, feed);
    try {
      const place = () => customer().orders.place.mutate({ ...pickupOrder(fixture), payment: 'online' });

      const paid = await place();
      expect(paid.status).toBe('pending_payment');
      const declined = await place();
      const threeDs = await place();
      const late = await place();
      expect(await status(paid.id)).toBe('pending_payment');

      const pay = (clientSecret: string, card: string, authentication?: 'approve') =>
        customer().payments.sandboxConfirm.mutate({ clientSecret, card, ...(authentication ? { authentication } : {}) });
      // The declined card first: had it reached the kitchen, its event would come before the paid ones.
      expect((await pay(declined.payment!.clientSecret, '4000000000000002')).status).toBe('declined');
      await expect.poll(() => status(declined.id), { timeout: 10_000 }).toBe('cancelled');

      expect((await pay(paid.payment!.clientSecret, '4242424242424242')).status).toBe('succeeded');
      await expect.poll(() => status(paid.id), { timeout: 10_000 }).toBe('placed');
      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(1);

      expect((await pay(threeDs.payment!.clientSecret, '4000002500003155')).status).toBe('requires_action');
      expect((await pay(threeDs.payment!.clientSecret, '4000002500003155', 'approve')).status).toBe('succeeded');
      await expect.poll(() => status(threeDs.id), { timeout: 10_000 }).toBe('placed');

      expect((await pay(late.payment!.clientSecret, '4000000000000077')).status).toBe('processing');
      expect(await status(late.id)).toBe('pending_payment');
      await expect.poll(() => status(late.id), { timeout: 15_000 }).toBe('placed');

      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(3);
      expect(feed.events.map((e) => [e.data.orderId, e.data.type, e.data.status])).toEqual([
        [paid.id, 'order.placed', 'placed'],
        [threeDs.id, 'order.placed', 'placed'],
        [late.id, 'order.placed', 'placed'],
      ]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('a manager refunds part of a paid order; the refund settles by the sandbox’s webhook', async () => {
    const placed = await customer().orders.place.mutate({ ...pickupOrder(fixture), payment: 'online' });
    await customer().payments.sandboxConfirm.mutate({ clientSecret: placed.payment!.clientSecret, card: '4242424242424242' });
    await expect.poll(() => status(placed.id), { timeout: 10_000 }).toBe('placed');
    const manager = createBistroClient({ url: server.url, token: managerToken });
    const refund = await manager.orders.refund.mutate({ orderId: placed.id, amountMinor: 250, reason: 'Soup was cold', idempotencyKey: randomUUID() });
    expect(refund.refunds).toEqual([expect.objectContaining({ amountMinor: 250, status: 'pending' })]);
    await expect.poll(async () => (await manager.orders.payments.query({ orderId: placed.id })).refunds[0]?.status, { timeout: 10_000 }).toBe('succeeded');
    expect(await manager.orders.payments.query({ orderId: placed.id })).toMatchObject({ capturedMinor: placed.totalMinor, refundedMinor: 250, netMinor: placed.totalMinor - 250 });
  });

  it('the webhook endpoint refuses a forged signature with 400 before anything is read, and answers 404 for a provider not configured', async () => {
    const body = JSON.stringify({ id: 'sbx_evt_forged', type: 'payment.succeeded', created: 1, data: { paymentRef: 'sbx_pi_x', tenderId: randomUUID(), amountMinor: 1 } });
    const forged = await fetch(`${server.url}/webhooks/payments/sandbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'bistro-sandbox-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body,
    });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ received: false, error: { bistroCode: 'WEBHOOK_SIGNATURE_INVALID' } });
    const stripe = await fetch(`${server.url}/webhooks/payments/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(stripe.status).toBe(404);
    const notJson = await fetch(`${server.url}/webhooks/payments/sandbox`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(notJson.status).toBe(400);
  });
});
