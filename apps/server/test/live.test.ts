import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KitchenEvent as FeedEvent } from '@bistro/api';
import { createBistroClient } from '@bistro/client';
import { createServer, loadConfig, type BistroServer } from '../src/index.js';
import { createUser } from '../../../packages/api/test/helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from '../../../packages/api/test/kitchen-fixtures.js';
import { logCollector, startSecondInstance, startTestServer, type TestServer } from './helpers.js';

// Set when a Redis answers (tooling/vitest/services.js); without one, this file's tests are skipped.
const REDIS_URL = process.env.REDIS_URL ?? '';
// Both instances read what the other wrote: one data key between them, as in production.
const BISTRO_DATA_KEYS = `live:${randomBytes(32).toString('base64')}`;

type KitchenEvent = { id: string; data: FeedEvent };

let a: TestServer;
let b: BistroServer;
let bUrl: string;
let fixture: KitchenFixture;
let staffToken: string;
let customerToken: string;

/**
 * A bearer token of a new account, staff of `locationId` when given. Written straight to the
 * database: signing up over the wire meets the per-IP limits that Redis keeps between runs.
 */
async function signedIn(locationId?: string): Promise<string> {
  const user = await createUser(a.tdb.db, locationId ? { roles: [{ locationId, role: 'staff' }] } : {});
  return user.token;
}

/** Collects a subscription's events until stopped. */
function collect<T>() {
  const events: T[] = [];
  const errors: unknown[] = [];
  return { events, errors, onData: (e: T) => void events.push(e), onError: (e: unknown) => void errors.push(e) };
}

beforeAll(async () => {
  a = await startTestServer({ REDIS_URL, BISTRO_DATA_KEYS });
  ({ server: b, url: bUrl } = await startSecondInstance(a, { REDIS_URL, BISTRO_DATA_KEYS }));
  fixture = await kitchenLocation(a.tdb.db);
  staffToken = await signedIn(fixture.locationId);
  customerToken = await signedIn();
});
afterAll(async () => {
  await b?.stop();
  await a?.close();
});

/** A customer placing a pickup order through instance A (signed in: the per-IP limit on guests stays out of it). */
async function placeOnA(name?: string) {
  const customer = createBistroClient({ url: a.url, token: customerToken });
  return customer.orders.place.mutate(pickupOrder(fixture, name ? { name } : {}));
}

describe.skipIf(!REDIS_URL)('live tickets across two instances sharing Redis', () => {
  it('a ticket placed through instance A reaches a kitchen screen subscribed on instance B, without phone or email', async () => {
    const kitchen = createBistroClient({ url: bUrl, token: staffToken });
    const { lastEventId } = await kitchen.kitchen.queue.query({ locationId: fixture.locationId });
    const feed = collect<KitchenEvent>();
    const subscription = kitchen.kitchen.onTickets.subscribe({ locationId: fixture.locationId, lastEventId }, feed);
    try {
      const first = await placeOnA('Rita Sousa');
      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(1);
      // The feed has read the table once by now: this one can only arrive through Redis.
      const second = await placeOnA('Tomas Reis');
      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(2);
      expect(feed.events.map((e) => e.data.ticket?.orderId)).toEqual([first.id, second.id]);
      expect(feed.events.map((e) => e.data.ticket?.guestFirstName)).toEqual(['Rita', 'Tomas']);
      // One mapping and one type for the queue and the feed: times are Dates in both.
      expect(feed.events[1]!.data.ticket?.placedAt).toBeInstanceOf(Date);
      expect(feed.events[1]!.data.at).toBeInstanceOf(Date);
      const queued = (await kitchen.kitchen.queue.query({ locationId: fixture.locationId })).tickets.find((t) => t.orderId === second.id);
      expect(queued).toEqual(feed.events[1]!.data.ticket);
      expect(feed.events[1]!.data).toMatchObject({ type: 'order.placed', status: 'placed', orderId: second.id });
      expect(Number(feed.events[1]!.id)).toBeGreaterThan(Number(feed.events[0]!.id));
      expect(JSON.stringify(feed.events)).not.toMatch(/912 345 678|912345678|example\.test|Costa/);
      expect(feed.errors).toEqual([]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('a kitchen screen that drops and resumes with lastEventId gets what it missed, once each and in order', async () => {
    const kitchen = createBistroClient({ url: bUrl, token: staffToken });
    const cookOnA = createBistroClient({ url: a.url, token: staffToken });
    const { lastEventId } = await kitchen.kitchen.queue.query({ locationId: fixture.locationId });
    const before = collect<KitchenEvent>();
    const first = kitchen.kitchen.onTickets.subscribe({ locationId: fixture.locationId, lastEventId }, before);
    const order = await placeOnA();
    await expect.poll(() => before.events.length, { timeout: 10_000 }).toBe(1);
    first.unsubscribe();
    const seen = before.events.at(-1)!.id;

    // While the screen is away: the ticket moves on twice and a new one arrives.
    await cookOnA.kitchen.bump.mutate({ orderId: order.id, from: 'placed' });
    await cookOnA.kitchen.bump.mutate({ orderId: order.id, from: 'preparing' });
    const another = await placeOnA();

    const after = collect<KitchenEvent>();
    const resumed = kitchen.kitchen.onTickets.subscribe({ locationId: fixture.locationId, lastEventId: seen }, after);
    try {
      await expect.poll(() => after.events.length, { timeout: 10_000 }).toBe(3);
      // And live again afterwards.
      await cookOnA.kitchen.bump.mutate({ orderId: order.id, from: 'ready' });
      await expect.poll(() => after.events.length, { timeout: 10_000 }).toBe(4);
      expect(after.events.map((e) => [e.data.orderId, e.data.type, e.data.status])).toEqual([
        [order.id, 'order.accept', 'preparing'],
        [order.id, 'order.ready', 'ready'],
        [another.id, 'order.placed', 'placed'],
        [order.id, 'order.complete', 'completed'],
      ]);
      const ids = [seen, ...after.events.map((e) => e.id)].map(Number);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      resumed.unsubscribe();
    }
  });

  it('a guest follows their order with its tracking token on one instance while the kitchen bumps it on the other', async () => {
    const order = await placeOnA();
    const guest = createBistroClient({ url: bUrl });
    const feed = collect<{ id: string; data: { status: string; type: string; orderId: string } }>();
    const subscription = guest.orders.onStatus.subscribe({ trackingToken: order.trackingToken }, feed);
    try {
      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(1);
      await createBistroClient({ url: a.url, token: staffToken }).kitchen.bump.mutate({ orderId: order.id, from: 'placed' });
      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(2);
      expect(feed.events.map((e) => e.data.status)).toEqual(['placed', 'preparing']);
      expect(JSON.stringify(feed.events)).not.toMatch(/912 345 678|912345678|example\.test|Ana/);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('a wrong tracking token or another location’s staff get NOT_FOUND from the live feeds', async () => {
    const order = await placeOnA();
    const wrong = Buffer.concat([Buffer.from(order.trackingToken, 'base64url').subarray(0, 16), randomBytes(16)]).toString('base64url');
    const guestFeed = collect<unknown>();
    const guest = createBistroClient({ url: bUrl }).orders.onStatus.subscribe({ trackingToken: wrong }, guestFeed);
    const other = await kitchenLocation(a.tdb.db);
    const outsider = await signedIn(other.locationId);
    const outsiderFeed = collect<unknown>();
    const kitchen = createBistroClient({ url: bUrl, token: outsider }).kitchen.onTickets.subscribe({ locationId: fixture.locationId }, outsiderFeed);
    try {
      await expect.poll(() => guestFeed.errors.length + outsiderFeed.errors.length, { timeout: 10_000 }).toBe(2);
      const code = (e: unknown) => (e as { data?: { bistroCode?: string } }).data?.bistroCode;
      expect(guestFeed.errors.map(code)).toEqual(['NOT_FOUND']);
      expect(outsiderFeed.errors.map(code)).toEqual(['NOT_FOUND']);
      expect(guestFeed.events).toEqual([]);
      expect(outsiderFeed.events).toEqual([]);
    } finally {
      guest.unsubscribe();
      kitchen.unsubscribe();
    }
  });
});

describe.skipIf(!REDIS_URL)('live feeds and the rights they run on', () => {
  it('a kitchen screen on instance B stops when the cook signs out on instance A', async () => {
    const token = await signedIn(fixture.locationId);
    const feed = collect<KitchenEvent>();
    let started = false;
    const subscription = createBistroClient({ url: bUrl, token }).kitchen.onTickets.subscribe(
      { locationId: fixture.locationId },
      { ...feed, onStarted: () => void (started = true) },
    );
    try {
      await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
      await placeOnA();
      await expect.poll(() => feed.events.length, { timeout: 10_000 }).toBe(1);
      await createBistroClient({ url: a.url, token }).auth.signOut.mutate();
      await expect.poll(() => feed.errors.length, { timeout: 10_000 }).toBe(1);
      expect((feed.errors[0] as { data?: { bistroCode?: string } }).data?.bistroCode).toBe('UNAUTHORIZED');
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe.skipIf(!REDIS_URL)('shutdown with live feeds open', () => {
  it('ends open subscriptions instead of waiting out the shutdown timeout', async () => {
    const logs = logCollector();
    const c = await createServer(
      loadConfig({ DATABASE_URL: a.tdb.url, REDIS_URL, BISTRO_DATA_KEYS, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'json', SHUTDOWN_TIMEOUT_MS: '60000' }),
      { logStream: logs.stream },
    );
    const cUrl = await c.start();
    const feed = collect<KitchenEvent>();
    let started = false;
    const subscription = createBistroClient({ url: cUrl, token: staffToken }).kitchen.onTickets.subscribe(
      { locationId: fixture.locationId },
      { ...feed, onStarted: () => void (started = true) },
    );
    try {
      await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
      await c.stop();
      expect(logs.lines.map((l) => l.msg)).toContain('stopped');
      expect(logs.lines.map((l) => l.msg)).not.toContain('requests still open after the shutdown timeout; closing their connections');
    } finally {
      subscription.unsubscribe();
    }
  });
});
