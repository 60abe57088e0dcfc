/**
 * Payments (issue 14), on one Bistro (its own process) with the sandbox provider:
 * - `orders.place online`: 50 signed-in customers placing orders paid online (pending_payment,
 *   an online tender, the provider asked for its client secret after commit), beside the same
 *   customers placing orders paid at the counter, in the same run: orders/s, p99, ratio.
 * - `webhook-to-kitchen`: a kitchen screen subscribed to `kitchen.onTickets`; for each order paid
 *   online, the time from POSTing the provider's signed `payment.succeeded` webhook to the screen
 *   getting the ticket; beside it, for orders paid at the counter, the time from `orders.place`
 *   to the screen (place-to-kitchen), one order at a time.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { SandboxProvider } from '@bistro/api';
import { createBistroClient } from '@bistro/client';
import type { TestDatabase } from '@bistro/db/testing';
import { createSession } from '../packages/api/src/auth/sessions.js';
import { benchLocation, percentile, positiveInt, reportedUrl, startBenchProcess, stopProcesses, throwawayDataKeys } from './shared.js';

interface Answer {
  result?: { data?: { json?: { id?: string; payment?: { tenderId: string; amountMinor: number } | null } } };
  error?: { json?: { data?: { bistroCode?: string } } };
}

async function post(url: string, body: unknown, token: string): Promise<{ status: number; json: Answer; ms: number }> {
  const t0 = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ json: body }) });
  const json = (await response.json()) as Answer;
  return { status: response.status, json, ms: performance.now() - t0 };
}

async function user(tdb: TestDatabase, label: string, staffAt?: string): Promise<string> {
  const { id } = await tdb.db.insertInto('users').values({ email: `${label}.${randomBytes(4).toString('hex')}@bistro.localhost`, name: label, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
  if (staffAt) await tdb.db.insertInto('location_roles').values({ user_id: id, location_id: staffAt, role: 'staff' }).execute();
  return (await createSession(tdb.db, id, { ip: null, userAgent: 'bench', now: new Date() })).token;
}

/** `clients` customers each placing `perClient` orders one after another; orders/s and p99. */
async function placeMany(url: string, tokens: string[], perClient: number, order: () => Record<string, unknown>): Promise<{ rate: number; p99: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token) => {
      for (let i = 0; i < perClient; i++) {
        const answer = await post(`${url}/trpc/orders.place`, order(), token);
        if (answer.status !== 200) throw new Error(`payments bench: orders.place answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
        latencies.push(answer.ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / seconds, p99: percentile(latencies, 99) };
}

export async function benchPayments(tdb: TestDatabase): Promise<string[]> {
  const clients = positiveInt('BENCH_CONNECTIONS', 50);
  const perClient = positiveInt('BENCH_PAYMENT_ORDERS_PER_CLIENT', 10);
  const samples = positiveInt('BENCH_PAYMENT_LATENCY_ORDERS', 100);
  const children: ChildProcess[] = [];
  const secret = randomBytes(32).toString('base64url');
  try {
    const child = startBenchProcess('bistro.ts', children, { DATABASE_URL: tdb.url, BISTRO_DATA_KEYS: throwawayDataKeys(), BENCH_SANDBOX_SECRET: secret, BENCH_DB_POOL_SIZE: String(clients) });
    const url = await reportedUrl(child, 'the payments bench instance did not start within 30 s', (code) => `the payments bench instance exited (code ${code})`);
    // A location per round: a slot takes at most 1,000 orders (the schema's limit), and every
    // order here is wanted as soon as possible, in the same slot.
    const place = async (round: string) => {
      const slug = `bench-pay-${round}-${randomBytes(4).toString('hex')}`;
      const { locationId, itemId } = await benchLocation(tdb.db, slug, `Bench payments ${round}`, 'Paid soup');
      const order = (payment: 'online' | 'counter', name = 'Bench') => () => ({
        locationSlug: slug,
        type: 'pickup',
        lines: [{ itemId, quantity: 1, options: [] }],
        contact: { name, phone: '+33 1 23 45 67 89' },
        idempotencyKey: randomUUID(),
        ...(payment === 'online' ? { payment } : {}),
      });
      return { locationId, order };
    };
    const tokens = await Promise.all(Array.from({ length: clients }, (_, i) => user(tdb, `payer${i}`)));
    // Counter before and after online, averaged: the machine's load drifts during a run.
    const counterBefore = await placeMany(url, tokens, perClient, (await place('before')).order('counter'));
    const online = await placeMany(url, tokens, perClient, (await place('online')).order('online'));
    const counterAfter = await placeMany(url, tokens, perClient, (await place('after')).order('counter'));
    const counter = { rate: (counterBefore.rate + counterAfter.rate) / 2, p99: (counterBefore.p99 + counterAfter.p99) / 2 };
    const { locationId, order } = await place('latency');

    // One kitchen screen; orders one at a time.
    const sandbox = new SandboxProvider({ secret: Buffer.from(secret), now: () => new Date(), deliver: async () => {} });
    const staff = createBistroClient({ url, token: await user(tdb, 'screen', locationId) });
    const { lastEventId } = await staff.kitchen.queue.query({ locationId });
    const waiting = new Map<string, (at: number) => void>();
    const subscription = staff.kitchen.onTickets.subscribe(
      { locationId, lastEventId },
      {
        onData: (event) => {
          const at = performance.now();
          waiting.get(event.data.orderId)?.(at);
          // A counter order is waited for by its guest's (unique) name: its ticket may arrive before orders.place answers.
          if (event.data.ticket?.guestFirstName) waiting.get(event.data.ticket.guestFirstName)?.(at);
        },
        onError: (error) => console.error('  payments bench screen:', error),
      },
    );
    const arrival = (orderId: string) => new Promise<number>((resolve) => waiting.set(orderId, resolve));
    // Customers of their own (an account places at most 30 orders in 10 minutes), a new one every 25 orders.
    const latencyTokens = await Promise.all(Array.from({ length: Math.ceil((2 * samples + 1) / 25) }, (_, i) => user(tdb, `latency${i}`)));
    let placedSoFar = 0;
    const placeOne = async (body: Record<string, unknown>) => {
      const answer = await post(`${url}/trpc/orders.place`, body, latencyTokens[Math.floor(placedSoFar++ / 25)]!);
      if (answer.status !== 200) throw new Error(`payments bench: orders.place answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
      return answer;
    };
    const webhookMs: number[] = [];
    const placeMs: number[] = [];
    try {
      // A first ticket to know the feed is connected.
      const warmed = arrival('Warmup');
      await placeOne(order('counter', 'Warmup')());
      await warmed;
      for (let i = 0; i < samples; i++) {
        const placed = await placeOne(order('online')());
        const id = placed.json.result?.data?.json?.id;
        const payment = placed.json.result?.data?.json?.payment;
        if (!id || !payment) throw new Error(`payments bench: an online order without its payment: ${JSON.stringify(placed.json).slice(0, 200)}`);
        const hook = sandbox.signedWebhook({ id: `sbx_evt_bench_${randomUUID()}`, type: 'payment.succeeded', created: Math.floor(Date.now() / 1000), data: { paymentRef: `sbx_pi_${payment.tenderId}`, tenderId: payment.tenderId, amountMinor: payment.amountMinor } });
        const arrived = arrival(id);
        const t0 = performance.now();
        const response = await fetch(`${url}/webhooks/payments/sandbox`, { method: 'POST', headers: hook.headers, body: hook.body });
        if (response.status !== 200) throw new Error(`payments bench: the webhook answered ${response.status}`);
        await response.arrayBuffer();
        webhookMs.push((await arrived) - t0);

        const name = `Counter${i}`;
        const counterArrived = arrival(name);
        const t1 = performance.now();
        await placeOne(order('counter', name)());
        placeMs.push((await counterArrived) - t1);
      }
    } finally {
      subscription.unsubscribe();
    }
    webhookMs.sort((a, b) => a - b);
    placeMs.sort((a, b) => a - b);
    return [
      `orders.place online: ${Math.round(online.rate)} orders/s p99 ${Math.round(online.p99)} ms, counter ${Math.round(counter.rate)} orders/s p99 ${Math.round(counter.p99)} ms, ratio ${(online.rate / counter.rate).toFixed(2)}`,
      `webhook-to-kitchen: p50 ${percentile(webhookMs, 50).toFixed(1)} ms, p99 ${percentile(webhookMs, 99).toFixed(1)} ms, place-to-kitchen p50 ${percentile(placeMs, 50).toFixed(1)} ms, p99 ${percentile(placeMs, 99).toFixed(1)} ms (${samples} orders, 1 subscriber)`,
    ];
  } finally {
    await stopProcesses(children);
  }
}
