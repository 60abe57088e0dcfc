/**
 * Reports on a year of a busy location (growth-seed.ts, BUSY_YEAR: 300,000 orders at Bistro
 * Centrale with their lines and history): each report over the last full month and over the
 * whole year, called over HTTP as an admin of a Bistro process, one call at a time, beside the
 * same figures written by hand in SQL and run from `pg` directly (the baseline). Then the cost
 * of the observability hooks: `locations.list` with metrics and tracing off (the default), with
 * metrics on, and with tracing on too (exporting to a stand-in collector).
 *
 * Lines: `reports.sales day month: p50 <ms> ms, hand-written SQL p50 <ms> ms, ratio <baseline ÷ Bistro>`.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import pg from 'pg';
import { Passwords } from '@bistro/api';
import type { TestDatabase } from '@bistro/db/testing';
import { BUSY_YEAR, createGrownDatabase, GROWN_LOCATION } from './growth-seed.js';
import { percentile, positiveInt, reportedUrl, startBenchProcess, stopProcesses } from './shared.js';

const PASSWORD = 'bench-report-reader-7';

interface Range {
  label: 'month' | 'year';
  from: string;
  to: string;
}

interface Case {
  name: string;
  path: string;
  input: Record<string, unknown>;
  /** The same figures by hand: one statement, parameters $1 location, $2 start instant, $3 end instant, $4 time zone. */
  baseline: string;
}

const SALES_BY = (bucket: string) => `
  select ${bucket} as key, count(*), sum(subtotal_minor), sum(tax_minor), sum(tip_minor)
  from orders
  where location_id = $1 and created_at >= $2 and created_at < $3 and status not in ('pending_payment', 'cancelled')
  group by 1 order by 1`;

function cases(locationId: string, range: Range): Case[] {
  const base = { locationId, from: range.from, to: range.to };
  return [
    { name: 'reports.sales day', path: 'reports.sales', input: { ...base, groupBy: 'day' }, baseline: SALES_BY(`to_char(created_at at time zone $4, 'YYYY-MM-DD')`) },
    { name: 'reports.sales hour', path: 'reports.sales', input: { ...base, groupBy: 'hour' }, baseline: SALES_BY(`date_trunc('hour', created_at at time zone $4)`) },
    {
      name: 'reports.sales item',
      path: 'reports.sales',
      input: { ...base, groupBy: 'item' },
      baseline: `
        select l.item_id, count(distinct o.id), sum(l.quantity), sum(l.line_total_minor)
        from orders o join order_lines l on l.order_id = o.id
        where o.location_id = $1 and o.created_at >= $2 and o.created_at < $3 and o.status not in ('pending_payment', 'cancelled') and $4::text is not null
        group by 1 order by 4 desc`,
    },
    {
      name: 'reports.kitchen',
      path: 'reports.kitchen',
      input: base,
      baseline: `
        with t as (
          select extract(hour from p.at at time zone $4) as hour, extract(epoch from r.at - p.at) as s
          from orders o
          join order_history p on p.order_id = o.id and p.to_status = 'placed'
          join order_history r on r.order_id = o.id and r.to_status = 'ready'
          where o.location_id = $1 and o.created_at >= $2 and o.created_at < $3)
        select hour, count(*), percentile_disc(0.5) within group (order by s), percentile_disc(0.9) within group (order by s)
        from t group by rollup (hour)`,
    },
    {
      name: 'reports.items',
      path: 'reports.items',
      input: { ...base, limit: 10 },
      baseline: `
        select l.item_id, sum(l.quantity) as q, sum(l.line_total_minor)
        from orders o join order_lines l on l.order_id = o.id
        where o.location_id = $1 and o.created_at >= $2 and o.created_at < $3 and o.status not in ('pending_payment', 'cancelled') and $4::text is not null
        group by 1 order by q desc`,
    },
  ];
}

/** Runs the reports bench on a grown database of its own and returns its lines. */
export async function benchReports(): Promise<string[]> {
  const tdb = await createGrownDatabase(BUSY_YEAR);
  const children: ChildProcess[] = [];
  const baseline = new pg.Client({ connectionString: tdb.url, options: '-c jit=off' });
  try {
    await baseline.connect();
    const location = await tdb.db.selectFrom('locations').select(['id', 'time_zone']).where('slug', '=', GROWN_LOCATION).executeTakeFirstOrThrow();
    const { rows } = await baseline.query<{ last: string; orders: number }>(
      'select max(local_date)::text as last, count(*)::int as orders from orders where location_id = $1',
      [location.id],
    );
    const last = rows[0]!.last;
    console.error(`  reports: ${rows[0]!.orders} orders at ${GROWN_LOCATION}, the last on ${last}`);
    const lastMonth = last.slice(0, 7);
    const monthStart = `${lastMonth}-01`;
    const monthEnd = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const month: Range = { label: 'month', from: monthStart, to: monthEnd };
    const year: Range = { label: 'year', from: new Date(Date.parse(`${last}T12:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10), to: last };

    const child = startBenchProcess('bistro.ts', children, { DATABASE_URL: tdb.url });
    const url = await reportedUrl(child, 'bistro.ts (reports) did not report a URL within 30 s', (code, signal) => `bistro.ts (reports) exited early (code ${code}, signal ${signal})`);
    const token = await adminToken(url, tdb);
    const samples = positiveInt('BENCH_REPORT_CALLS', 7);
    const lines: string[] = [];
    for (const range of [month, year]) {
      const bounds = await baseline.query<{ start: Date; end: Date }>(
        `select ($1::date)::timestamp at time zone $3 as start, ($2::date + 1)::timestamp at time zone $3 as end`,
        [range.from, range.to, location.time_zone],
      );
      const { start, end } = bounds.rows[0]!;
      for (const c of cases(location.id, range)) {
        const bistro = await p50(samples, () => call(url, token, c.path, c.input));
        const hand = await p50(samples, async () => void (await baseline.query(c.baseline, [location.id, start, end, location.time_zone])));
        lines.push(`${c.name} ${range.label}: p50 ${bistro.toFixed(1)} ms, hand-written SQL p50 ${hand.toFixed(1)} ms, ratio ${(hand / bistro).toFixed(2)}`);
        console.error(`  ${lines.at(-1)}`);
      }
    }
    const overview = await p50(samples, () => call(url, token, 'reports.overview', { locationId: location.id }));
    lines.push(`reports.overview: p50 ${overview.toFixed(1)} ms (one call, one statement)`);
    const csvStart = performance.now();
    const csvBytes = await downloadBytes(`${url}/reports/orders.csv?locationId=${location.id}&from=${year.from}&to=${year.to}`, token);
    lines.push(`reports orders.csv year: ${(csvBytes / 1e6).toFixed(1)} MB in ${((performance.now() - csvStart) / 1000).toFixed(1)} s, streamed`);
    await stopProcesses(children);
    lines.push(await observabilityCost(tdb));
    return lines;
  } finally {
    await stopProcesses(children);
    await baseline.end().catch(() => {});
    await tdb.drop();
  }
}

/**
 * What measuring costs: `locations.list` one call at a time, on a Bistro with metrics and
 * tracing off (the default: no telemetry object, the SDK not loaded) and one with metrics on.
 */
async function observabilityCost(tdb: TestDatabase): Promise<string> {
  const children: ChildProcess[] = [];
  try {
    const measure = async (env: Record<string, string>) => {
      const child = startBenchProcess('bistro.ts', children, { DATABASE_URL: tdb.url, ...env });
      const url = await reportedUrl(child, 'bistro.ts (observability) did not report a URL within 30 s', (code, signal) => `bistro.ts exited early (code ${code}, signal ${signal})`);
      const calls = positiveInt('BENCH_OBSERVABILITY_CALLS', 400);
      return p50(calls, async () => void (await (await fetch(`${url}/trpc/locations.list`)).arrayBuffer()));
    };
    // A collector stand-in that takes every export (OTLP/HTTP) and answers at once.
    const collector = createHttpServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as { port: number }).port}`;
      const configs = { off: {}, metrics: { METRICS_TOKEN: `bench-${randomUUID()}` }, traced: { METRICS_TOKEN: `bench-${randomUUID()}`, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } };
      // Twice round, the best of each: the first processes of a run are slower whatever they run.
      const best = { off: Infinity, metrics: Infinity, traced: Infinity };
      for (let round = 0; round < 2; round++) {
        for (const name of ['off', 'metrics', 'traced'] as const) {
          best[name] = Math.min(best[name], await measure(configs[name]));
          await stopProcesses(children.splice(0));
        }
      }
      return `observability: locations.list p50 ${best.off.toFixed(2)} ms off, ${best.metrics.toFixed(2)} ms with metrics, ${best.traced.toFixed(2)} ms with metrics and tracing, ratio ${(best.off / best.metrics).toFixed(2)}`;
    } finally {
      collector.close();
    }
  } finally {
    await stopProcesses(children);
  }
}

async function p50(n: number, run: () => Promise<void>): Promise<number> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return percentile(samples.sort((a, b) => a - b), 50);
}

async function call(url: string, token: string, path: string, input: unknown): Promise<void> {
  const response = await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`reports: ${path} answered ${response.status}: ${text.slice(0, 300)}`);
}

async function downloadBytes(url: string, token: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`reports: CSV download answered ${response.status}`);
  return (await response.arrayBuffer()).byteLength;
}

async function adminToken(url: string, tdb: TestDatabase): Promise<string> {
  const email = `bench.reports.${randomUUID().slice(0, 8)}@bistro.localhost`;
  await tdb.db.insertInto('users').values({ email, name: 'Report Reader', password_hash: await new Passwords().hash(PASSWORD), is_admin: true }).execute();
  const response = await fetch(`${url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email, password: PASSWORD, mode: 'token' } }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`reports: sign-in answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}
