import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '@bistro/db/testing';
import { createServer, loadConfig, type BistroServer } from '../src/index.js';
import { logCollector, Relay } from './helpers.js';

let tdb: TestDatabase;
let relay: Relay;
let viaRelay: string;
/** The password in DATABASE_URL: the test server's own when it has one (embedded), else a made-up one (trust auth). */
let secret: string;
let server: BistroServer | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const target = new URL(TEST_DATABASE_URL);
  relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
  // Opened once to hold a port, then cut: the database is down when Bistro starts.
  await relay.open();
  await relay.cut();
  const url = new URL(tdb.url);
  url.host = `127.0.0.1:${relay.port}`;
  secret = url.password || 's3cret-in-url';
  url.password = secret;
  viaRelay = url.toString();
});

afterAll(async () => {
  await server?.stop();
  await relay?.cut().catch(() => {});
  await tdb?.drop();
});

const config = (env: Record<string, string>) => loadConfig({ DATABASE_URL: viaRelay, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });

describe('a database that is down at start-up', () => {
  it('is waited for, with a clear log line, and Bistro serves once it is up', async () => {
    const logs = logCollector();
    const starting = createServer(config({ DB_STARTUP_TIMEOUT_MS: '120000' }), { logStream: logs.stream });
    await expect.poll(() => logs.lines.find((l) => String(l.msg).startsWith('waiting for the database')), { timeout: 10_000 }).toBeDefined();
    const waiting = logs.lines.find((l) => String(l.msg).startsWith('waiting for the database'))!;
    expect(waiting.msg).toMatch(/\(ECONNREFUSED\); trying again for up to 120 s$/);
    expect(JSON.stringify(logs.lines)).not.toContain(secret);

    await relay.open();
    server = await starting;
    const url = await server.start();
    expect(logs.lines.some((l) => l.msg === 'the database is reachable')).toBe(true);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const menu = await fetch(`${url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'harbor-bistro' } }))}`);
    expect(menu.status).toBe(200);
  });

  it('is given up on after DB_STARTUP_TIMEOUT_MS, with the reason and without the password', async () => {
    await relay.cut();
    const error = await createServer(config({ DB_STARTUP_TIMEOUT_MS: '500', LOG_LEVEL: 'silent' })).then(
      async (s) => {
        await s.stop();
        throw new Error('expected start-up to fail');
      },
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/^the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+ did not accept connections within 0\.5 s \(ECONNREFUSED\)$/);
    expect(error.message).not.toContain(secret);
  });
});
