import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { API_KEY_PATTERN } from '@bistro/domain';
import { hashToken } from '../src/auth/tokens.js';
import { SessionCache } from '../src/auth/session-cache.js';
import { InProcessBus } from '../src/bus.js';
import { LIMITS } from '../src/limiter.js';
import { callerFor, createApiKey, createUser, testServices } from './helpers.js';
import { refusal } from './procedures.js';

let tdb: TestDatabase;
let here: { id: string; slug: string };
let elsewhere: { id: string; slug: string };
const NOW = new Date('2026-12-01T12:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  const [first, second] = await tdb.db.selectFrom('locations').select(['id', 'slug']).orderBy('slug').execute();
  here = first!;
  elsewhere = second!;
});
afterAll(() => tdb?.drop());

async function manager(locationId = here.id) {
  return createUser(tdb.db, { roles: [{ locationId, role: 'manager' }] });
}

describe('creating and listing keys', () => {
  it('shows the key once, keeps only its hash, and lists it with its scopes and last use, never the key', async () => {
    const me = await manager();
    const caller = callerFor(tdb.db, { token: me.token, now: NOW });
    const created = await caller.apiKeys.create({ locationId: here.id, name: 'Till 1', scopes: ['kitchen:read', 'orders:write'] });
    const parts = API_KEY_PATTERN.exec(created.key);
    expect(parts?.[1]).toBe(created.prefix);
    const row = await tdb.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.secret_hash.equals(hashToken(created.key))).toBe(true);
    expect(JSON.stringify(row)).not.toContain(parts![2]);

    const before = await caller.apiKeys.list({ locationId: here.id });
    const listed = before.find((k) => k.id === created.id);
    expect(listed).toMatchObject({ name: 'Till 1', prefix: created.prefix, scopes: ['orders:write', 'kitchen:read'], lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(before)).not.toContain(parts![2]);

    const used = new Date(NOW.getTime() + 5 * 60_000);
    await callerFor(tdb.db, { token: created.key, now: used }).kitchen.queue({ locationId: here.id });
    const after = (await caller.apiKeys.list({ locationId: here.id })).find((k) => k.id === created.id);
    expect(after?.lastUsedAt).toEqual(used);
  });

  it('a manager of another location makes none here (NOT_FOUND); an admin makes one anywhere', async () => {
    const other = await manager(elsewhere.id);
    const error = await refusal(callerFor(tdb.db, { token: other.token }).apiKeys.create({ locationId: here.id, name: 'Sneaky', scopes: ['menu:read'] }));
    expect(error.bistroCode).toBe('NOT_FOUND');
    const admin = await createUser(tdb.db, { isAdmin: true });
    const key = await callerFor(tdb.db, { token: admin.token }).apiKeys.create({ locationId: here.id, name: 'Group POS', scopes: ['menu:read'] });
    const menu = await callerFor(tdb.db, { token: key.key }).menu.forEdit({ locationId: here.id });
    expect(menu.categories.length).toBeGreaterThan(0);
  });

  it('refuses an expiry that is not in the future (now itself included), no scope, a scope twice or an unknown scope', async () => {
    const caller = callerFor(tdb.db, { token: (await manager()).token, now: NOW });
    const atNow = await refusal(caller.apiKeys.create({ locationId: here.id, name: 'Late', scopes: ['menu:read'], expiresAt: NOW.toISOString() }));
    expect(atNow).toMatchObject({ bistroCode: 'NOT_IN_FUTURE', fieldErrors: { expiresAt: ['Must be in the future'] } });
    const ok = await caller.apiKeys.create({ locationId: here.id, name: 'Soon', scopes: ['menu:read'], expiresAt: new Date(NOW.getTime() + 1000).toISOString() });
    expect(ok.expiresAt).toEqual(new Date(NOW.getTime() + 1000));
    for (const scopes of [[], ['menu:read', 'menu:read'], ['admin:all']]) {
      const error = await refusal(caller.apiKeys.create({ locationId: here.id, name: 'Bad', scopes } as never));
      expect(error.bistroCode).toBe('INVALID_INPUT');
      expect(Object.keys(error.fieldErrors ?? {})[0]).toMatch(/^scopes/);
    }
    const written = await tdb.db.selectFrom('api_keys').select('name').where('name', 'in', ['Late', 'Bad']).execute();
    expect(written).toEqual([]);
  });
});

describe('a key as a caller', () => {
  it('is refused as soon as it is revoked, even from a warm cache, and revoking twice changes nothing', async () => {
    const services = testServices({ sessionCache: new SessionCache(new InProcessBus()) });
    const owner = await manager();
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['kitchen:read'], createdBy: owner.id });
    const asKey = callerFor(tdb.db, { token: key.key, services });
    await asKey.kitchen.queue({ locationId: here.id });
    await asKey.kitchen.queue({ locationId: here.id });
    const asOwner = callerFor(tdb.db, { token: owner.token, services, now: NOW });
    const revoked = await asOwner.apiKeys.revoke({ apiKeyId: key.id });
    expect(revoked.revokedAt).toEqual(NOW);
    expect((await refusal(asKey.kitchen.queue({ locationId: here.id }))).bistroCode).toBe('API_KEY_INVALID');
    // Even a public read: a revoked key is not quietly served as a guest.
    expect((await refusal(asKey.locations.list())).bistroCode).toBe('API_KEY_INVALID');
    const again = await callerFor(tdb.db, { token: owner.token, services, now: new Date(NOW.getTime() + 60_000) }).apiKeys.revoke({ apiKeyId: key.id });
    expect(again.revokedAt).toEqual(NOW);
  });

  it('works until its expiry and not at the expiry itself', async () => {
    const expiresAt = new Date(NOW.getTime() + 60_000);
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['inventory:read'], expiresAt });
    await callerFor(tdb.db, { token: key.key, now: new Date(expiresAt.getTime() - 1) }).inventory.lowStock({ locationId: here.id });
    const error = await refusal(callerFor(tdb.db, { token: key.key, now: expiresAt }).inventory.lowStock({ locationId: here.id }));
    expect(error.bistroCode).toBe('API_KEY_INVALID');
  });

  it('dies with its creator’s right to make it: demoted to staff, or disabled', async () => {
    const demoted = await manager();
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['kitchen:read'], createdBy: demoted.id });
    await callerFor(tdb.db, { token: key.key }).kitchen.queue({ locationId: here.id });
    await tdb.db.updateTable('location_roles').set({ role: 'staff' }).where('user_id', '=', demoted.id).execute();
    expect((await refusal(callerFor(tdb.db, { token: key.key }).kitchen.queue({ locationId: here.id }))).bistroCode).toBe('API_KEY_INVALID');

    const disabled = await manager();
    const second = await createApiKey(tdb.db, { locationId: here.id, scopes: ['kitchen:read'], createdBy: disabled.id });
    await tdb.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();
    expect((await refusal(callerFor(tdb.db, { token: second.key }).kitchen.queue({ locationId: here.id }))).bistroCode).toBe('API_KEY_INVALID');
  });

  it('a forged key (a real prefix, another secret), a malformed one, or one sent as a cookie opens nothing', async () => {
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['kitchen:read'] });
    const forged = key.key.slice(0, -4) + (key.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const token of [forged, `${key.key}x`, 'bistro_live_nothing']) {
      expect((await refusal(callerFor(tdb.db, { token }).kitchen.queue({ locationId: here.id }))).bistroCode).toBe('API_KEY_INVALID');
    }
    expect((await refusal(callerFor(tdb.db, { token: key.key, via: 'cookie' }).kitchen.queue({ locationId: here.id }))).bistroCode).toBe('API_KEY_INVALID');
  });

  it('acts at its own location only: another location’s queue, item or order answers NOT_FOUND', async () => {
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['kitchen:read', 'kitchen:write', 'inventory:read'] });
    const asKey = callerFor(tdb.db, { token: key.key });
    expect((await refusal(asKey.kitchen.queue({ locationId: elsewhere.id }))).bistroCode).toBe('NOT_FOUND');
    const item = await tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', elsewhere.id).executeTakeFirstOrThrow();
    expect((await refusal(asKey.kitchen.set86({ itemId: item.id, eightySixed: true }))).bistroCode).toBe('NOT_FOUND');
    const still = await tdb.db.selectFrom('menu_items').select('eighty_sixed').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(still.eighty_sixed).toBe(false);
  });

  it('may not manage keys, read the account or sign out: SCOPE_MISSING, whatever scopes it holds', async () => {
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['menu:read', 'orders:write', 'kitchen:read', 'kitchen:write', 'inventory:read'] });
    const asKey = callerFor(tdb.db, { token: key.key });
    expect((await refusal(asKey.apiKeys.create({ locationId: here.id, name: 'Child', scopes: ['menu:read'] }))).bistroCode).toBe('SCOPE_MISSING');
    expect((await refusal(asKey.auth.me())).bistroCode).toBe('SCOPE_MISSING');
    expect((await refusal(asKey.auth.signOut())).bistroCode).toBe('SCOPE_MISSING');
    expect((await refusal(asKey.orders.listMine({}))).bistroCode).toBe('SCOPE_MISSING');
  });

  it(`stops a key after ${LIMITS.apiKey.points} calls in its window with TOO_MANY_REQUESTS, and not before; another key is not counted with it`, async () => {
    const services = testServices();
    const key = await createApiKey(tdb.db, { locationId: here.id, scopes: ['menu:read'] });
    const asKey = callerFor(tdb.db, { token: key.key, services });
    // An input refused by validation still counts: the limit is taken before anything runs.
    for (let i = 0; i < LIMITS.apiKey.points; i++) {
      expect((await refusal(asKey.menu.get({ locationSlug: 'Not A Slug' }))).bistroCode).toBe('INVALID_INPUT');
    }
    const stopped = await refusal(asKey.menu.get({ locationSlug: here.slug }));
    expect(stopped.bistroCode).toBe('TOO_MANY_REQUESTS');
    expect(stopped.retryAfterSeconds).toBeGreaterThan(0);
    const other = await createApiKey(tdb.db, { locationId: here.id, scopes: ['menu:read'] });
    const menu = await callerFor(tdb.db, { token: other.key, services }).menu.get({ locationSlug: here.slug });
    expect(menu.location.slug).toBe(here.slug);
  });
});
