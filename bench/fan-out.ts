/**
 * Fan-out: one event reaching 1,000 open kitchen feeds on two Bistro instances (each its own
 * process) sharing one database and one Redis, half of the feeds on each. The feeds are plain
 * HTTP readers of `kitchen.onTickets` in child processes (kitchen-screens.ts,
 * `BENCH_FANOUT_SCREEN_PROCESSES`, default 4), so this process only places orders and keeps
 * time. Orders go one at a time (`BENCH_FANOUT_ORDERS`, default 20, after 3 warm-up ones); a
 * sample runs from `orders.place` answering (the event is committed and announced by then) to
 * one feed receiving it, 1,000 samples per order. Goal: p99 < 250 ms.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createBistroClient } from '@bistro/client';
import type { TestDatabase } from '@bistro/db/testing';
import { benchUser, startInstance, startScreens } from './kitchen-latency.js';
import { benchLocation, percentile, positiveInt, stopProcesses, throwawayDataKeys } from './shared.js';

const SUBSCRIBERS = 1000;

/** Runs the benchmark against `tdb` (any migrated database) and returns its line. */
export async function benchFanOut(tdb: TestDatabase): Promise<string> {
  const orders = positiveInt('BENCH_FANOUT_ORDERS', 20);
  const processes = positiveInt('BENCH_FANOUT_SCREEN_PROCESSES', 4);
  const children: ChildProcess[] = [];
  try {
    const dataKeys = throwawayDataKeys();
    const [first, second] = await Promise.all([startInstance(tdb.url, dataKeys, children), startInstance(tdb.url, dataKeys, children)]);
    const slug = `bench-fanout-${randomBytes(4).toString('hex')}`;
    const { locationId, itemId } = await benchLocation(tdb.db, slug, 'Bench fan-out', 'Soup of the day');
    const customers: ReturnType<typeof createBistroClient>[] = [];
    // A customer may place 30 orders per 10 minutes (LIMITS.placeUser).
    for (let i = 0; i < Math.ceil((orders + 3) / 25); i++) customers.push(createBistroClient({ url: first, token: await benchUser(tdb, 'bench-fanout-customer') }));
    const cookToken = await benchUser(tdb, 'bench-fanout-cook', locationId);
    const { lastEventId } = await createBistroClient({ url: first, token: cookToken }).kitchen.queue.query({ locationId });

    const screens = await startScreens({
      children,
      processes,
      subscribers: SUBSCRIBERS,
      urls: [first, second],
      setup: { token: cookToken, locationId, lastEventId, client: 'raw' },
      connectMs: 60_000,
      what: 'fan-out feeds',
    });

    const clock = () => performance.timeOrigin + performance.now();
    const samples: number[] = [];
    let placedSoFar = 0;
    const placeAndWait = async (measure: boolean) => {
      const placed = await customers[Math.floor(placedSoFar++ / 25)]!.orders.place.mutate({
        locationSlug: slug,
        type: 'pickup',
        lines: [{ itemId, quantity: 1, options: [] }],
        contact: { name: 'Bench Guest' },
        idempotencyKey: randomUUID(),
      });
      const answeredAt = clock();
      const arrived = await screens.arrivals(placed.id, 20_000);
      // A feed may get the event before the answer reaches this process: that is 0 ms of fan-out.
      if (measure) for (const at of arrived) samples.push(Math.max(0, at - answeredAt));
    };
    for (let i = 0; i < 3; i++) await placeAndWait(false);
    for (let i = 0; i < orders; i++) await placeAndWait(true);
    if (screens.problems.length > 0) throw new Error(`${screens.problems.length} problems, e.g. ${screens.problems[0]}`);
    const sorted = samples.sort((x, y) => x - y);
    return `fan-out: ${SUBSCRIBERS} subscribers, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms (${orders} events, 2 instances)`;
  } finally {
    await stopProcesses(children);
  }
}
