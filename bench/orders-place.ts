/**
 * `orders.place` under contention: 50 signed-in customers ordering the same item as fast as
 * they can on a real Bistro server (its own process), until its stock runs out. Beside it, in
 * the same run, the minimal transaction: the same contended stock `UPDATE … WHERE on_hand >= 1`
 * and the order and line `INSERT`s from `pg` with 50 clients, no Bistro code. Prints orders/s
 * and p99 of the successful placements, the baseline's transactions/s, their ratio, and how
 * many portions were sold beyond the stock (which must be 0: the conditional UPDATE decides).
 * `BENCH_CPU_PROF=<dir>` writes a CPU profile of the Bistro process there.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { TestDatabase } from '@bistro/db/testing';
// Sessions are written straight to the database: signing in over the wire meets per-IP limits.
import { createSession } from '../packages/api/src/auth/sessions.js';
import { benchLocation, percentile, positiveInt, reportedUrl, startBenchProcess, stopProcesses, throwawayDataKeys } from './shared.js';

/** A tRPC answer over HTTP, as far as this bench reads it. */
interface Answer {
  error?: { json?: { data?: { bistroCode?: string } } };
}

async function post(url: string, body: unknown, token: string): Promise<{ status: number; json: Answer }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ json: body }),
  });
  return { status: response.status, json: (await response.json()) as Answer };
}

/** CPU milliseconds process `pid` has used so far (Linux; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** A location with one dish whose recipe takes one portion of one ingredient with `stock` on hand. */
async function contendedDish(tdb: TestDatabase, label: string, stock: number) {
  const slug = `bench-${label}-${randomBytes(4).toString('hex')}`;
  const { locationId, itemId } = await benchLocation(tdb.db, slug, `Bench ${label}`, 'Contended soup');
  const { id: ingredientId } = await tdb.db
    .insertInto('ingredients')
    .values({ location_id: locationId, name: 'Soup portion', unit: 'piece', on_hand: stock })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tdb.db.insertInto('recipe_lines').values({ location_id: locationId, item_id: itemId, ingredient_id: ingredientId, quantity: 1 }).execute();
  return { slug, locationId, itemId, ingredientId };
}

/** Bistro through HTTP: orders/s and p99 until the stock runs out; checks the database agrees with the answers. */
async function placeThroughBistro(tdb: TestDatabase, clients: number, stock: number): Promise<{ rate: number; p99: number; oversold: number }> {
  const children: ChildProcess[] = [];
  try {
    const prof = process.env.BENCH_CPU_PROF;
    const child = startBenchProcess('bistro.ts', children, {
      DATABASE_URL: tdb.url,
      BISTRO_DATA_KEYS: throwawayDataKeys(),
      // As many database connections as the baseline has clients: on a busy machine each is a process competing for the CPU.
      BENCH_DB_POOL_SIZE: String(clients),
      ...(prof ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${prof}` } : {}),
    });
    const url = await reportedUrl(child, 'the orders bench instance did not start within 30 s', (code) => `the orders bench instance exited (code ${code})`);
    const { slug, locationId, itemId, ingredientId } = await contendedDish(tdb, 'orders', stock);
    const tokens: string[] = [];
    for (let i = 0; i < clients; i++) {
      const { id } = await tdb.db
        .insertInto('users')
        .values({ email: `bench.orders.${i}.${slug}@bistro.localhost`, name: `Hungry ${i}`, password_hash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      tokens.push((await createSession(tdb.db, id, { ip: null, userAgent: 'bench', now: new Date() })).token);
    }

    const cpuBefore = cpuMs(child.pid);
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
    const cpuAfter = cpuMs(child.pid);
    if (unexpected.length) throw new Error(`orders.place bench: unexpected answers: ${unexpected.slice(0, 3).join('; ')}`);

    const rows = Number(
      (await tdb.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('location_id', '=', locationId).executeTakeFirstOrThrow()).n,
    );
    const { on_hand: left } = await tdb.db.selectFrom('ingredients').select('on_hand').where('id', '=', ingredientId).executeTakeFirstOrThrow();
    if (rows !== placed) throw new Error(`orders.place bench: ${placed} answers placed, but ${rows} orders in the database`);
    if (left !== stock - rows) throw new Error(`orders.place bench: ${stock} - ${rows} orders should leave ${stock - rows}, found ${left}`);
    latencies.sort((a, b) => a - b);
    console.error(`  orders.place: ${placed} orders of ${stock} portions in ${seconds.toFixed(2)} s by ${clients} clients, ${soldOut} told SOLD_OUT at the end, server CPU ${((cpuAfter - cpuBefore) / (placed + soldOut)).toFixed(2)} ms/request`);
    return { rate: placed / seconds, p99: percentile(latencies, 99), oversold: Math.max(0, rows - stock) };
  } finally {
    await stopProcesses(children);
  }
}

/**
 * The minimal transaction, no Bistro code: BEGIN, the contended conditional stock UPDATE, the
 * order and line INSERTs, COMMIT, from `clients` pg connections until the stock runs out.
 */
async function minimalTransactions(tdb: TestDatabase, clients: number, stock: number): Promise<number> {
  const { locationId, itemId, ingredientId } = await contendedDish(tdb, 'minimal', stock);
  const pool = new pg.Pool({ connectionString: tdb.url, max: clients });
  // Dropping the database at the end terminates whatever is still connected: not a failure of the bench.
  pool.on('error', () => {});
  try {
    let number = 0;
    let committed = 0;
    const localDate = new Date().toISOString().slice(0, 10);
    const secret = randomBytes(32);
    const started = performance.now();
    let lastAt = started;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = await pool.connect();
        try {
          for (;;) {
            await client.query('begin');
            const taken = await client.query('update ingredients set on_hand = on_hand - 1 where id = $1 and on_hand >= 1 returning on_hand', [ingredientId]);
            if (taken.rowCount === 0) {
              await client.query('rollback');
              return;
            }
            const id = randomUUID();
            const n = ++number;
            const now = new Date();
            await client.query(
              `insert into orders (id, location_id, local_date, number, display_number, status, type, slot_start, contact_name,
                 currency, subtotal_minor, tax_minor, tip_minor, total_minor, tracking_secret_hash, created_at, updated_at)
               values ($1, $2, $3, $4, $5, 'placed', 'pickup', $6, 'Bench', 'EUR', 650, 65, 0, 715, $7, $6, $6)`,
              [id, locationId, localDate, n, `#A-${n}`, now, secret],
            );
            await client.query(
              `insert into order_lines (order_id, line_index, item_id, name, quantity, unit_price_minor, line_total_minor)
               values ($1, 0, $2, 'Contended soup', 1, 650, 650)`,
              [id, itemId],
            );
            await client.query('commit');
            committed += 1;
            lastAt = performance.now();
          }
        } finally {
          client.release();
        }
      }),
    );
    const seconds = (lastAt - started) / 1000;
    console.error(`  minimal transaction: ${committed} of ${stock} in ${seconds.toFixed(2)} s by ${clients} pg clients`);
    return committed / seconds;
  } finally {
    await pool.end();
  }
}

/** Runs the benchmark against `tdb` (any migrated database) and returns its line. */
export async function benchOrdersPlace(tdb: TestDatabase): Promise<string> {
  const clients = positiveInt('BENCH_CONNECTIONS', 50);
  // One 15-minute slot takes at most 1000 orders (locations.slot_capacity), and every order here is "as soon as possible".
  const stock = Math.min(1000, positiveInt('BENCH_ORDER_STOCK', 900));
  // The baseline before and after Bistro, averaged: the machine's load drifts during a run.
  const minimalStock = positiveInt('BENCH_MINIMAL_STOCK', 2000);
  const before = await minimalTransactions(tdb, clients, minimalStock);
  const bistro = await placeThroughBistro(tdb, clients, stock);
  const minimal = (before + (await minimalTransactions(tdb, clients, minimalStock))) / 2;
  return (
    `orders.place: ${Math.round(bistro.rate)} orders/s p99 ${Math.round(bistro.p99)} ms, ` +
    `minimal transaction ${Math.round(minimal)} tx/s, ratio ${(bistro.rate / minimal).toFixed(2)}, oversold ${bistro.oversold}`
  );
}
