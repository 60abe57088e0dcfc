/**
 * Place-to-kitchen latency: two Bistro instances (each its own process) sharing one database
 * and one Redis, 100 kitchen screens subscribed to `kitchen.onTickets` (half on each), and a
 * customers placing orders one after another through the first instance. Each sample is the
 * time from sending `orders.place` to one screen receiving the ticket; every screen must get
 * every ticket exactly once. The screens run in child processes (kitchen-screens.ts,
 * `BENCH_KITCHEN_SCREEN_PROCESSES`, default 2), so this process's own event loop is not in the
 * figures; `BENCH_KITCHEN_CLIENT=trpc` makes them @bistro/client subscriptions rather than
 * plain-HTTP readers of the same stream (see kitchen-screens.ts). Goal: p99 < 50 ms.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createBistroClient } from '@bistro/client';
import type { TestDatabase } from '@bistro/db/testing';
import type { ScreensReport, ScreensSetup } from './kitchen-screens.js';
// Sessions are written straight to the database: signing in over the wire meets the per-IP
// limits that Redis keeps between runs (and between benches and test runs on one machine).
import { createSession } from '../packages/api/src/auth/sessions.js';
import { BENCH_REDIS_URL, benchLocation, percentile, positiveInt, reportedUrl, startBenchProcess, stopProcesses, throwawayDataKeys } from './shared.js';

const SUBSCRIBERS = 100;

/** bistro.ts in its own process (its own event loop), with Redis; resolves to its URL. */
export function startInstance(databaseUrl: string, dataKeys: string, children: ChildProcess[]): Promise<string> {
  const prof = process.env.BENCH_CPU_PROF;
  const child = startBenchProcess('bistro.ts', children, {
    DATABASE_URL: databaseUrl,
    BENCH_REDIS_URL: BENCH_REDIS_URL!,
    BISTRO_DATA_KEYS: dataKeys,
    // `BENCH_CPU_PROF=<dir>`: a CPU profile of each instance.
    ...(prof ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${prof}` } : {}),
  });
  return reportedUrl(child, 'a kitchen bench instance did not start within 30 s', (code) => `a kitchen bench instance exited before it was ready (code ${code})`);
}

/** A bearer token of a new user, written straight to the database; staff of `locationId` when given. */
export async function benchUser(tdb: TestDatabase, label: string, locationId?: string): Promise<string> {
  const email = `${label}.${randomBytes(4).toString('hex')}@bistro.localhost`;
  const { id } = await tdb.db.insertInto('users').values({ email, name: label, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
  if (locationId) await tdb.db.insertInto('location_roles').values({ user_id: id, location_id: locationId, role: 'staff' }).execute();
  return (await createSession(tdb.db, id, { ip: null, userAgent: 'bench', now: new Date() })).token;
}

/** Runs the benchmark against `tdb` (any migrated database) and returns its line. */
/** Kitchen screens in child processes, the feeds spread evenly over two instances. */
export interface Screens {
  /** Refusals and lost events the screens reported, and events some screens never got. */
  problems: string[];
  /** When each screen got the order (a clock shared across processes), once every process reported or `timeoutMs` passed. */
  arrivals(orderId: string, timeoutMs: number): Promise<number[]>;
}

export async function startScreens(options: {
  children: ChildProcess[];
  processes: number;
  subscribers: number;
  urls: [string, string];
  setup: Omit<ScreensSetup, 'urls'>;
  /** How long the feeds may take to connect, and what to call them in errors. */
  connectMs: number;
  what: string;
}): Promise<Screens> {
  const { children, processes, subscribers, urls: [first, second], setup, connectMs, what } = options;
  const reports = new Map<string, number[][]>();
  let waiting: (() => void) | undefined;
  const problems: string[] = [];
  const handedOut = await Promise.all(
    Array.from({ length: processes }, async (_, p) => {
      const urls = Array.from({ length: subscribers }, (_, i) => i)
        .filter((i) => i % processes === p)
        .map((i) => (i % 2 === 0 ? first : second));
      const child = startBenchProcess('kitchen-screens.ts', children);
      const live = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} did not all connect within ${connectMs / 1000} s`)), connectMs);
        child.on('message', (report: ScreensReport) => {
          if (report.kind === 'started') {
            clearTimeout(timer);
            resolve();
          } else if (report.kind === 'problem') {
            problems.push(report.message);
          } else {
            let all = reports.get(report.orderId);
            if (!all) reports.set(report.orderId, (all = []));
            all.push(report.arrivals);
            waiting?.();
          }
        });
        child.once('exit', (code) => reject(new Error(`${what} exited (code ${code})`)));
      });
      child.send({ ...setup, urls } satisfies ScreensSetup);
      await live;
      return urls.length;
    }),
  );
  if (handedOut.reduce((a, b) => a + b, 0) !== subscribers) throw new Error(`the ${what} were not all handed out`);
  return {
    problems,
    async arrivals(orderId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while ((reports.get(orderId)?.length ?? 0) < processes && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 1_000);
        });
      }
      const arrived = (reports.get(orderId) ?? []).flat();
      reports.delete(orderId);
      if (arrived.length < subscribers) problems.push(`${subscribers - arrived.length} ${what} never got ${orderId}`);
      return arrived;
    },
  };
}

export async function benchKitchenLatency(tdb: TestDatabase): Promise<string> {
  if (!BENCH_REDIS_URL) return 'kitchen latency: skipped, it needs Redis (none answered; set TEST_REDIS_URL or start redis-server)';
  const orders = positiveInt('BENCH_KITCHEN_ORDERS', 200);
  const children: ChildProcess[] = [];
  try {
    const dataKeys = throwawayDataKeys();
    const [first, second] = await Promise.all([startInstance(tdb.url, dataKeys, children), startInstance(tdb.url, dataKeys, children)]);
    const db = tdb.db;
    const slug = `bench-kitchen-${randomBytes(4).toString('hex')}`;
    const { locationId, itemId } = await benchLocation(db, slug, 'Bench pass', 'Soup of the day');

    // A customer may place 30 orders per 10 minutes (LIMITS.placeUser): a new one every 25.
    const customers: ReturnType<typeof createBistroClient>[] = [];
    for (let i = 0; i < Math.ceil((orders + 10) / 25); i++) customers.push(createBistroClient({ url: first, token: await benchUser(tdb, 'bench-customer') }));
    let placedSoFar = 0;
    const cookToken = await benchUser(tdb, 'bench-cook', locationId);

    // The screens live in child processes (half of each process's screens on each instance):
    // this process only places orders and keeps time. Each screen stamps its arrival with a
    // clock shared across processes (performance.timeOrigin + now()).
    const { lastEventId } = await createBistroClient({ url: first, token: cookToken }).kitchen.queue.query({ locationId });
    const processes = positiveInt('BENCH_KITCHEN_SCREEN_PROCESSES', 2);
    const client = process.env.BENCH_KITCHEN_CLIENT === 'trpc' ? 'trpc' : 'raw';
    const screens = await startScreens({
      children,
      processes,
      subscribers: SUBSCRIBERS,
      urls: [first, second],
      setup: { token: cookToken, locationId, lastEventId, client },
      connectMs: 30_000,
      what: 'screens',
    });

    // Orders go one at a time and the next waits until every screen has the last; each sample
    // runs from when that order was sent to when one screen got it.
    const clock = () => performance.timeOrigin + performance.now();
    const samples: number[] = [];
    const placeTimes: number[] = [];
    /** Per order, from the first screen getting it to the last: the fan-out alone. */
    const spreads: number[] = [];
    const placeAndWait = async (measure: boolean) => {
      const sentAt = clock();
      const placed = await customers[Math.floor(placedSoFar++ / 25)]!.orders.place.mutate({
        locationSlug: slug,
        type: 'pickup',
        lines: [{ itemId, quantity: 1, options: [] }],
        contact: { name: 'Bench Guest', phone: '+351 900 000 000' },
        idempotencyKey: randomUUID(),
      });
      if (measure) placeTimes.push(clock() - sentAt);
      const arrived = await screens.arrivals(placed.id, 10_000);
      if (measure && arrived.length > 0) {
        for (const at of arrived) samples.push(at - sentAt);
        spreads.push(Math.max(...arrived) - Math.min(...arrived));
      }
    };
    // Warm-up: connections, query plans, Redis subscriptions.
    for (let i = 0; i < 10; i++) await placeAndWait(false);
    for (let i = 0; i < orders; i++) await placeAndWait(true);
    if (screens.problems.length > 0) throw new Error(`${screens.problems.length} problems, e.g. ${screens.problems[0]}`);
    const sorted = samples.sort((x, y) => x - y);
    const pt = placeTimes.sort((x, y) => x - y);
    // The part of each sample that is orders.place itself (the rest is the feed's fan-out).
    console.error(`  orders.place alone during the kitchen bench: p50 ${percentile(pt, 50).toFixed(1)} ms, p99 ${percentile(pt, 99).toFixed(1)} ms`);
    const sp = spreads.sort((x, y) => x - y);
    console.error(`  first to last screen of one order: p50 ${percentile(sp, 50).toFixed(1)} ms, p99 ${percentile(sp, 99).toFixed(1)} ms`);
    return `place-to-kitchen: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (${orders} orders, ${SUBSCRIBERS} subscribers, 2 instances, ${client} screens)`;
  } finally {
    await stopProcesses(children);
  }
}
