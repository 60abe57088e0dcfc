import { randomUUID } from 'node:crypto';
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '@bistro/db/testing';
import { createServer, loadConfig, type BistroServer } from '../src/index.js';
import { Relay, startTestServer, type TestServer } from './helpers.js';

// Set when a Redis answers (tooling/vitest/services.js); without one, the Redis outage test is skipped.
const REDIS_URL = process.env.REDIS_URL ?? '';
if (!REDIS_URL) console.log('metrics.test.ts: no Redis, skipping "a Redis outage shows in /readyz and the metrics"');

const TOKEN = 'metrics-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

async function scrape(url: string, headers: Record<string, string> = auth): Promise<Family[]> {
  const answer = await fetch(url, { headers });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusTextFormat(await answer.text());
}

function family(families: Family[], name: string): Family {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric family ${name} in the scrape`);
  return found;
}

function value(families: Family[], name: string, labels: Record<string, string>): number | undefined {
  const sample = family(families, name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample?.value === undefined ? (sample?.count === undefined ? undefined : Number(sample.count)) : Number(sample.value);
}

/**
 * Bistro's own series in a scrape: every sample line's name and labels (histogram buckets
 * included). Not bistro_jobs: its labels are the fixed task list × pg-boss's states, and a
 * scheduled task's first run may add one while the calls are made.
 */
function series(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line.startsWith('bistro_') && !line.startsWith('bistro_jobs'))
      .map((line) => line.slice(0, line.lastIndexOf(' '))),
  );
}

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t?.close());

  it('is refused without the token, or with another', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests-0123456780' } })).status).toBe(401);
  });

  it('parses as Prometheus text and carries every family after a few calls', async () => {
    expect((await fetch(`${t.url}/trpc/locations.list`)).status).toBe(200);
    expect((await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'nowhere' } }))}`)).status).toBe(404);
    expect((await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'Not A Slug' } }))}`)).status).toBe(400);
    // The bus probe is sent once the bus confirms the subscription; wait for its first delivery.
    let families = await scrape(`${t.url}/metrics`);
    for (let i = 0; i < 100 && !(value(families, 'bistro_bus_deliver_lag_seconds', {}) ?? 0); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      families = await scrape(`${t.url}/metrics`);
    }
    expect(value(families, 'bistro_procedure_calls_total', { procedure: 'locations.list', type: 'query', code: 'OK' })).toBe(1);
    expect(value(families, 'bistro_procedure_calls_total', { procedure: 'menu.get', code: 'NOT_FOUND' })).toBe(1);
    expect(value(families, 'bistro_procedure_calls_total', { procedure: 'menu.get', code: 'INVALID_INPUT' })).toBe(1);
    expect(value(families, 'bistro_errors_total', { bistro_code: 'NOT_FOUND' })).toBe(1);
    expect(value(families, 'bistro_errors_total', { bistro_code: 'INVALID_INPUT' })).toBe(1);
    expect(family(families, 'bistro_procedure_duration_seconds').type).toBe('HISTOGRAM');
    // The parser folds a labelled histogram's series into one: its count is read from the text itself.
    const text = await (await fetch(`${t.url}/metrics`, { headers: auth })).text();
    expect(text).toMatch(/^bistro_procedure_duration_seconds_count\{procedure="locations\.list"\} 1$/m);
    expect(text).toMatch(/^bistro_procedure_duration_seconds_bucket\{le="\+Inf",procedure="menu\.get"\} 2$/m);
    expect(value(families, 'bistro_http_requests_total', { route: '/trpc/:path', method: 'GET', status: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(value(families, 'bistro_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(value(families, 'bistro_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(value(families, 'bistro_live_feed_subscribers', {})).toBe(0);
    expect(value(families, 'bistro_bus_deliver_lag_seconds', {})).toBeGreaterThanOrEqual(1);
    expect(value(families, 'bistro_dependency_up', { dependency: 'database' })).toBe(1);
    expect(value(families, 'bistro_dependency_up', { dependency: 'migrations' })).toBe(1);
    expect(family(families, 'nodejs_eventloop_lag_seconds').type).toBe('GAUGE');
    expect(value(families, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
    expect(family(families, 'nodejs_heap_size_used_bytes').metrics).toHaveLength(1);
  });

  it('counts background jobs by task and state: the verification email of a sign-up is one email.send job', async () => {
    const before = await scrape(`${t.url}/metrics`);
    // A family with no samples yet may be left out of the scrape: none counts as 0.
    const emailJobs = (families: Family[]) =>
      (families.find((f) => f.name === 'bistro_jobs')?.metrics ?? [])
        .filter((m) => m.labels?.task === 'email.send')
        .reduce((sum, m) => sum + Number(m.value), 0);
    const signUp = await fetch(`${t.url}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: `jobs-${randomUUID()}@example.com`, password: 'a long enough password', name: 'Jo Metrics' } }),
    });
    expect(signUp.status).toBe(200);
    const after = await scrape(`${t.url}/metrics`);
    expect(family(after, 'bistro_jobs').type).toBe('GAUGE');
    expect(emailJobs(after)).toBe(emailJobs(before) + 1);
  });

  it('keeps its label sets bounded after 1,000 calls naming distinct ids, slugs and paths', async () => {
    const call = (i: number) => {
      const id = randomUUID();
      const paths = [
        `/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: `place-${id}` } }))}`,
        `/trpc/orders.track?input=${encodeURIComponent(JSON.stringify({ json: { trackingToken: `${id}.secret` } }))}`,
        `/trpc/no.such${i}`,
        `/media/${id}.jpg`,
      ];
      return fetch(`${t.url}${paths[i % paths.length]}`).then((r) => r.arrayBuffer());
    };
    for (let i = 0; i < 8; i += 1) await call(i);
    const before = series(await (await fetch(`${t.url}/metrics`, { headers: auth })).text());
    for (let i = 8; i < 1_000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => call(i + j)));
    const text = await (await fetch(`${t.url}/metrics`, { headers: auth })).text();
    expect(parsePrometheusTextFormat(text).length).toBeGreaterThan(10);
    const after = series(text);
    expect(before.size).toBeGreaterThan(20);
    expect([...after].filter((s) => !before.has(s))).toEqual([]);
    expect(text).not.toMatch(/place-|no\.such|\.jpg|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('/metrics on METRICS_PORT', () => {
  it('is served on its own port, and not on the public one', async () => {
    const t = await startTestServer({ METRICS_PORT: '0' });
    try {
      expect(t.server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(t.server.metricsUrl).not.toContain(new URL(t.url).port);
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
      expect(family(await scrape(t.server.metricsUrl, {}), 'bistro_procedure_calls_total').type).toBe('COUNTER');
    } finally {
      await t.close();
    }
  });

  it('is not served at all when neither is set', async () => {
    const t = await startTestServer();
    try {
      expect(t.server.metricsUrl).toBe('');
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('outages in /readyz and the metrics', () => {
  let tdb: TestDatabase;
  let relay: Relay;
  let server: BistroServer;
  let url: string;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    const target = new URL(TEST_DATABASE_URL);
    relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
    await relay.open();
    const viaRelay = new URL(tdb.url);
    viaRelay.host = `127.0.0.1:${relay.port}`;
    server = await createServer(loadConfig({ DATABASE_URL: viaRelay.toString(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', METRICS_TOKEN: TOKEN }));
    url = await server.start();
  });
  afterAll(async () => {
    await relay?.cut().catch(() => {});
    await server?.stop();
    await tdb?.drop();
  });

  it('a database outage is named in /readyz and is 0 in bistro_dependency_up, then recovers', async () => {
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    await relay.cut();
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', reason: 'database unreachable', checks: { database: 'unreachable', migrations: 'unknown' } });
    const families = await scrape(`${url}/metrics`);
    expect(value(families, 'bistro_dependency_up', { dependency: 'database' })).toBe(0);
    expect(family(families, 'bistro_dependency_up').metrics.find((m) => m.labels?.dependency === 'redis')).toBeUndefined();
    await relay.open();
    // Pooled connections that died in the cut (the job workers hold some too) fail once each and
    // are dropped; a readiness probe asks again until the pool is healthy.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i += 1) status = (await fetch(`${url}/readyz`)).status;
    expect(status).toBe(200);
    expect(value(await scrape(`${url}/metrics`), 'bistro_dependency_up', { dependency: 'database' })).toBe(1);
  });

  it.skipIf(!REDIS_URL)('a Redis outage shows in /readyz and the metrics (REDIS_URL set), then recovers', async () => {
    const target = new URL(REDIS_URL);
    const redisRelay = new Relay({ host: target.hostname, port: Number(target.port || 6379) });
    await redisRelay.open();
    const viaRelay = new URL(REDIS_URL);
    viaRelay.host = `127.0.0.1:${redisRelay.port}`;
    const t = await startTestServer({ REDIS_URL: viaRelay.toString(), METRICS_TOKEN: TOKEN });
    try {
      const ok = await (await fetch(`${t.url}/readyz`)).json();
      expect(ok).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', redis: 'ok' } });
      await redisRelay.cut();
      const down = await fetch(`${t.url}/readyz`);
      expect(down.status).toBe(503);
      const body = await down.text();
      expect(JSON.parse(body)).toEqual({ status: 'unavailable', reason: 'redis unreachable', checks: { database: 'ok', migrations: 'ok', redis: 'unreachable' } });
      // Never where Redis is.
      expect(body).not.toContain(String(redisRelay.port));
      expect(value(await scrape(`${t.url}/metrics`), 'bistro_dependency_up', { dependency: 'redis' })).toBe(0);
      await redisRelay.open();
      let status = 0;
      // ioredis reconnects with its own back-off: wait for it, however long it takes (no timing asserted).
      for (let i = 0; i < 200 && status !== 200; i += 1) {
        status = (await fetch(`${t.url}/readyz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(200);
    } finally {
      await t.close();
      await redisRelay.cut().catch(() => {});
    }
  });
});
