import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '@bistro/db/testing';
import { createServer, loadConfig, type BistroServer } from '../src/index.js';
import { Relay } from './helpers.js';

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
  server = await createServer(loadConfig({ DATABASE_URL: viaRelay.toString(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
  url = await server.start();
});

afterAll(async () => {
  await relay?.cut().catch(() => {});
  await server?.stop();
  await tdb?.drop();
});

describe('/readyz and /healthz', () => {
  it('goes 503 while the database is unreachable and back to 200 when it returns', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    await relay.cut();
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', reason: 'database unreachable', checks: { database: 'unreachable', migrations: 'unknown' } });
    // The process itself is fine.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await relay.open();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('answers 503 when the database is reachable but not migrated', async () => {
    await tdb.db.deleteFrom('kysely_migration' as never).execute();
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'database not migrated', checks: { database: 'ok', migrations: 'pending' } });
  });
});
