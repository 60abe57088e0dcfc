import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@bistro/db';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { ACCESS_LEVELS, API_SCOPES, type AccessLevel, type ApiScope, type BistroErrorCode, type LocationRole } from '@bistro/domain';
import { issueToken } from '../src/auth/emails.js';
import { newTrackingToken } from '../src/orders/tracking.js';
import { findOrCreateSubscriber, issueConfirmToken, unsubscribeAad } from '../src/newsletter/subscribers.js';
import { createSession } from '../src/auth/sessions.js';
import { callerFor, createApiKey, createUser, DEFAULT_PASSWORD, jobsFor, testServices, type TestUser } from './helpers.js';
import { callPath, outcome, procedures } from './procedures.js';

/**
 * The role × procedure matrix, built from the router itself: every procedure declares its
 * access level in its meta, and is called here as each kind of caller. A procedure without a
 * row below fails this file, so nothing reaches the router without saying who may call it.
 */

/**
 * `orderer` is the signed-in customer who placed the order a call is about, `tokenHolder` a guest
 * holding its tracking token; the other kinds name someone else's order by its id.
 */
const PEOPLE = ['guest', 'customer', 'otherStaff', 'otherManager', 'staff', 'manager', 'admin', 'orderer', 'tokenHolder'] as const;
/**
 * API keys are callers too: `keyHere` is a key of the location under test holding every scope,
 * `keyElsewhere` one of the other location holding every scope, `keyWithoutScope` one of the
 * location under test holding every scope but the one the procedure names.
 */
const KEYS = ['keyHere', 'keyElsewhere', 'keyWithoutScope'] as const;
const CALLERS = [...PEOPLE, ...KEYS] as const;
type Person = (typeof PEOPLE)[number];
type KeyKind = (typeof KEYS)[number];
type CallerKind = Person | KeyKind;

type Answer = 'allowed' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'SCOPE_MISSING';
const A = 'allowed' as const;
const U = 'UNAUTHORIZED' as const;
const N = 'NOT_FOUND' as const;

/** What each caller gets from a procedure of each access level. Staff/manager without a role there get NOT_FOUND. */
const EXPECTED: Record<AccessLevel, Record<Person, Answer>> = {
  public: { guest: A, customer: A, otherStaff: A, otherManager: A, staff: A, manager: A, admin: A, orderer: A, tokenHolder: A },
  authed: { guest: U, customer: A, otherStaff: A, otherManager: A, staff: A, manager: A, admin: A, orderer: A, tokenHolder: U },
  orderer: { guest: N, customer: N, otherStaff: N, otherManager: N, staff: N, manager: N, admin: N, orderer: A, tokenHolder: A },
  order: { guest: N, customer: N, otherStaff: N, otherManager: N, staff: A, manager: A, admin: A, orderer: A, tokenHolder: A },
  staff: { guest: U, customer: N, otherStaff: N, otherManager: N, staff: A, manager: A, admin: A, orderer: N, tokenHolder: U },
  manager: { guest: U, customer: N, otherStaff: N, otherManager: N, staff: N, manager: A, admin: A, orderer: N, tokenHolder: U },
  admin: { guest: U, customer: N, otherStaff: N, otherManager: N, staff: N, manager: N, admin: A, orderer: N, tokenHolder: U },
};

interface Env {
  db: Kysely<DB>;
  /** The location under test: staff and manager hold their role here, the others at `otherLocationId`. */
  locationId: string;
  locationSlug: string;
  otherLocationId: string;
  /** The user making this call; null for the guest and the token holder. */
  me: TestUser | null;
  kind: CallerKind;
  /** A new user that only this call touches (a target for destructive calls). */
  freshUser(): Promise<TestUser>;
  /** Unique within the run, for emails and names. */
  unique: string;
}

/**
 * What each key gets from a procedure: nothing without a scope; with `any`, what anyone gets; with
 * a scope, what a manager here (its key) or elsewhere (another location's key) gets, and
 * SCOPE_MISSING for a key without it.
 */
function expectedForKeys(access: AccessLevel, scope: Entry['scope']): Record<KeyKind, Answer> {
  if (!scope) return { keyHere: 'SCOPE_MISSING', keyElsewhere: 'SCOPE_MISSING', keyWithoutScope: 'SCOPE_MISSING' };
  if (scope === 'any') return { keyHere: EXPECTED[access].guest, keyElsewhere: EXPECTED[access].guest, keyWithoutScope: EXPECTED[access].guest };
  // Public procedures with a scope (orders.place) still keep a key to its own location.
  const elsewhere = access === 'public' ? 'NOT_FOUND' : EXPECTED[access].otherManager;
  return { keyHere: EXPECTED[access].manager, keyElsewhere: elsewhere, keyWithoutScope: 'SCOPE_MISSING' };
}

interface Entry {
  /** Who may call it: reviewed here, and checked against what the procedure declares. */
  access: AccessLevel;
  /** What an API key must hold to call it (`any`: every key); none: keys may not. Checked against the procedure's meta. */
  scope?: ApiScope | 'any';
  /** A valid input for this call: an allowed caller's call should succeed with it. */
  input(env: Env): unknown;
  /** Codes an allowed call may still end with for reasons of its own (never an access code). */
  mayFailWith?: BistroErrorCode[];
}

const NEW_PASSWORD = 'a-brand-new-bread-knife-7';

/** A real (tiny) PNG for the photo upload row. */
const tinyPng = sharp({ create: { width: 16, height: 12, channels: 3, background: '#b5462f' } }).png().toBuffer();

async function garlicBread(db: Kysely<DB>, locationId: string): Promise<string> {
  return (await db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).where('name', '=', 'Garlic bread').executeTakeFirstOrThrow()).id;
}

/** A job that failed for good (its payload names no order: retried, it fails again harmlessly). */
async function failedJob(db: Kysely<DB>): Promise<string> {
  await jobsFor(db).start();
  const { rows } = await sql<{ id: string }>`insert into pgboss.job (name, state, data, retry_count) values ('email.send', 'failed', '{}', 5) returning id`.execute(db);
  return rows[0]!.id;
}

const MATRIX: Record<string, Entry> = {
  'auth.signUp': { access: 'public', input: ({ unique }) => ({ email: `signup.${unique}@bistro.test`, password: NEW_PASSWORD, name: 'New Guest' }) },
  'auth.signIn': {
    access: 'public',
    input: async ({ freshUser }) => {
      const user = await freshUser();
      return { email: user.email, password: user.password, mode: 'token' };
    },
  },
  'auth.signOut': { access: 'public', input: () => undefined },
  'auth.signOutEverywhere': { access: 'authed', input: () => undefined },
  'auth.me': { access: 'public', input: () => undefined },
  'auth.changePassword': { access: 'authed', input: () => ({ currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD }) },
  'auth.sessions.list': { access: 'authed', input: () => undefined },
  // The caller's own other session; the guest names one that isn't theirs either.
  'auth.sessions.revoke': {
    access: 'authed',
    input: async ({ db, me }) => ({
      sessionId: me ? (await createSession(db, me.id, { ip: null, userAgent: null, now: new Date() })).sessionId : randomUUID(),
    }),
  },
  'auth.requestEmailVerification': { access: 'authed', input: () => undefined },
  'auth.verifyEmail': {
    access: 'public',
    input: async ({ db, freshUser }) => {
      const user = await freshUser();
      return { token: await issueToken(db, { kind: 'verify_email', email: user.email, userId: user.id, now: new Date() }) };
    },
  },
  'auth.requestPasswordReset': { access: 'public', input: async ({ freshUser }) => ({ email: (await freshUser()).email }) },
  'auth.resetPassword': {
    access: 'public',
    input: async ({ db, freshUser }) => {
      const user = await freshUser();
      return { token: await issueToken(db, { kind: 'reset_password', email: user.email, userId: user.id, now: new Date() }), password: NEW_PASSWORD };
    },
  },
  'auth.acceptInvitation': {
    access: 'public',
    input: async ({ db, unique, locationId }) => {
      const email = `invited.${unique}@bistro.test`;
      const token = await issueToken(db, { kind: 'invitation', email, locationId, role: 'staff', now: new Date() });
      return { token, name: 'Invited Cook', password: NEW_PASSWORD };
    },
  },
  'locations.list': { access: 'public', scope: 'any', input: () => undefined },
  'locations.get': { access: 'manager', input: ({ locationId }) => ({ locationId }) },
  'locations.staff.list': { access: 'manager', input: ({ locationId }) => ({ locationId }) },
  'locations.staff.invite': { access: 'manager', input: ({ locationId, unique }) => ({ locationId, email: `invitee.${unique}@bistro.test`, role: 'staff' }) },
  'menu.get': { access: 'public', scope: 'any', input: ({ locationSlug }) => ({ locationSlug }) },
  'menu.forEdit': { access: 'manager', scope: 'menu:read', input: ({ locationId }) => ({ locationId }) },
  // Ordering: anyone may quote, see slots and place a pickup order (the demo location may be closed at the time the test runs).
  'orders.quote': {
    access: 'public',
    scope: 'any',
    input: async ({ db, locationId, locationSlug }) => ({ locationSlug, type: 'pickup', lines: [{ itemId: await garlicBread(db, locationId), quantity: 1, options: [] }] }),
  },
  'orders.slots': { access: 'public', scope: 'any', input: ({ locationSlug }) => ({ locationSlug, date: new Date().toISOString().slice(0, 10) }) },
  'orders.place': {
    access: 'public',
    scope: 'orders:write',
    input: async ({ db, locationId, locationSlug }) => ({
      locationSlug,
      type: 'pickup',
      lines: [{ itemId: await garlicBread(db, locationId), quantity: 1, options: [] }],
      contact: { name: 'Matrix Guest' },
      idempotencyKey: randomUUID(),
    }),
    mayFailWith: ['LOCATION_CLOSED', 'SLOT_FULL'],
  },
  // An order's life: each call gets a fresh placed order (the caller's own when signed in).
  'orders.get': { access: 'order', input: async (env) => orderRef(env, await matrixOrder(env)) },
  'orders.track': { access: 'public', scope: 'any', input: async (env) => ({ trackingToken: (await matrixOrder(env)).trackingToken }) },
  'orders.listMine': { access: 'authed', input: () => ({}) },
  'orders.cancel': { access: 'orderer', input: async (env) => ({ ...orderRef(env, await matrixOrder(env)), reason: 'matrix' }) },
  'orders.onStatus': { access: 'orderer', input: async (env) => orderRef(env, await matrixOrder(env)) },
  'kitchen.queue': { access: 'staff', scope: 'kitchen:read', input: ({ locationId }) => ({ locationId }) },
  'stations.list': { access: 'staff', scope: 'kitchen:read', input: ({ locationId }) => ({ locationId }) },
  'stations.create': { access: 'manager', input: ({ locationId, unique }) => ({ locationId, name: `Matrix ${unique}` }) },
  'stations.update': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => ({
      stationId: (await db.insertInto('stations').values({ location_id: locationId, name: `Matrix ${unique}`, created_at: new Date(), updated_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id,
      name: `Matrix renamed ${unique}`,
    }),
  },
  'stations.reorder': {
    access: 'manager',
    input: async ({ db, locationId }) => ({
      locationId,
      stationIds: (await db.selectFrom('stations').select('id').where('location_id', '=', locationId).where('archived_at', 'is', null).orderBy('sort_order', 'desc').orderBy('id').execute()).map((s) => s.id),
    }),
    // The callers run at once, and other rows add stations meanwhile: a list read before another's is out of date.
    mayFailWith: ['MENU_ORDER_MISMATCH'],
  },
  'orders.list': { access: 'staff', scope: 'kitchen:read', input: ({ locationId }) => ({ locationId, status: 'placed' }) },
  // Payments (issue 14): the matrix's order is paid at the counter, so it has nothing to refund until a tender is taken.
  'orders.refund': {
    access: 'manager',
    input: async (env) => ({ orderId: (await matrixOrder(env)).orderId, amountMinor: 1, reason: 'matrix', idempotencyKey: randomUUID() }),
    mayFailWith: ['NOTHING_TO_REFUND'],
  },
  'orders.tender': { access: 'staff', input: async (env) => ({ orderId: (await matrixOrder(env)).orderId, method: 'cash', amountMinor: 1, idempotencyKey: randomUUID() }) },
  'orders.payments': { access: 'staff', input: async (env) => ({ orderId: (await matrixOrder(env)).orderId }) },
  'promos.create': { access: 'manager', input: ({ locationId, unique }) => ({ locationId, code: `M${unique}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32), discount: { percentBp: 1000 } }) },
  'promos.list': { access: 'manager', input: ({ locationId }) => ({ locationId }) },
  'promos.update': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => ({
      promoId: (
        await db
          .insertInto('promo_codes')
          .values({ code: `U${unique}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32).toUpperCase(), location_id: locationId, kind: 'percent', percent_bp: 500, created_at: new Date(), updated_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      discount: { amountMinor: 200 },
      minSubtotalMinor: 0,
      validFrom: null,
      validTo: null,
      maxUses: 10,
      maxUsesPerCustomer: null,
      active: true,
    }),
  },
  'promos.setActive': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => ({
      promoId: (
        await db
          .insertInto('promo_codes')
          .values({ code: `S${unique}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32).toUpperCase(), location_id: locationId, kind: 'percent', percent_bp: 500, created_at: new Date(), updated_at: new Date() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      active: false,
    }),
  },
  'payments.options': { access: 'public', input: () => undefined },
  'payments.sandboxConfirm': { access: 'public', input: () => ({ clientSecret: 'sbx_cs_not-a-payment.x', card: '4242424242424242' }), mayFailWith: ['PAYMENT_INVALID'] },
  'kitchen.bump': { access: 'staff', scope: 'kitchen:write', input: async (env) => ({ orderId: (await matrixOrder(env)).orderId, from: 'placed' }) },
  'kitchen.reject': { access: 'staff', scope: 'kitchen:write', input: async (env) => ({ orderId: (await matrixOrder(env)).orderId, reason: 'matrix' }) },
  'kitchen.onTickets': { access: 'staff', scope: 'kitchen:read', input: ({ locationId }) => ({ locationId }) },
  'kitchen.stationDone': { access: 'staff', scope: 'kitchen:write', input: async (env) => ({ ...(await matrixStationLine(env)), done: true }) },
  // Menu editing: each call edits a fresh category/item/group of the location at version 1.
  'menu.categories.create': { access: 'manager', input: ({ locationId, unique }) => ({ locationId, name: `Matrix ${unique}` }) },
  'menu.categories.update': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => ({ categoryId: (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id, version: 1, name: `Renamed ${unique}` }),
  },
  'menu.categories.archive': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => ({ categoryId: (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id, version: 1 }),
  },
  'menu.categories.reorder': {
    access: 'manager',
    input: async ({ db, locationId }) => ({
      locationId,
      categoryIds: (
        await db.selectFrom('menu_categories').select('id').where('location_id', '=', locationId).where('archived_at', 'is', null).orderBy('sort_order', 'desc').execute()
      ).map((c) => c.id),
    }),
  },
  'menu.items.create': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => ({ categoryId: (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id, name: `Matrix item ${unique}`, priceMinor: 1250, allergens: ['gluten'] }),
  },
  'menu.items.update': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      return { itemId: (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Matrix item ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id, version: 1, priceMinor: 1350 };
    },
  },
  'menu.items.archive': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      return { itemId: (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Matrix item ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id, version: 1 };
    },
  },
  'menu.items.setPhoto': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      const itemId = (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Photo ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id;
      const form = new FormData();
      form.set('itemId', itemId);
      form.set('photo', new Blob([await tinyPng]), 'dish.png');
      return form;
    },
  },
  'menu.items.removePhoto': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      return { itemId: (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Photo ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id };
    },
  },
  'menu.items.reorder': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      const first = (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `First ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id;
      const second = (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Second ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id;
      return { categoryId, itemIds: [second, first] };
    },
  },
  'menu.optionGroups.create': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      return { itemId: (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Matrix item ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id, name: 'Sauce', minSelections: 0, maxSelections: 1, options: [{ name: 'Aioli', priceDeltaMinor: 50 }] };
    },
  },
  'menu.optionGroups.update': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      const itemId = (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Matrix item ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id;
      return { optionGroupId: (await db.insertInto('option_groups').values({ location_id: locationId, item_id: itemId, name: 'Matrix group', min_selections: 0, max_selections: 1 }).returning('id').executeTakeFirstOrThrow()).id, version: 1, options: [{ name: 'Aioli', priceDeltaMinor: 50 }] };
    },
  },
  'menu.optionGroups.archive': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const categoryId = (await db.insertInto('menu_categories').values({ location_id: locationId, name: `Matrix ${unique}` }).returning('id').executeTakeFirstOrThrow()).id;
      const itemId = (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name: `Matrix item ${unique}`, price_minor: 1000 }).returning('id').executeTakeFirstOrThrow()).id;
      return { optionGroupId: (await db.insertInto('option_groups').values({ location_id: locationId, item_id: itemId, name: 'Matrix group', min_selections: 0, max_selections: 1 }).returning('id').executeTakeFirstOrThrow()).id, version: 1 };
    },
  },
  'admin.users.list': { access: 'admin', input: () => ({}) },
  'admin.users.setRole': { access: 'admin', input: async ({ freshUser, locationId }) => ({ userId: (await freshUser()).id, locationId, role: 'staff' }) },
  'admin.users.setDisabled': { access: 'admin', input: async ({ freshUser }) => ({ userId: (await freshUser()).id, disabled: true }) },
  'admin.audit.list': { access: 'admin', input: () => ({}) },
  'admin.jobs.list': { access: 'admin', input: () => ({ state: 'failed' }) },
  'admin.jobs.retry': { access: 'admin', input: async ({ db }) => ({ id: await failedJob(db) }) },
  // Locations, the pantry and the kitchen's 86 (each input harmless to the other rows: no item is 86'd or made unavailable).
  'locations.create': {
    access: 'admin',
    input: ({ unique }) => ({ slug: `matrix-${unique.replace(/\D+/g, '-')}`, name: 'Matrix', timeZone: 'UTC', currency: 'EUR', taxRateBp: 1000, openingHours: [] }),
  },
  'locations.update': {
    access: 'manager',
    input: async ({ db, locationId }) => ({
      locationId,
      version: (await db.selectFrom('locations').select('version').where('id', '=', locationId).executeTakeFirstOrThrow()).version,
      acceptingOrders: true,
    }),
    mayFailWith: ['STALE_VERSION'],
  },
  'inventory.ingredients.list': { access: 'staff', scope: 'inventory:read', input: ({ locationId }) => ({ locationId }) },
  'inventory.ingredients.upsert': { access: 'manager', input: ({ locationId, unique }) => ({ locationId, name: `Matrix ${unique}`, unit: 'g', lowStockThreshold: 0 }) },
  'inventory.adjust': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const { id } = await db.insertInto('ingredients').values({ location_id: locationId, name: `Matrix ${unique}`, unit: 'g' }).returning('id').executeTakeFirstOrThrow();
      return { ingredientId: id, reason: 'delivery', delta: 10 };
    },
  },
  'inventory.movements.list': { access: 'staff', scope: 'inventory:read', input: ({ locationId }) => ({ locationId }) },
  'inventory.recipes.get': {
    access: 'staff',
    scope: 'inventory:read',
    input: async ({ db, locationId }) => ({
      itemId: (await db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).where('name', '=', 'Garlic bread').executeTakeFirstOrThrow()).id,
    }),
  },
  'inventory.recipes.set': {
    access: 'manager',
    input: async ({ db, locationId }) => ({
      itemId: (await db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).where('name', '=', 'Garlic bread').executeTakeFirstOrThrow()).id,
      lines: [],
    }),
  },
  'inventory.lowStock': { access: 'staff', scope: 'inventory:read', input: ({ locationId }) => ({ locationId }) },
  'kitchen.set86': {
    access: 'staff',
    scope: 'kitchen:write',
    input: async ({ db, locationId }) => ({
      itemId: (await db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).where('name', '=', 'Garlic bread').executeTakeFirstOrThrow()).id,
      eightySixed: false,
    }),
  },
  // Reports: the manager's, over a fixed range of the location's days.
  'reports.sales': { access: 'manager', input: ({ locationId }) => ({ locationId, from: '2026-11-01', to: '2026-11-30', groupBy: 'day' }) },
  'reports.kitchen': { access: 'manager', input: ({ locationId }) => ({ locationId, from: '2026-11-01', to: '2026-11-30' }) },
  'reports.items': { access: 'manager', input: ({ locationId }) => ({ locationId, from: '2026-11-01', to: '2026-11-30' }) },
  'reports.overview': { access: 'manager', input: ({ locationId }) => ({ locationId }) },
  // API keys: managers of the location (admins anywhere) make, list and revoke them; keys can't.
  'apiKeys.create': { access: 'manager', input: ({ locationId }) => ({ locationId, name: 'Matrix POS', scopes: ['kitchen:read'] }) },
  'apiKeys.list': { access: 'manager', input: ({ locationId }) => ({ locationId }) },
  'apiKeys.revoke': { access: 'manager', input: async ({ db, locationId }) => ({ apiKeyId: (await createApiKey(db, { locationId, scopes: ['menu:read'] })).id }) },
  // The newsletter: anyone subscribes, confirms and unsubscribes (by the emailed secrets); a signed-in
  // customer manages their own; the location's managers write and send campaigns (keys can't).
  'newsletter.subscribe': { access: 'public', scope: 'any', input: ({ locationId, unique }) => ({ email: `news.${unique}@bistro.test`, locationId }) },
  'newsletter.confirm': { access: 'public', scope: 'any', input: async ({ db, unique }) => ({ token: (await matrixSubscriber(db, unique)).confirmToken }) },
  'newsletter.unsubscribe': { access: 'public', scope: 'any', input: async ({ db, unique }) => ({ token: (await matrixSubscriber(db, unique)).unsubscribeToken }) },
  'newsletter.mine': { access: 'authed', input: () => undefined },
  'newsletter.setMine': { access: 'authed', input: ({ locationId }) => ({ locationId, subscribed: true }) },
  'newsletter.campaigns.create': { access: 'manager', input: ({ locationId }) => ({ locationId, subject: 'Matrix news', bodyMarkdown: 'Hello **all**' }) },
  'newsletter.campaigns.update': { access: 'manager', input: async ({ db, locationId }) => ({ campaignId: await matrixCampaign(db, locationId), version: 1, subject: 'Edited' }) },
  'newsletter.campaigns.list': { access: 'manager', input: ({ locationId }) => ({ locationId }) },
  'newsletter.campaigns.get': { access: 'manager', input: async ({ db, locationId }) => ({ campaignId: await matrixCampaign(db, locationId) }) },
  'newsletter.campaigns.preview': { access: 'manager', input: async ({ db, locationId }) => ({ campaignId: await matrixCampaign(db, locationId) }) },
  'newsletter.campaigns.send': {
    access: 'manager',
    input: async ({ db, locationId, unique }) => {
      const subscriber = await matrixSubscriber(db, unique, locationId);
      await db.updateTable('newsletter_subscribers').set({ status: 'confirmed' }).where('id', '=', subscriber.id).execute();
      return { campaignId: await matrixCampaign(db, locationId) };
    },
  },
};

/** A pending subscriber (every location's list, or `locationId`'s) with a confirmation link's token and its unsubscribe secret. */
async function matrixSubscriber(db: Kysely<DB>, unique: string, locationId: string | null = null): Promise<{ id: string; confirmToken: string; unsubscribeToken: string }> {
  const keys = services.dataKeys!;
  const { id } = await findOrCreateSubscriber(db, keys, { email: `sub.${unique}@bistro.test`, locationId, userId: null, now: new Date() });
  const row = await db.selectFrom('newsletter_subscribers').select('unsubscribe_sealed').where('id', '=', id).executeTakeFirstOrThrow();
  return { id, confirmToken: await issueConfirmToken(db, id, new Date()), unsubscribeToken: keys.decrypt(row.unsubscribe_sealed, unsubscribeAad(id)) };
}

/** A draft campaign of the location. */
async function matrixCampaign(db: Kysely<DB>, locationId: string): Promise<string> {
  const now = new Date();
  const row = await db.insertInto('newsletter_campaigns').values({ location_id: locationId, subject: 'Matrix', body_markdown: 'Hi', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

let matrixOrders = 0;
/** How a caller of `kind` names an order: by its tracking token if they hold it, by its id otherwise. */
function orderRef({ kind }: Env, order: { orderId: string; trackingToken: string }): { orderId: string } | { trackingToken: string } {
  return kind === 'tokenHolder' ? { trackingToken: order.trackingToken } : { orderId: order.orderId };
}

/** Someone else's orders: the customer the matrix orders belong to unless the caller placed them. */
let someoneElse: Promise<TestUser> | undefined;

/** A placed order at the location under test, the caller's own if they are the orderer, someone else's otherwise; written directly (no stock, no slot). */
async function matrixOrder({ db, locationId, me, kind }: Env): Promise<{ orderId: string; trackingToken: string }> {
  const owner = kind === 'orderer' ? me : await (someoneElse ??= createUser(db));
  matrixOrders += 1;
  const orderId = randomUUID();
  const { token, secretHash } = newTrackingToken(orderId);
  const now = new Date();
  await db
    .insertInto('orders')
    .values({
      id: orderId,
      location_id: locationId,
      customer_user_id: owner?.id ?? null,
      // A day of its own, so these numbers never meet the ones orders.place hands out.
      local_date: '2000-01-01',
      number: matrixOrders,
      display_number: `M-${matrixOrders}`,
      status: 'placed',
      type: 'pickup',
      slot_start: now,
      contact_name: 'Matrix Guest',
      currency: 'EUR',
      subtotal_minor: 500,
      tax_minor: 50,
      tip_minor: 0,
      total_minor: 550,
      tracking_secret_hash: secretHash,
    })
    .execute();
  await db.insertInto('order_history').values({ order_id: orderId, from_status: null, to_status: 'placed', action: 'place', actor: 'orderer' }).execute();
  return { orderId, trackingToken: token };
}

/** A matrix order with one line routed to a new station of the location: what kitchen.stationDone names. */
async function matrixStationLine(env: Env): Promise<{ orderId: string; stationId: string }> {
  const { db, locationId, unique } = env;
  const { orderId } = await matrixOrder(env);
  const stationId = (await db.insertInto('stations').values({ location_id: locationId, name: `Line ${unique}`, created_at: new Date(), updated_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
  const item = await db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).orderBy('id').executeTakeFirstOrThrow();
  await db
    .insertInto('order_lines')
    .values({ order_id: orderId, line_index: 0, item_id: item.id, name: 'Matrix line', quantity: 1, unit_price_minor: 500, line_total_minor: 500, station_id: stationId })
    .execute();
  return { orderId, stationId };
}

const ROUTER = procedures();
const PATHS = [...ROUTER.keys()].sort();

let tdb: TestDatabase;
let location: { id: string; slug: string };
let otherLocationId: string;
// Its own limiter, and a new client IP per call: the matrix must never meet a rate limit.
const services = testServices();
let calls = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const locations = await tdb.db.selectFrom('locations').select(['id', 'slug']).orderBy('slug').execute();
  const [first, second] = locations;
  if (!first || !second) throw new Error('the demo data has two locations');
  location = first;
  otherLocationId = second.id;
});
afterAll(() => tdb?.drop());

/** The bearer credential of a caller of this kind: a fresh session, a fresh API key, or none. */
async function newCredential(kind: CallerKind, scope: Entry['scope']): Promise<{ me: TestUser | null; token: string | null }> {
  if (kind === 'keyHere' || kind === 'keyElsewhere' || kind === 'keyWithoutScope') {
    const scopes = kind === 'keyWithoutScope' ? API_SCOPES.filter((s) => s !== scope) : API_SCOPES;
    const key = await createApiKey(tdb.db, { locationId: kind === 'keyElsewhere' ? otherLocationId : location.id, scopes });
    return { me: null, token: key.key };
  }
  const me = await newCaller(kind);
  return { me, token: me?.token ?? null };
}

/** A new signed-in user of this kind (or null for the guest), so no call can spoil another's caller. */
async function newCaller(kind: Person): Promise<TestUser | null> {
  const at = (locationId: string, role: LocationRole) => ({ roles: [{ locationId, role }] });
  switch (kind) {
    case 'guest':
    case 'tokenHolder':
      return null;
    case 'orderer':
    case 'customer':
      return createUser(tdb.db);
    case 'otherStaff':
      return createUser(tdb.db, at(otherLocationId, 'staff'));
    case 'otherManager':
      return createUser(tdb.db, at(otherLocationId, 'manager'));
    case 'staff':
      return createUser(tdb.db, at(location.id, 'staff'));
    case 'manager':
      return createUser(tdb.db, at(location.id, 'manager'));
    case 'admin':
      return createUser(tdb.db, { isAdmin: true });
  }
}

/** Calls `path` as `kind` and says how it went: allowed, or the code it was refused with. */
async function answerOf(path: string, entry: Entry, kind: CallerKind): Promise<string> {
  // This call's own number: concurrent calls advance `calls` while this one awaits.
  const call = (calls += 1);
  const unique = `${call}.${Date.now()}`;
  const { me, token } = await newCredential(kind, entry.scope);
  const env: Env = {
    db: tdb.db,
    locationId: location.id,
    locationSlug: location.slug,
    otherLocationId,
    me,
    kind,
    freshUser: () => createUser(tdb.db),
    unique,
  };
  const input = await entry.input(env);
  const caller = callerFor(tdb.db, { token, services, ip: `2001:db8::${call.toString(16)}` });
  const result = await outcome(callPath(caller, path, input));
  if (result.ok) return 'allowed';
  const code = result.data.bistroCode;
  if (entry.mayFailWith?.includes(code)) return 'allowed';
  // Access refusals read as their code; anything else carries its message, to say what went wrong.
  return code === 'UNAUTHORIZED' || code === 'NOT_FOUND' || code === 'SCOPE_MISSING' ? code : `${code}: ${JSON.stringify(result.data.fieldErrors)}`;
}

describe('access matrix', () => {
  it('has a row for every procedure in the router, and none for a procedure the router lacks', () => {
    const missing = PATHS.filter((path) => !Object.hasOwn(MATRIX, path));
    const extra = Object.keys(MATRIX)
      .filter((path) => !ROUTER.has(path))
      .sort();
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it('every procedure declares who may call it', () => {
    const undeclared = PATHS.filter((path) => !ACCESS_LEVELS.includes(ROUTER.get(path)!.access as AccessLevel));
    expect(undeclared).toEqual([]);
  });

  it('every procedure declares the access level its row says (a procedure can’t quietly open up)', () => {
    const declared = Object.fromEntries(PATHS.filter((path) => MATRIX[path]).map((path) => [path, ROUTER.get(path)!.access]));
    const reviewed = Object.fromEntries(PATHS.filter((path) => MATRIX[path]).map((path) => [path, MATRIX[path]!.access]));
    expect(declared).toEqual(reviewed);
  });

  it('every procedure declares the API key scope its row says (a key can’t quietly gain a procedure)', () => {
    const declared = Object.fromEntries(PATHS.filter((path) => MATRIX[path]).map((path) => [path, ROUTER.get(path)!.scope]));
    const reviewed = Object.fromEntries(PATHS.filter((path) => MATRIX[path]).map((path) => [path, MATRIX[path]!.scope]));
    expect(declared).toEqual(reviewed);
  });

  it('no row answers with an access code for its own reasons', () => {
    for (const [path, entry] of Object.entries(MATRIX)) {
      expect(entry.mayFailWith ?? [], path).not.toContain('UNAUTHORIZED');
      expect(entry.mayFailWith ?? [], path).not.toContain('NOT_FOUND');
    }
  });

  it.each(PATHS)('%s answers guest, customer, staff and manager here and elsewhere, and admin, as its access level says', async (path) => {
    const entry = MATRIX[path];
    const access = ROUTER.get(path)!.access;
    expect(entry, `no matrix row for ${path}`).toBeDefined();
    expect(access, `${path} declares the access its row says`).toBe(entry!.access);
    const answers = Object.fromEntries(await Promise.all(CALLERS.map(async (kind) => [kind, await answerOf(path, entry!, kind)] as const)));
    expect(answers).toEqual({ ...EXPECTED[entry!.access], ...expectedForKeys(entry!.access, entry!.scope) });
  });
});

/** A promo code for every location (no location_id): only admins may make, edit or switch one. */
async function everywherePromo(db: Kysely<DB>, unique: string): Promise<string> {
  const code = `E${unique}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32).toUpperCase();
  return (await db.insertInto('promo_codes').values({ code, location_id: null, kind: 'percent', percent_bp: 500, created_at: new Date(), updated_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
}

const EVERYWHERE: Record<string, Entry> = {
  'promos.create': { access: 'admin', input: ({ unique }) => ({ locationId: null, code: `A${unique}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 32), discount: { amountMinor: 100, currency: 'EUR' } }) },
  'promos.update': {
    access: 'admin',
    input: async ({ db, unique }) => ({ promoId: await everywherePromo(db, unique), discount: { percentBp: 900 }, minSubtotalMinor: 0, validFrom: null, validTo: null, maxUses: null, maxUsesPerCustomer: null, active: true }),
  },
  'promos.setActive': { access: 'admin', input: async ({ db, unique }) => ({ promoId: await everywherePromo(db, unique), active: false }) },
};

describe('access matrix: promo codes for every location', () => {
  it.each(Object.keys(EVERYWHERE))('%s for every location answers as an admin procedure (managers included get NOT_FOUND)', async (path) => {
    const entry = EVERYWHERE[path]!;
    const answers = Object.fromEntries(await Promise.all(CALLERS.map(async (kind) => [kind, await answerOf(path, entry, kind)] as const)));
    // API keys never reach a code for every location: the procedures' scope is none.
    expect(answers).toEqual({ ...EXPECTED.admin, ...expectedForKeys('admin', undefined) });
  });
});

