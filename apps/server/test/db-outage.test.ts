import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KitchenEvent } from '@bistro/api';
import { createBistroClient } from '@bistro/client';
import { TEST_DATABASE_URL } from '@bistro/db/testing';
import { createUser } from '../../../packages/api/test/helpers.js';
import { kitchenLocation, pickupOrder, stockOf, type KitchenFixture } from '../../../packages/api/test/kitchen-fixtures.js';
import { startTestServer, type TestServer } from './helpers.js';

const STOCK = 100_000;

let t: TestServer;
let fixture: KitchenFixture;
let staffToken: string;
let customerTokens: string[];

beforeAll(async () => {
  // The menu cache off, so every menu.get reaches the database.
  t = await startTestServer({ MENU_CACHE: 'false', BISTRO_DATA_KEYS: `outage:${randomBytes(32).toString('base64')}` });
  fixture = await kitchenLocation(t.tdb.db, { soup: STOCK, patty: STOCK, cheese: STOCK });
  staffToken = (await createUser(t.tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] })).token;
  // Several customers: each may place only so many orders in ten minutes.
  customerTokens = await Promise.all(Array.from({ length: 8 }, async () => (await createUser(t.tdb.db)).token));
});
afterAll(() => t?.close());

/** Ends every connection to the test database but its own, as a failover or a restart would (57P01). */
async function terminateConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [t.tdb.name],
    );
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

interface Outcome {
  what: string;
  status: number;
  bistroCode: string | undefined;
  orderId: string | undefined;
}

async function outcomeOf(what: string, response: Response): Promise<Outcome> {
  const body = (await response.json()) as { result?: { data: { json: { id?: string } } }; error?: { json: { data: { bistroCode: string } } } };
  return { what, status: response.status, bistroCode: body.error?.json.data.bistroCode, orderId: body.result?.data.json.id };
}

describe('PostgreSQL ending the server’s connections under load', () => {
  it('keeps the server alive: answers succeed or say UNAVAILABLE, no order is half-written, and service and the live feed resume', async () => {
    // A kitchen screen, live before the load starts.
    const kitchen = createBistroClient({ url: t.url, token: staffToken });
    const tickets: KitchenEvent[] = [];
    // From the queue's position: an order placed before the stream is connected is still delivered.
    const { lastEventId } = await kitchen.kitchen.queue.query({ locationId: fixture.locationId });
    const feed = kitchen.kitchen.onTickets.subscribe({ locationId: fixture.locationId, lastEventId }, { onData: (e) => void tickets.push(e.data) });
    try {
      const first = await createBistroClient({ url: t.url, token: customerTokens[0] }).orders.place.mutate(pickupOrder(fixture));
      await expect.poll(() => tickets.some((e) => e.orderId === first.id), { timeout: 10_000 }).toBe(true);

      const outcomes: Outcome[] = [];
      let loading = true;
      const menuUrl = `${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: fixture.slug } }))}`;
      const reader = async () => {
        while (loading) outcomes.push(await outcomeOf('menu.get', await fetch(menuUrl)));
      };
      const placer = async (token: string) => {
        for (let i = 0; loading && i < 25; i++) {
          const response = await fetch(`${t.url}/trpc/orders.place`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ json: pickupOrder(fixture) }),
          });
          outcomes.push(await outcomeOf('orders.place', response));
        }
      };
      const load = Promise.all([reader(), reader(), reader(), reader(), ...customerTokens.slice(1).map(placer)]);

      await expect.poll(() => outcomes.length, { timeout: 20_000 }).toBeGreaterThan(20);
      const killed = await terminateConnections();
      expect(killed).toBeGreaterThan(0);
      const atKill = outcomes.length;
      // Once more while the pool reconnects, to catch connections mid-transaction.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await terminateConnections();
      await expect.poll(() => outcomes.length, { timeout: 20_000 }).toBeGreaterThan(atKill + 40);
      loading = false;
      await load;

      // Never a 500: a request caught by the outage is a 503 UNAVAILABLE (or was retried and succeeded).
      const unexpected = outcomes.filter((o) => o.status !== 200 && !(o.status === 503 && o.bistroCode === 'UNAVAILABLE'));
      expect(unexpected).toEqual([]);
      expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThan(40);

      // New requests succeed, and an order placed now reaches the screen that was open all along.
      const afterwards = createBistroClient({ url: t.url, token: customerTokens[0] });
      const menu = await afterwards.menu.get.query({ locationSlug: fixture.slug });
      expect(menu.location.slug).toBe(fixture.slug);
      const late = await afterwards.orders.place.mutate(pickupOrder(fixture, { name: 'Late Guest' }));
      await expect.poll(() => tickets.some((e) => e.orderId === late.id), { timeout: 20_000 }).toBe(true);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);

      // Every order is whole: its lines, its history and its event, and the stock it took.
      const db = t.tdb.db;
      const orders = await db
        .selectFrom('orders as o')
        .where('o.location_id', '=', fixture.locationId)
        .select((eb) => [
          'o.id',
          eb.selectFrom('order_lines as l').whereRef('l.order_id', '=', 'o.id').select((x) => x.fn.countAll<number>().as('n')).as('lines'),
          eb.selectFrom('order_history as h').whereRef('h.order_id', '=', 'o.id').select((x) => x.fn.countAll<number>().as('n')).as('history'),
          eb.selectFrom('order_events as e').whereRef('e.order_id', '=', 'o.id').select((x) => x.fn.countAll<number>().as('n')).as('events'),
        ])
        .execute();
      for (const order of orders) expect([order.id, Number(order.lines), Number(order.history), Number(order.events)]).toEqual([order.id, 2, 1, 1]);
      const placedOk = outcomes.filter((o) => o.what === 'orders.place' && o.status === 200).map((o) => o.orderId);
      expect(orders.map((o) => o.id)).toEqual(expect.arrayContaining([first.id, late.id, ...placedOk]));
      // Each order takes two soups, a patty and a slice of cheese.
      const n = orders.length;
      expect(await stockOf(db, fixture.locationId)).toEqual({ 'Cheese slice': STOCK - n, Patty: STOCK - n, 'Soup portion': STOCK - 2 * n });
    } finally {
      feed.unsubscribe();
    }
  });

  it('runs a read again when its connection is ended under it, so the caller never sees the outage', async () => {
    // Hold the menu's table, so the server's menu.get is waiting on the database when its connection ends.
    const blocker = new pg.Client({ connectionString: t.tdb.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table menu_items in access exclusive mode');
      const pending = fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: fixture.slug } }))}`);
      const waiting = async () =>
        (
          await blocker.query<{ pid: number }>(
            "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
          )
        ).rows[0]?.pid;
      await expect.poll(waiting, { timeout: 10_000 }).toBeDefined();
      await blocker.query('select pg_terminate_backend($1)', [await waiting()]);
      await blocker.query('commit');
      const response = await pending;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { result: { data: { json: { location: { slug: string } } } } }).result.data.json.location.slug).toBe(fixture.slug);
    } finally {
      await blocker.end();
    }
  });
});
