/**
 * Place-to-kitchen latency: two Bistro instances (each its own process) sharing one database
 * and one Redis, 100 kitchen screens subscribed to `kitchen.onTickets` (half on each), and a
 * customer placing orders one after another through the first instance. Each sample is the
 * time from sending `orders.place` to one screen receiving the ticket; every screen must get
 * every ticket exactly once. Goal: p99 < 50 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Passwords } from '@bistro/api';
import { createBistroClient } from '@bistro/client';
import type { TestDatabase } from '@bistro/db/testing';

const SUBSCRIBERS = 100;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'bench-kitchen-password-77';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** bistro.ts in its own process (its own event loop), with Redis; resolves to its URL. */
function startInstance(databaseUrl: string, dataKeys: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--conditions=@bistro/source', '--import', 'tsx', fileURLToPath(new URL('bistro.ts', import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_REDIS_URL: REDIS_URL, BISTRO_DATA_KEYS: dataKeys },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a kitchen bench instance did not start within 30 s')), 30_000);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a kitchen bench instance exited before it was ready (code ${code})`));
    });
  });
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** A user with a password, written straight to the database; staff of `locationId` when given. */
async function benchUser(tdb: TestDatabase, hash: string, label: string, locationId?: string): Promise<string> {
  const email = `${label}.${randomBytes(4).toString('hex')}@bistro.localhost`;
  const { id } = await tdb.db.insertInto('users').values({ email, name: label, password_hash: hash }).returning('id').executeTakeFirstOrThrow();
  if (locationId) await tdb.db.insertInto('location_roles').values({ user_id: id, location_id: locationId, role: 'staff' }).execute();
  return email;
}

/** Runs the benchmark against `tdb` (any migrated database) and returns its line. */
export async function benchKitchenLatency(tdb: TestDatabase): Promise<string> {
  const orders = positiveInt('BENCH_KITCHEN_ORDERS', 200);
  const children: ChildProcess[] = [];
  const unsubscribes: (() => void)[] = [];
  try {
    const dataKeys = `k1:${randomBytes(32).toString('base64')}`;
    const [first, second] = await Promise.all([startInstance(tdb.url, dataKeys, children), startInstance(tdb.url, dataKeys, children)]);
    const db = tdb.db;
    const slug = `bench-kitchen-${randomBytes(4).toString('hex')}`;
    const { id: locationId } = await db
      .insertInto('locations')
      .values({ slug, name: 'Bench pass', time_zone: 'UTC', currency: 'EUR', tax_rate_bp: 1000, prep_minutes: 0, slot_capacity: 1000 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('opening_hours')
      .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ location_id: locationId, weekday, opens_at: 0, closes_at: 1440 })))
      .execute();
    const { id: categoryId } = await db.insertInto('menu_categories').values({ location_id: locationId, name: 'Mains' }).returning('id').executeTakeFirstOrThrow();
    const { id: itemId } = await db
      .insertInto('menu_items')
      .values({ location_id: locationId, category_id: categoryId, name: 'Soup of the day', price_minor: 650 })
      .returning('id')
      .executeTakeFirstOrThrow();

    const hash = await new Passwords().hash(PASSWORD);
    const signIn = async (url: string, email: string) => {
      const session = await createBistroClient({ url }).auth.signIn.mutate({ email, password: PASSWORD, mode: 'token' });
      if (!session.token) throw new Error('the bench sign-in returned no token');
      return session.token;
    };
    const customer = createBistroClient({ url: first, token: await signIn(first, await benchUser(tdb, hash, 'bench-customer')) });
    const cookToken = await signIn(first, await benchUser(tdb, hash, 'bench-cook', locationId));

    // Orders go one at a time and the next waits until every screen has the last, so each
    // arrival belongs to the order in flight; its sample runs from when that order was sent.
    let sentAt = 0;
    let measuring = false;
    let arrivals = 0;
    let allArrived: (() => void) | undefined;
    const samples: number[] = [];
    const placeTimes: number[] = [];
    const seen = Array.from({ length: SUBSCRIBERS }, () => new Set<string>());
    const problems: string[] = [];
    let started = 0;
    const { lastEventId } = await createBistroClient({ url: first, token: cookToken }).kitchen.queue.query({ locationId });
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const screen = createBistroClient({ url: i % 2 === 0 ? first : second, token: cookToken });
      const subscription = screen.kitchen.onTickets.subscribe(
        { locationId, lastEventId },
        {
          onStarted: () => void (started += 1),
          onData: (event) => {
            const at = performance.now();
            const orderId = event.data.orderId;
            if (seen[i]!.has(orderId)) problems.push(`screen ${i} got ${orderId} twice`);
            seen[i]!.add(orderId);
            if (measuring) samples.push(at - sentAt);
            arrivals += 1;
            if (arrivals === SUBSCRIBERS) allArrived?.();
          },
          onError: (error) => problems.push(`screen ${i}: ${String(error)}`),
        },
      );
      unsubscribes.push(() => subscription.unsubscribe());
    }
    for (let i = 0; i < 600 && started < SUBSCRIBERS; i++) await new Promise((r) => setTimeout(r, 50));
    if (started < SUBSCRIBERS) throw new Error(`only ${started} of ${SUBSCRIBERS} kitchen screens connected`);

    const placeAndWait = async (measure: boolean) => {
      arrivals = 0;
      measuring = measure;
      const everyone = new Promise<void>((resolve) => (allArrived = resolve));
      const timeout = setTimeout(() => allArrived?.(), 10_000);
      sentAt = performance.now();
      const placed = await customer.orders.place.mutate({
        locationSlug: slug,
        type: 'pickup',
        lines: [{ itemId, quantity: 1, options: [] }],
        contact: { name: 'Bench Guest', phone: '+351 900 000 000' },
        idempotencyKey: randomUUID(),
      });
      if (measure) placeTimes.push(performance.now() - sentAt);
      await everyone;
      clearTimeout(timeout);
      const missed = seen.filter((s) => !s.has(placed.id)).length;
      if (missed > 0) problems.push(`${missed} screens never got ${placed.id}`);
    };
    // Warm-up: connections, query plans, Redis subscriptions.
    for (let i = 0; i < 10; i++) await placeAndWait(false);
    for (let i = 0; i < orders; i++) await placeAndWait(true);
    if (problems.length > 0) throw new Error(`${problems.length} problems, e.g. ${problems[0]}`);
    const sorted = samples.sort((x, y) => x - y);
    const pt = placeTimes.sort((x, y) => x - y);
    // The part of each sample that is orders.place itself (the rest is the feed's fan-out).
    console.error(`  orders.place alone during the kitchen bench: p50 ${percentile(pt, 50).toFixed(1)} ms, p99 ${percentile(pt, 99).toFixed(1)} ms`);
    return `place-to-kitchen: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (${orders} orders, ${SUBSCRIBERS} subscribers, 2 instances)`;
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
    await stop(children);
  }
}
