import { randomUUID } from 'node:crypto';
import type { AnyTRPCProcedure } from '@trpc/server';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@bistro/db';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { ERROR_CODES, isBistroErrorCode } from '@bistro/domain';
import { appRouter } from '../src/index.js';
import { newTrackingToken } from '../src/orders/tracking.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { callPath, outcome, procedures } from './procedures.js';

/**
 * The hostile-input sweep. Every procedure of the router (read from the router itself, so a new
 * one is swept without anyone remembering) is called with a valid-shaped input whose every
 * string leaf, in turn, is replaced by something hostile (NUL and other control characters,
 * a bidi override, a lone surrogate, 100,000 characters, a wrong type, 10,000 levels of
 * nesting, an object with keys named like Object.prototype properties), and whose whole
 * input is replaced or extended the same way; as a guest, as a customer, and as a manager of
 * the location (an admin for admin procedures). Each answer must be a refusal with a known
 * Bistro code sent as a 4xx (never INTERNAL), and no table may gain or lose a row.
 * The same inputs over a real socket are in apps/server/test/hostile-wire.test.ts.
 */

interface Fixture {
  locationId: string;
  locationSlug: string;
  categoryId: string;
  itemId: string;
  optionGroupId: string;
  optionId: string;
  ingredientId: string;
  stationId: string;
  orderId: string;
  trackingToken: string;
  userId: string;
  /** A token-shaped string (43 base64url characters) that is no real token. */
  token: string;
}

const PASSWORD = 'plate-of-oysters-42';

/**
 * A valid-shaped input for each procedure: each would pass the procedure's input schema (a test
 * below checks it). A procedure missing here fails this file: add a row when adding one.
 * `undefined` is for procedures without input.
 */
export const BASE_INPUTS: Record<string, (f: Fixture) => unknown> = {
  'auth.signUp': () => ({ email: 'sweep@bistro.test', password: PASSWORD, name: 'Sweep Guest' }),
  'auth.signIn': () => ({ email: 'sweep@bistro.test', password: PASSWORD, mode: 'token' }),
  'auth.signOut': () => ({}),
  'auth.signOutEverywhere': () => ({}),
  'auth.me': () => undefined,
  'auth.changePassword': () => ({ currentPassword: PASSWORD, newPassword: 'a-brand-new-bread-knife-7' }),
  'auth.sessions.list': () => undefined,
  'auth.sessions.revoke': () => ({ sessionId: randomUUID() }),
  'auth.requestEmailVerification': () => ({}),
  'auth.verifyEmail': (f) => ({ token: f.token }),
  'auth.requestPasswordReset': () => ({ email: 'sweep@bistro.test' }),
  'auth.resetPassword': (f) => ({ token: f.token, password: PASSWORD }),
  'auth.acceptInvitation': (f) => ({ token: f.token, name: 'Sweep Cook', password: PASSWORD }),
  'locations.list': () => undefined,
  'locations.get': (f) => ({ locationId: f.locationId }),
  'locations.create': () => ({
    slug: 'sweep-bistro',
    name: 'Sweep Bistro',
    address: '1 Quay Street\nPort Town',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    taxRateBp: 1000,
    openingHours: [{ weekday: 1, opens: '08:00', closes: '22:00' }],
    closures: [{ date: '2027-01-01', reason: 'New year' }],
    orderPrefix: 'S',
  }),
  'locations.update': (f) => ({
    locationId: f.locationId,
    version: 1,
    name: 'Sweep Bistro',
    address: '1 Quay Street',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    openingHours: [{ weekday: 1, opens: '08:00', closes: '22:00' }],
    closures: [{ date: '2027-01-01', reason: 'New year' }],
    orderPrefix: 'S',
  }),
  'locations.staff.list': (f) => ({ locationId: f.locationId }),
  'locations.staff.invite': (f) => ({ locationId: f.locationId, email: 'invitee@bistro.test', role: 'staff' }),
  'menu.get': (f) => ({ locationSlug: f.locationSlug }),
  'menu.forEdit': (f) => ({ locationId: f.locationId }),
  'menu.categories.create': (f) => ({ locationId: f.locationId, name: 'Sweep', description: 'Swept\nclean' }),
  'menu.categories.update': (f) => ({ categoryId: f.categoryId, version: 1, name: 'Sweep', description: 'Swept' }),
  'menu.categories.archive': (f) => ({ categoryId: f.categoryId, version: 1 }),
  'menu.categories.reorder': (f) => ({ locationId: f.locationId, categoryIds: [f.categoryId] }),
  'menu.items.create': (f) => ({ categoryId: f.categoryId, name: 'Sweep', description: 'Swept', priceMinor: 100, allergens: ['milk'], stationId: f.stationId }),
  'menu.items.update': (f) => ({ itemId: f.itemId, version: 1, name: 'Sweep', description: 'Swept', priceMinor: 100, allergens: ['milk'], stationId: f.stationId }),
  'menu.items.archive': (f) => ({ itemId: f.itemId, version: 1 }),
  'menu.items.reorder': (f) => ({ categoryId: f.categoryId, itemIds: [f.itemId] }),
  'menu.items.setPhoto': (f) => {
    const form = new FormData();
    form.set('itemId', f.itemId);
    form.set('photo', new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0])]), 'dish.jpg');
    return form;
  },
  'menu.items.removePhoto': (f) => ({ itemId: f.itemId }),
  'menu.optionGroups.create': (f) => ({ itemId: f.itemId, name: 'Sauce', minSelections: 0, maxSelections: 1, options: [{ name: 'Aioli', priceDeltaMinor: 50 }] }),
  'menu.optionGroups.update': (f) => ({
    optionGroupId: f.optionGroupId,
    version: 1,
    name: 'Sauce',
    options: [{ id: f.optionId, name: 'Aioli', priceDeltaMinor: 50, isDefault: false }],
  }),
  'menu.optionGroups.archive': (f) => ({ optionGroupId: f.optionGroupId, version: 1 }),
  'orders.quote': (f) => ({ locationSlug: f.locationSlug, type: 'dine_in', table: 'T4', lines: [{ itemId: f.itemId, quantity: 1, options: [f.optionId], note: 'No salt' }] }),
  'orders.slots': (f) => ({ locationSlug: f.locationSlug, date: '2027-01-04' }),
  'orders.place': (f) => ({
    locationSlug: f.locationSlug,
    type: 'delivery',
    lines: [{ itemId: f.itemId, quantity: 1, options: [], note: 'No salt' }],
    contact: { name: 'Sweep Guest', phone: '+33 1 23 45 67 89', email: 'guest@bistro.test', address: '1 Quay Street\nPort Town' },
    tip: { percent: 10 },
    idempotencyKey: 'sweep-key-0123456789',
  }),
  'orders.track': (f) => ({ trackingToken: f.trackingToken }),
  'orders.get': (f) => ({ orderId: f.orderId }),
  'orders.listMine': () => ({ cursor: 'abc' }),
  'orders.cancel': (f) => ({ trackingToken: f.trackingToken, reason: 'Changed my mind' }),
  'orders.onStatus': (f) => ({ trackingToken: f.trackingToken, lastEventId: '1' }),
  'kitchen.queue': (f) => ({ locationId: f.locationId, stationId: f.stationId }),
  'stations.list': (f) => ({ locationId: f.locationId }),
  'stations.create': (f) => ({ locationId: f.locationId, name: 'Sweep fryer' }),
  'stations.update': (f) => ({ stationId: f.stationId, name: 'Sweep cold', sortOrder: 2 }),
  'stations.reorder': (f) => ({ locationId: f.locationId, stationIds: [f.stationId] }),
  'orders.list': (f) => ({ locationId: f.locationId, from: '2026-11-01', to: '2026-11-30', status: 'placed', cursor: 'abc' }),
  'orders.refund': (f) => ({ orderId: f.orderId, amountMinor: 100, reason: 'Cold\nsoup', idempotencyKey: 'sweep-refund-0123456789' }),
  'orders.tender': (f) => ({ orderId: f.orderId, method: 'cash', amountMinor: 100, idempotencyKey: 'sweep-tender-0123456789' }),
  'orders.payments': (f) => ({ orderId: f.orderId }),
  'promos.create': (f) => ({ locationId: f.locationId, code: 'SWEEP10', discount: { percentBp: 1000 }, minSubtotalMinor: 500, validFrom: '2027-01-01', validTo: '2027-01-31', maxUses: 5, maxUsesPerCustomer: 1 }),
  'promos.list': (f) => ({ locationId: f.locationId }),
  'promos.setActive': (f) => ({ promoId: f.orderId, active: false }),
  'promos.update': (f) => ({ promoId: f.orderId, discount: { percentBp: 1500 }, minSubtotalMinor: 500, validFrom: '2027-01-01', validTo: '2027-01-31', maxUses: 5, maxUsesPerCustomer: null, active: true }),
  'payments.options': () => undefined,
  'payments.sandboxConfirm': () => ({ clientSecret: 'sbx_cs_e30.abc', card: '4242 4242 4242 4242', authentication: 'approve' }),
  'kitchen.bump': (f) => ({ orderId: f.orderId, from: 'placed' }),
  'kitchen.reject': (f) => ({ orderId: f.orderId, reason: 'Out of gas' }),
  'kitchen.stationDone': (f) => ({ orderId: f.orderId, stationId: f.stationId, done: true }),
  'kitchen.set86': (f) => ({ itemId: f.itemId, eightySixed: true, reason: 'No bread' }),
  'kitchen.onTickets': (f) => ({ locationId: f.locationId, stationId: f.stationId, lastEventId: '1' }),
  'inventory.ingredients.list': (f) => ({ locationId: f.locationId }),
  'inventory.ingredients.upsert': (f) => ({ locationId: f.locationId, id: f.ingredientId, version: 1, name: 'Flour', unit: 'g', lowStockThreshold: 10 }),
  'inventory.adjust': (f) => ({ ingredientId: f.ingredientId, reason: 'delivery', delta: 10, note: 'Morning\ndelivery' }),
  'inventory.movements.list': (f) => ({ locationId: f.locationId, ingredientId: f.ingredientId, limit: 10 }),
  'inventory.recipes.get': (f) => ({ itemId: f.itemId }),
  'inventory.recipes.set': (f) => ({ itemId: f.itemId, lines: [{ ingredientId: f.ingredientId, quantity: 1 }] }),
  'inventory.lowStock': (f) => ({ locationId: f.locationId }),
  'reports.sales': (f) => ({ locationId: f.locationId, from: '2026-11-01', to: '2026-11-30', groupBy: 'hour' }),
  'reports.kitchen': (f) => ({ locationId: f.locationId, from: '2026-11-01', to: '2026-11-30' }),
  'reports.items': (f) => ({ locationId: f.locationId, from: '2026-11-01', to: '2026-11-30', limit: 5 }),
  'reports.overview': (f) => ({ locationId: f.locationId }),
  'admin.users.list': () => ({ cursor: 'abc', query: 'ann' }),
  'admin.users.setRole': (f) => ({ userId: f.userId, locationId: f.locationId, role: 'staff' }),
  'admin.users.setDisabled': (f) => ({ userId: f.userId, disabled: true }),
  'admin.audit.list': (f) => ({ cursor: 'abc', action: 'role.changed', userId: f.userId }),
  'admin.jobs.list': () => ({ state: 'failed', name: 'email.send', limit: 10 }),
  'admin.jobs.retry': (f) => ({ id: f.userId }),
  'apiKeys.create': (f) => ({ locationId: f.locationId, name: 'Till', scopes: ['kitchen:read'], expiresAt: '2099-01-01T00:00:00Z' }),
  'apiKeys.list': (f) => ({ locationId: f.locationId }),
  // No key has this id: a well-shaped input the sweep can break.
  'apiKeys.revoke': (f) => ({ apiKeyId: f.orderId }),
  'newsletter.subscribe': (f) => ({ email: 'sweep@bistro.test', locationId: f.locationId }),
  'newsletter.confirm': (f) => ({ token: f.token }),
  'newsletter.unsubscribe': (f) => ({ token: f.token }),
  'newsletter.mine': () => undefined,
  'newsletter.setMine': (f) => ({ locationId: f.locationId, subscribed: true }),
  'newsletter.campaigns.create': (f) => ({ locationId: f.locationId, subject: 'Sweep news', bodyMarkdown: '# Hello\n\n**all**' }),
  // No campaign has these ids: well-shaped inputs the sweep can break.
  'newsletter.campaigns.update': (f) => ({ campaignId: f.orderId, version: 1, subject: 'Sweep', bodyMarkdown: 'Hi' }),
  'newsletter.campaigns.list': (f) => ({ locationId: f.locationId }),
  'newsletter.campaigns.get': (f) => ({ campaignId: f.orderId }),
  'newsletter.campaigns.preview': (f) => ({ campaignId: f.orderId }),
  'newsletter.campaigns.send': (f) => ({ campaignId: f.orderId }),
};

// ---- hostile values

/** `levels` arrays (or objects) inside each other, built without recursion. */
export function deeplyNested(levels: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** An object whose own keys are named like Object.prototype properties (as JSON.parse makes them). */
export function prototypeKeyed(base: Record<string, unknown> = {}): Record<string, unknown> {
  const keyed = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"toString":1,"valueOf":1,"hasOwnProperty":1}') as Record<string, unknown>;
  return Object.assign(keyed, base);
}

/** What replaces a string leaf: the original spoiled by a control character, or something that is no such string. */
export function hostileStrings(original: string): [string, unknown][] {
  const mid = Math.min(1, original.length);
  const spoil = (c: string) => original.slice(0, mid) + c + original.slice(mid);
  return [
    ['NUL', spoil('\u0000')],
    ['ESC', spoil('\u001b')],
    ['C1 control', spoil('\u0085')],
    ['bidi override', spoil('\u202e')],
    ['lone surrogate', spoil('\ud800')],
    ['100k characters', 'x'.repeat(100_000)],
    ['a number', 1],
    ['an array', [original]],
    ['prototype keys', prototypeKeyed()],
    ['10k nested arrays', deeplyNested(10_000, 'array')],
  ];
}

type Path = (string | number)[];

/** The paths of every string leaf of a plain value, or the string field names of a FormData. */
export function stringLeaves(value: unknown, at: Path = []): Path[] {
  if (typeof value === 'string') return [at];
  if (value instanceof FormData) return [...value.keys()].filter((k) => typeof value.get(k) === 'string').map((k) => [k]);
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
  return [];
}

/** A copy of `value` with the leaf at `path` replaced (a FormData field gets a text standing for a non-string). */
export function withLeaf(value: unknown, path: Path, leaf: unknown): unknown {
  if (value instanceof FormData) {
    const form = new FormData();
    for (const [k, v] of value.entries()) form.append(k, v);
    form.set(String(path[0]), typeof leaf === 'string' ? leaf : Array.isArray(leaf) ? '['.repeat(10_000) : typeof leaf === 'object' ? '{"constructor":1}' : String(leaf));
    return form;
  }
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withLeaf(v, rest, leaf) : v));
  return { ...(value as Record<string, unknown>), [head!]: withLeaf((value as Record<string, unknown>)[head!], rest, leaf) };
}

/** Whole-input replacements and additions. */
export function hostileWholeInputs(base: unknown): [string, unknown][] {
  const variants: [string, unknown][] = [
    ['a string', 'x'],
    ['a number', 42],
    ['an array', [base]],
    ['10k nested objects', deeplyNested(10_000, 'object')],
    ['10k nested arrays', deeplyNested(10_000, 'array')],
    ['prototype keys alone', prototypeKeyed()],
  ];
  if (base && typeof base === 'object' && !(base instanceof FormData)) {
    variants.push(['prototype keys added', prototypeKeyed(base as Record<string, unknown>)]);
  }
  if (base instanceof FormData) {
    const form = new FormData();
    for (const [k, v] of base.entries()) form.append(k, v);
    form.append('constructor', '1');
    form.append('__proto__', '1');
    variants.push(['prototype-named form fields', form]);
  }
  return variants;
}

// ---- the sweep

const ROUTER = procedures();
const PATHS = [...ROUTER.keys()].sort();
const FLAT = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;

function hasInput(path: string): boolean {
  return ((FLAT[path]!._def as { inputs?: unknown[] }).inputs ?? []).length > 0;
}

/** Status codes the Bistro codes are sent with: a refusal must be one of the 4xx ones. */
const CLIENT_ERROR_CODES = Object.entries(ERROR_CODES)
  .filter(([, trpc]) => trpc !== 'INTERNAL_SERVER_ERROR' && trpc !== 'SERVICE_UNAVAILABLE')
  .map(([code]) => code);

let tdb: TestDatabase;
let fixture: Fixture;
const callers: Record<'guest' | 'customer' | 'manager' | 'admin', TestUser | null> = { guest: null, customer: null, manager: null, admin: null };
const services = testServices();
let calls = 0;

/** Row counts of every table of the public schema (one statement). */
async function rowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const selects = tables.rows.map((t) => sql`(select count(*)::int from ${sql.table(t.name)}) as ${sql.ref(t.name)}`);
  const counts = await sql<Record<string, number>>`select ${sql.join(selects)}`.execute(db);
  return counts.rows[0]!;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  const db = tdb.db;
  const location = await db.selectFrom('locations').select(['id', 'slug']).orderBy('slug').executeTakeFirstOrThrow();
  const item = await db.selectFrom('menu_items').select(['id', 'category_id']).where('location_id', '=', location.id).orderBy('sort_order').executeTakeFirstOrThrow();
  const group = await db
    .insertInto('option_groups')
    .values({ location_id: location.id, item_id: item.id, name: 'Sweep sauce', min_selections: 0, max_selections: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const option = await db.insertInto('options').values({ option_group_id: group.id, name: 'Aioli', price_delta_minor: 50 }).returning('id').executeTakeFirstOrThrow();
  const ingredient = await db.insertInto('ingredients').values({ location_id: location.id, name: 'Sweep flour', unit: 'g' }).returning('id').executeTakeFirstOrThrow();
  const station = await db.insertInto('stations').values({ location_id: location.id, name: 'Sweep grill', created_at: new Date(), updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
  const orderId = randomUUID();
  const tracking = newTrackingToken(orderId);
  await db
    .insertInto('orders')
    .values({
      id: orderId,
      location_id: location.id,
      local_date: '2000-01-01',
      number: 1,
      display_number: 'S-1',
      status: 'placed',
      type: 'pickup',
      slot_start: new Date('2000-01-01T12:00:00Z'),
      contact_name: 'Sweep Guest',
      currency: 'EUR',
      subtotal_minor: 500,
      tax_minor: 50,
      tip_minor: 0,
      total_minor: 550,
      tracking_secret_hash: tracking.secretHash,
    })
    .execute();
  callers.customer = await createUser(db);
  callers.manager = await createUser(db, { roles: [{ locationId: location.id, role: 'manager' }] });
  callers.admin = await createUser(db, { isAdmin: true });
  fixture = {
    locationId: location.id,
    locationSlug: location.slug,
    categoryId: item.category_id,
    itemId: item.id,
    optionGroupId: group.id,
    optionId: option.id,
    ingredientId: ingredient.id,
    stationId: station.id,
    orderId,
    trackingToken: tracking.token,
    userId: callers.customer.id,
    token: 'A'.repeat(43),
  };
});
afterAll(() => tdb?.drop());

/** Calls `path` with `input` as `who`; returns a problem description, or null when the answer is a proper refusal. */
async function problemWith(path: string, input: unknown, who: keyof typeof callers): Promise<string | null> {
  calls += 1;
  const me = callers[who];
  const caller = callerFor(tdb.db, { token: me?.token ?? null, services, ip: `2001:db8::${calls.toString(16)}` });
  const result = await outcome(callPath(caller, path, input));
  if (result.ok) return hasInput(path) ? 'accepted' : null;
  const code = result.data.bistroCode;
  if (!isBistroErrorCode(code)) return `unknown code ${String(code)}`;
  if (!CLIENT_ERROR_CODES.includes(code)) return code;
  return null;
}

/** Who calls a procedure in the sweep: always a guest and a customer, and someone it is for. */
function sweepCallers(path: string): (keyof typeof callers)[] {
  const access = ROUTER.get(path)!.access;
  if (access === 'admin') return ['guest', 'customer', 'admin'];
  if (access === 'staff' || access === 'manager') return ['guest', 'customer', 'manager'];
  return ['guest', 'customer'];
}

describe('hostile input sweep', () => {
  it('has a valid-shaped base input for every procedure in the router, and none for a procedure the router lacks', () => {
    const missing = PATHS.filter((path) => !Object.hasOwn(BASE_INPUTS, path));
    const extra = Object.keys(BASE_INPUTS)
      .filter((path) => !ROUTER.has(path))
      .sort();
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it('every base input passes its procedure’s own input schema (so each hostile leaf is the only fault)', async () => {
    const refused: Record<string, unknown> = {};
    for (const path of PATHS) {
      const build = BASE_INPUTS[path];
      if (!build) continue;
      for (const parser of (FLAT[path]!._def as { inputs?: { safeParseAsync?: (v: unknown) => Promise<{ success: boolean; error?: unknown }> }[] }).inputs ?? []) {
        const result = await parser.safeParseAsync!(build(fixture));
        if (!result.success) refused[path] = result.error;
      }
    }
    expect(refused).toEqual({});
  });

  it('sweeps at least one string leaf in most procedures (the table is not hollow)', () => {
    const withLeaves = PATHS.filter((path) => hasInput(path) && stringLeaves(BASE_INPUTS[path]?.(fixture)).length > 0);
    expect(withLeaves.length).toBeGreaterThan(45);
  });

  it.each(PATHS)('%s refuses every hostile input with a known 4xx code, writes nothing, and still works', async (path) => {
    const build = BASE_INPUTS[path];
    expect(build, `no base input for ${path}`).toBeDefined();
    await sweep(path, build!(fixture), sweepCallers(path));
  });

  // Inputs only an admin may send, swept as an admin too (the table above sweeps managers' inputs).
  it.each(Object.keys(ADMIN_INPUTS))('%s for every location refuses every hostile input as an admin too', async (path) => {
    await sweep(path, ADMIN_INPUTS[path]!(fixture), ['guest', 'manager', 'admin']);
  });

  it('the server is healthy after the sweep: a public read and a signed-in read still answer', async () => {
    const caller = callerFor(tdb.db, { token: callers.manager!.token, services });
    expect((await caller.locations.list()).length).toBeGreaterThan(0);
    expect((await caller.auth.me())?.id).toBe(callers.manager!.id);
  });
});

/** Base inputs an admin alone may send (a promo code for every location: `locationId` null). */
const ADMIN_INPUTS: Record<string, (f: Fixture) => unknown> = {
  'promos.create': () => ({ locationId: null, code: 'SWEEPALL', discount: { amountMinor: 500, currency: 'EUR' }, minSubtotalMinor: 500, validFrom: '2027-01-01', validTo: '2027-01-31', maxUses: 5, maxUsesPerCustomer: 1 }),
};

/** Each hostile variant of `base` as each of `who`: a known 4xx refusal every time, and no row written. */
async function sweep(path: string, base: unknown, who: (keyof typeof callers)[]): Promise<void> {
  const before = await rowCounts(tdb.db);
  const problems: string[] = [];
  const cases: [string, unknown][] = [
    ...stringLeaves(base).flatMap((leaf) => hostileStrings(String(readLeaf(base, leaf))).map(([what, value]) => [`${leaf.join('.')} ← ${what}`, withLeaf(base, leaf, value)] as [string, unknown])),
    ...hostileWholeInputs(base).map(([what, value]) => [`input ← ${what}`, value] as [string, unknown]),
  ];
  for (const caller of who) {
    for (const [what, input] of cases) {
      const problem = await problemWith(path, input, caller);
      if (problem) problems.push(`${caller}: ${what}: ${problem}`);
    }
  }
  expect(problems).toEqual([]);
  expect(await rowCounts(tdb.db)).toEqual(before);
  // Nothing was polluted on the way.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

function readLeaf(value: unknown, path: Path): unknown {
  if (value instanceof FormData) return value.get(String(path[0]));
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}
