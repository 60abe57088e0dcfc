/**
 * What a year of trading does to the hot paths: `menu.get` and `orders.place` at Bistro Centrale,
 * on the demo-sized database and on one grown by growth-seed.ts (300-item menu, 200,000 orders …),
 * each against its own Bistro process (menu cache off, as in the ratio lines), one request at a
 * time, so the figure is a request's latency, not a queue's.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Passwords } from '@bistro/api';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { createGrownDatabase, GROWN_LOCATION } from './growth-seed.js';
import { percentile, positiveInt, reportedUrl, startBenchProcess, stopProcesses } from './shared.js';

const PASSWORD = 'bench-regular-customer-7';
/** orders.place allows 30 orders per customer per 10 minutes; each customer places fewer. */
const ORDERS_PER_CUSTOMER = 25;

interface Figures {
  menuP50: number;
  placeP50: number;
}

/** Runs the comparison on two scratch databases of its own (demo-seeded, and grown) and returns its line. */
export async function benchGrowth(): Promise<string> {
  const small = await createTestDatabase({ seed: true });
  const grown = await createGrownDatabase().catch(async (error: unknown) => {
    await small.drop();
    throw error;
  });
  try {
    const s = await measure('small', small);
    const g = await measure('grown', grown);
    return (
      `growth: menu.get p50 ${s.menuP50.toFixed(1)} ms small, ${g.menuP50.toFixed(1)} ms grown; ` +
      `orders.place p50 ${s.placeP50.toFixed(1)} ms small, ${g.placeP50.toFixed(1)} ms grown`
    );
  } finally {
    await Promise.all([small.drop(), grown.drop()]);
  }
}

async function measure(label: string, tdb: TestDatabase): Promise<Figures> {
  const children: ChildProcess[] = [];
  try {
    await openAroundTheClock(tdb);
    const child = startBenchProcess('bistro.ts', children, { DATABASE_URL: tdb.url });
    const url = await reportedUrl(child, `bistro.ts (${label}) did not report a URL within 30 s`, (code, signal) => `bistro.ts (${label}) exited early (code ${code}, signal ${signal})`);
    const menuP50 = await menuLatency(url);
    const placeP50 = await placeLatency(url, tdb, label);
    console.error(`  growth ${label}: menu.get p50 ${menuP50.toFixed(1)} ms, orders.place p50 ${placeP50.toFixed(1)} ms`);
    return { menuP50, placeP50 };
  } finally {
    await stopProcesses(children);
  }
}

/**
 * The bench must place orders whatever the hour: the location opens around the clock, orders
 * can be for right now, a slot takes many, and no day is closed.
 */
async function openAroundTheClock(tdb: TestDatabase): Promise<void> {
  const { id } = await tdb.db.selectFrom('locations').select('id').where('slug', '=', GROWN_LOCATION).executeTakeFirstOrThrow();
  await tdb.db.deleteFrom('opening_hours').where('location_id', '=', id).execute();
  await tdb.db
    .insertInto('opening_hours')
    .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ location_id: id, weekday, opens_at: 0, closes_at: 1440 })))
    .execute();
  await tdb.db.deleteFrom('location_closures').where('location_id', '=', id).execute();
  await tdb.db.updateTable('locations').set({ prep_minutes: 0, slot_capacity: 1000, accepting_orders: true }).where('id', '=', id).execute();
}

async function timed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

const MENU_PATH = `/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: GROWN_LOCATION } }))}`;

async function getMenu(url: string): Promise<{ categories: { items: { id: string; name: string; available: boolean; optionGroups: unknown[] }[] }[] }> {
  const response = await fetch(url + MENU_PATH);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`growth: menu.get answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: { json: never } } }).result.data.json;
}

async function menuLatency(url: string): Promise<number> {
  const requests = positiveInt('BENCH_GROWTH_REQUESTS', 40);
  for (let i = 0; i < 5; i++) await getMenu(url);
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) samples.push(await timed(() => getMenu(url).then(() => undefined)));
  return percentile(samples.sort((a, b) => a - b), 50);
}

async function post(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ json: body }),
  });
  return { status: response.status, text: await response.text() };
}

/** Sequential orders of one available dish without choices, by signed-in customers (guests are throttled per IP). */
async function placeLatency(url: string, tdb: TestDatabase, label: string): Promise<number> {
  const orders = positiveInt('BENCH_GROWTH_ORDERS', 40);
  const menu = await getMenu(url);
  const dish = menu.categories.flatMap((c) => c.items).find((i) => i.available && i.optionGroups.length === 0);
  if (!dish) throw new Error(`growth (${label}): no available dish without choices to order`);

  const hash = await new Passwords().hash(PASSWORD);
  const customers = Math.ceil((orders + 5) / ORDERS_PER_CUSTOMER);
  const emails = Array.from({ length: customers }, (_, i) => `bench.growth.${i}.${randomUUID().slice(0, 8)}@bistro.localhost`);
  await tdb.db.insertInto('users').values(emails.map((email, i) => ({ email, name: `Regular ${i}`, password_hash: hash }))).execute();
  const tokens: string[] = [];
  for (const email of emails) {
    const signedIn = await post(url, '/trpc/auth.signIn', { email, password: PASSWORD, mode: 'token' });
    const token = signedIn.status === 200 ? (JSON.parse(signedIn.text) as { result: { data: { json: { token: string } } } }).result.data.json.token : undefined;
    if (!token) throw new Error(`growth (${label}): sign-in answered ${signedIn.status}: ${signedIn.text.slice(0, 300)}`);
    tokens.push(token);
  }

  const place = async (i: number) => {
    const answer = await post(
      url,
      '/trpc/orders.place',
      { locationSlug: GROWN_LOCATION, type: 'pickup', lines: [{ itemId: dish.id, quantity: 1, options: [] }], contact: { name: 'Bench', phone: '+33 1 23 45 67 89' }, idempotencyKey: randomUUID() },
      tokens[Math.floor(i / ORDERS_PER_CUSTOMER)],
    );
    if (answer.status !== 200) throw new Error(`growth (${label}): orders.place answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  };
  for (let i = 0; i < 5; i++) await place(orders + i);
  const samples: number[] = [];
  for (let i = 0; i < orders; i++) samples.push(await timed(() => place(i)));
  return percentile(samples.sort((a, b) => a - b), 50);
}
