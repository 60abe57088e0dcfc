/**
 * API keys through the wire: made over tRPC by a manager, used as `Authorization: Bearer
 * bistro_live_…` on REST and tRPC alike with the same refusal codes, never logged, and revoked
 * at once on another instance sharing Redis (the session caches drop it through the bus).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bistroErrorCode, createBistroClient } from '@bistro/client';
import type { BistroServer } from '../src/index.js';
import { logCollector, openKitchen, startSecondInstance, startTestServer, type TestServer } from './helpers.js';

// Set when a Redis answers (tooling/vitest/services.js); without one, the cross-instance test is skipped.
const REDIS_URL = process.env.REDIS_URL ?? '';
const PASSWORD = 'grilled-halibut-at-nine';

let a: TestServer;
let b: { server: BistroServer; url: string } | undefined;
const logs = logCollector();
let locationId: string;
let otherLocationId: string;

beforeAll(async () => {
  const env: Record<string, string> = { LOG_LEVEL: 'info', BISTRO_DATA_KEYS: `keys:${randomBytes(32).toString('base64')}` };
  if (REDIS_URL) env['REDIS_URL'] = REDIS_URL;
  a = await startTestServer(env, { logStream: logs.stream });
  if (REDIS_URL) b = await startSecondInstance(a, { ...env, LOG_LEVEL: 'silent' });
  const [first, second] = await a.tdb.db.selectFrom('locations').select('id').orderBy('slug').execute();
  locationId = first!.id;
  otherLocationId = second!.id;
});
afterAll(async () => {
  await b?.server.stop();
  await a?.close();
});

/** A manager of the location, signed in over tRPC for a bearer token. */
async function managerToken(at = locationId): Promise<string> {
  const email = `keys.${randomUUID().slice(0, 8)}@bistro.test`;
  const { id } = await a.tdb.db
    .insertInto('users')
    .values({ email, name: 'Key Maker', password_hash: await a.server.services.passwords.hash(PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await a.tdb.db.insertInto('location_roles').values({ user_id: id, location_id: at, role: 'manager' }).execute();
  const signedIn = await createBistroClient({ url: a.url }).auth.signIn.mutate({ email, password: PASSWORD, mode: 'token' });
  if (!('token' in signedIn) || typeof signedIn.token !== 'string') throw new Error('no token');
  return signedIn.token;
}

async function rest(url: string, path: string, key: string, init: RequestInit = {}) {
  const response = await fetch(`${url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } });
  const body = (await response.json()) as { error?: { bistroCode: string } };
  return { status: response.status, body, code: body.error?.bistroCode };
}

async function trpcCode(url: string, key: string, call: (client: ReturnType<typeof createBistroClient>) => Promise<unknown>): Promise<string | undefined> {
  try {
    await call(createBistroClient({ url, token: key }));
    return undefined;
  } catch (error) {
    return bistroErrorCode(error);
  }
}

describe('an API key on the wire', () => {
  it('is made by a manager over tRPC, reads the kitchen queue over REST and tRPC, and refuses what it lacks with the same codes', async () => {
    const manager = createBistroClient({ url: a.url, token: await managerToken() });
    const { key } = await manager.apiKeys.create.mutate({ locationId, name: 'Kitchen display', scopes: ['kitchen:read'] });
    expect(key).toMatch(/^bistro_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);

    const queue = await rest(a.url, `/locations/${locationId}/kitchen/queue`, key);
    expect(queue.status).toBe(200);
    expect(await createBistroClient({ url: a.url, token: key }).kitchen.queue.query({ locationId })).toHaveProperty('tickets');

    // Lacks kitchen:write: 403 SCOPE_MISSING over REST, SCOPE_MISSING over tRPC.
    const bump = await rest(a.url, `/orders/${randomUUID()}/bump`, key, { method: 'POST', body: JSON.stringify({ from: 'placed' }) });
    expect([bump.status, bump.code]).toEqual([403, 'SCOPE_MISSING']);
    expect(await trpcCode(a.url, key, (c) => c.kitchen.bump.mutate({ orderId: randomUUID(), from: 'placed' }))).toBe('SCOPE_MISSING');

    // Another location's queue: 404 NOT_FOUND over both, as for one that does not exist.
    const other = await rest(a.url, `/locations/${otherLocationId}/kitchen/queue`, key);
    expect([other.status, other.code]).toEqual([404, 'NOT_FOUND']);
    expect(await trpcCode(a.url, key, (c) => c.kitchen.queue.query({ locationId: otherLocationId }))).toBe('NOT_FOUND');

    // Revoked: 401 API_KEY_INVALID over both, even for a public read.
    const [listed] = await manager.apiKeys.list.query({ locationId });
    await manager.apiKeys.revoke.mutate({ apiKeyId: listed!.id });
    const revoked = await rest(a.url, `/locations/${locationId}/kitchen/queue`, key);
    expect([revoked.status, revoked.code]).toEqual([401, 'API_KEY_INVALID']);
    const publicRead = await rest(a.url, '/locations', key);
    expect([publicRead.status, publicRead.code]).toEqual([401, 'API_KEY_INVALID']);
    expect(await trpcCode(a.url, key, (c) => c.locations.list.query())).toBe('API_KEY_INVALID');

    // The key itself reached no log line (its prefix may: it names the key without opening it).
    const secret = key.slice('bistro_live_'.length + 13);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs.lines)).not.toContain(secret);
  });

  it('places a dine-in order for its location over REST, owned by no customer; not at another location', async () => {
    const kitchen = await openKitchen(a.tdb.db);
    const manager = createBistroClient({ url: a.url, token: await managerToken(kitchen.locationId) });
    const { key } = await manager.apiKeys.create.mutate({ locationId: kitchen.locationId, name: 'POS', scopes: ['orders:write'] });
    const order = { type: 'dine_in', table: '12', lines: [{ itemId: kitchen.soup, quantity: 1 }], contact: { name: 'Table Twelve' }, idempotencyKey: randomUUID() };
    const placed = await rest(a.url, `/locations/${kitchen.slug}/orders`, key, { method: 'POST', body: JSON.stringify(order) });
    expect(placed.status).toBe(200);
    const row = await a.tdb.db.selectFrom('orders').select(['customer_user_id', 'type']).where('id', '=', (placed.body as { id: string }).id).executeTakeFirstOrThrow();
    expect(row).toEqual({ customer_user_id: null, type: 'dine_in' });

    const other = await openKitchen(a.tdb.db);
    const elsewhere = await rest(a.url, `/locations/${other.slug}/orders`, key, {
      method: 'POST',
      body: JSON.stringify({ ...order, lines: [{ itemId: other.soup, quantity: 1 }], idempotencyKey: randomUUID() }),
    });
    expect([elsewhere.status, elsewhere.code]).toEqual([404, 'NOT_FOUND']);
    expect(await a.tdb.db.selectFrom('orders').select('id').where('location_id', '=', other.locationId).execute()).toEqual([]);
  });
});

describe.skipIf(!REDIS_URL)('revoking a key across two instances sharing Redis', () => {
  it('stops the key on the other instance at once, though that instance had it cached', async () => {
    const manager = createBistroClient({ url: a.url, token: await managerToken() });
    const created = await manager.apiKeys.create.mutate({ locationId, name: 'Remote display', scopes: ['kitchen:read'] });
    // Resolved and cached on B.
    expect((await rest(b!.url, `/locations/${locationId}/kitchen/queue`, created.key)).status).toBe(200);
    expect((await rest(b!.url, `/locations/${locationId}/kitchen/queue`, created.key)).status).toBe(200);

    await manager.apiKeys.revoke.mutate({ apiKeyId: created.id });
    await expect.poll(async () => (await rest(b!.url, `/locations/${locationId}/kitchen/queue`, created.key)).code, { timeout: 5_000 }).toBe('API_KEY_INVALID');
  });
});
