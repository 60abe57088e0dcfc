/**
 * `orders.place` under contention: 50 signed-in customers ordering the same item as fast as
 * they can on a real Bistro server, until its stock runs out. Prints orders/s and p99 of the
 * successful placements, and how many portions were sold beyond the stock it started with
 * (which must be 0: the conditional UPDATE decides, never a read).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Passwords } from '@bistro/api';
import type { TestDatabase } from '@bistro/db/testing';
import { benchLocation, percentile, positiveInt, withBenchServer } from './shared.js';

const PASSWORD = 'bench-hungry-customer-42';

/** A tRPC answer over HTTP, as far as this bench reads it. */
interface Answer {
  result?: { data: { json: { token?: string } } };
  error?: { json?: { data?: { bistroCode?: string } } };
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; json: Answer }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ json: body }),
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

/** Runs the benchmark against `tdb` (any migrated database) and returns its line. */
export async function benchOrdersPlace(tdb: TestDatabase): Promise<string> {
  const clients = positiveInt('BENCH_CONNECTIONS', 50);
  // One 15-minute slot takes at most 1000 orders (locations.slot_capacity), and every order here is "as soon as possible".
  const stock = Math.min(1000, positiveInt('BENCH_ORDER_STOCK', 900));
  return withBenchServer(tdb, { dirPrefix: 'bistro-bench-orders-' }, async (url) => {
    const db = tdb.db;
    const slug = `bench-orders-${randomBytes(4).toString('hex')}`;
    const { locationId, itemId } = await benchLocation(db, slug, 'Bench kitchen', 'Contended soup');
    const { id: ingredientId } = await db
      .insertInto('ingredients')
      .values({ location_id: locationId, name: 'Soup portion', unit: 'piece', on_hand: stock })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('recipe_lines').values({ location_id: locationId, item_id: itemId, ingredient_id: ingredientId, quantity: 1 }).execute();

    // Signed-in customers (guests are throttled per IP, and every client here shares one).
    const hash = await new Passwords().hash(PASSWORD);
    const emails = Array.from({ length: clients }, (_, i) => `bench.orders.${i}.${slug}@bistro.localhost`);
    await db.insertInto('users').values(emails.map((email, i) => ({ email, name: `Hungry ${i}`, password_hash: hash }))).execute();
    const tokens: string[] = [];
    for (const email of emails) {
      const signedIn = await post(`${url}/trpc/auth.signIn`, { email, password: PASSWORD, mode: 'token' });
      if (signedIn.status !== 200) throw new Error(`bench sign-in answered ${signedIn.status}`);
      const token = signedIn.json.result?.data.json.token;
      if (!token) throw new Error('bench sign-in answered no token');
      tokens.push(token);
    }

    const latencies: number[] = [];
    const unexpected: string[] = [];
    let placed = 0;
    let soldOut = 0;
    const started = performance.now();
    let lastPlacedAt = started;
    await Promise.all(
      tokens.map(async (token) => {
        for (;;) {
          const t0 = performance.now();
          const answer = await post(
            `${url}/trpc/orders.place`,
            { locationSlug: slug, type: 'pickup', lines: [{ itemId, quantity: 1, options: [] }], contact: { name: 'Bench', phone: '+33 1 23 45 67 89' }, idempotencyKey: randomUUID() },
            token,
          );
          const t1 = performance.now();
          if (answer.status === 200) {
            placed += 1;
            latencies.push(t1 - t0);
            lastPlacedAt = t1;
            continue;
          }
          const code = answer.json.error?.json?.data?.bistroCode;
          if (code === 'SOLD_OUT') soldOut += 1;
          else unexpected.push(`${answer.status} ${code ?? JSON.stringify(answer.json).slice(0, 200)}`);
          return;
        }
      }),
    );
    const seconds = (lastPlacedAt - started) / 1000;
    if (unexpected.length) throw new Error(`orders.place bench: unexpected answers: ${unexpected.slice(0, 3).join('; ')}`);

    const rows = Number(
      (await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('location_id', '=', locationId).executeTakeFirstOrThrow()).n,
    );
    const { on_hand: left } = await db.selectFrom('ingredients').select('on_hand').where('id', '=', ingredientId).executeTakeFirstOrThrow();
    if (rows !== placed) throw new Error(`orders.place bench: ${placed} answers placed, but ${rows} orders in the database`);
    if (left !== stock - rows) throw new Error(`orders.place bench: ${stock} - ${rows} orders should leave ${stock - rows}, found ${left}`);
    const oversold = Math.max(0, rows - stock);
    latencies.sort((a, b) => a - b);
    console.error(`  orders.place: ${placed} orders of ${stock} portions in ${seconds.toFixed(2)} s by ${clients} clients, ${soldOut} told SOLD_OUT at the end`);
    return `orders.place: ${Math.round(placed / seconds)} orders/s p99 ${Math.round(percentile(latencies, 99))} ms, oversold ${oversold}`;
  });
}
