import { randomUUID } from 'node:crypto';
import { getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { appRouter, BistroError, createCaller, createContext, type BistroErrorData, type RequestInfo } from '../src/index.js';
import { callerFor, createUser, demoLocationIds, silent, testServices, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder } from './kitchen-fixtures.js';
import { callPath, outcome, procedures, refusal } from './procedures.js';

/**
 * The procedure builders of trpc.ts, in process: which location a staff or manager procedure
 * acts at (found from the id in its input), and the origin check on cookie-authenticated changes.
 */

let tdb: TestDatabase;
let centrale: string;
let admin: TestUser;
let manager: TestUser;
let cook: TestUser;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ centrale } = await demoLocationIds(tdb.db));
  admin = await createUser(tdb.db, { isAdmin: true });
  manager = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
  cook = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'staff' }] });
});
afterAll(() => tdb?.drop());

/**
 * One procedure per way of naming a location's thing, each with an input that is valid apart
 * from the id. The first key present decides (see LOCATION_KEYS in trpc.ts).
 */
const byKey = {
  locationId: { path: 'kitchen.queue', access: 'staff', input: (id: string) => ({ locationId: id }), what: 'Location' },
  itemId: { path: 'kitchen.set86', access: 'staff', input: (id: string) => ({ itemId: id, eightySixed: true }), what: 'Item' },
  categoryId: { path: 'menu.categories.update', access: 'manager', input: (id: string) => ({ categoryId: id, version: 1, name: 'Soups' }), what: 'Category' },
  optionGroupId: { path: 'menu.optionGroups.archive', access: 'manager', input: (id: string) => ({ optionGroupId: id, version: 1 }), what: 'Option group' },
  optionId: { path: 'inventory.recipes.set', access: 'manager', input: (id: string) => ({ optionId: id, lines: [] }), what: 'Option' },
  ingredientId: { path: 'inventory.adjust', access: 'manager', input: (id: string) => ({ ingredientId: id, reason: 'delivery', delta: 1 }), what: 'Ingredient' },
  orderId: { path: 'kitchen.bump', access: 'staff', input: (id: string) => ({ orderId: id, from: 'placed' }), what: 'Order' },
} as const;

describe('a staff or manager procedure called with a well-formed id that does not exist', () => {
  it('the table of procedures names real procedures of the level it says', () => {
    for (const { path, access } of Object.values(byKey)) expect(procedures().get(path)?.access, path).toBe(access);
  });

  it.each(Object.entries(byKey))('by %s: NOT_FOUND naming what was not found, for an admin, a manager and a cook alike', async (_key, { path, input, what }) => {
    for (const user of [admin, manager, cook]) {
      const data = await refusal(callPath(callerFor(tdb.db, { token: user.token }), path, input(randomUUID())));
      expect(data).toMatchObject({ bistroCode: 'NOT_FOUND', httpStatus: 404 });
    }
    const error = await callPath(callerFor(tdb.db, { token: admin.token }), path, input(randomUUID())).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(`${what} not found`);
  });
});

describe('the location of a thing decides who may act on it', () => {
  it('a cook of this location may read its queue; a cook is not a manager here; a manager is a cook too', async () => {
    expect((await outcome(callerFor(tdb.db, { token: cook.token }).kitchen.queue({ locationId: centrale }))).ok).toBe(true);
    expect((await outcome(callerFor(tdb.db, { token: manager.token }).kitchen.queue({ locationId: centrale }))).ok).toBe(true);
    expect((await outcome(callerFor(tdb.db, { token: admin.token }).kitchen.queue({ locationId: centrale }))).ok).toBe(true);
    const category = await tdb.db.selectFrom('menu_categories').select(['id', 'version']).where('location_id', '=', centrale).executeTakeFirstOrThrow();
    const data = await refusal(callerFor(tdb.db, { token: cook.token }).menu.categories.update({ categoryId: category.id, version: category.version, description: 'x' }));
    expect(data.bistroCode).toBe('NOT_FOUND');
  });

  it('the first id named decides: an item of this location with an option of nowhere is this location’s business', async () => {
    const item = await tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', centrale).executeTakeFirstOrThrow();
    // recipes.set refuses naming both, but only after the location check let the manager in.
    const data = await refusal(callerFor(tdb.db, { token: manager.token }).inventory.recipes.set({ itemId: item.id, optionId: randomUUID(), lines: [] }));
    expect(data).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { itemId: ['Name an item or an option, not both'] } });
  });

  it('an input with no id, or not an object at all, is INVALID_INPUT asking for a location', async () => {
    for (const input of [{}, undefined, 'centrale', null]) {
      const data = await refusal(callPath(callerFor(tdb.db, { token: cook.token }), 'kitchen.queue', input));
      expect(data, JSON.stringify(input)).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { locationId: ['Expected a location id'] } });
    }
  });

  it('an id that is not a UUID is INVALID_INPUT on that field, before any query', async () => {
    const data = await refusal(callerFor(tdb.db, { token: cook.token }).kitchen.bump({ orderId: 'order-1', from: 'placed' }));
    expect(data).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { orderId: ['Expected an id'] } });
  });

  it('a photo upload (FormData) is placed by its itemId field like any other input', async () => {
    const form = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.set(k, v);
      f.set('photo', new Blob([new Uint8Array([1, 2, 3])]), 'x.jpg');
      return f;
    };
    const as = callerFor(tdb.db, { token: manager.token });
    const unknown = await refusal(as.menu.items.setPhoto(form({ itemId: randomUUID() })));
    expect(unknown).toMatchObject({ bistroCode: 'NOT_FOUND' });
    const none = await refusal(as.menu.items.setPhoto(form({})));
    expect(none).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { locationId: ['Expected a location id'] } });
    // A real item of the manager's location gets past the location check to the photo itself.
    const item = await tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', centrale).executeTakeFirstOrThrow();
    const photo = await refusal(as.menu.items.setPhoto(form({ itemId: item.id })));
    expect(photo.bistroCode).toBe('PHOTO_TYPE_NOT_ALLOWED');
  });

  it('an admin procedure does not exist for anyone but an admin', async () => {
    expect((await refusal(callerFor(tdb.db, { token: manager.token }).admin.users.list({})))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect((await refusal(callerFor(tdb.db).admin.users.list({})))).toMatchObject({ bistroCode: 'UNAUTHORIZED' });
    expect((await outcome(callerFor(tdb.db, { token: admin.token }).admin.users.list({}))).ok).toBe(true);
  });
});

describe('the origin check on changes made with the session cookie (CSRF)', () => {
  const services = testServices();
  /** A caller as the HTTP layer builds it, with the request's origin headers. */
  function caller(request: Partial<RequestInfo>, token: string | null) {
    return createCaller(() => createContext({ db: tdb.db, log: silent, requestId: 'test', services, token, request }));
  }
  const change = (c: ReturnType<typeof caller>) => c.auth.signOut();
  const read = (c: ReturnType<typeof caller>) => c.auth.me();

  it('a cookie-authenticated change from a foreign origin is FORBIDDEN_ORIGIN and changes nothing', async () => {
    const user = await createUser(tdb.db);
    const data = await refusal(change(caller({ credential: 'cookie', origin: 'http://evil.test' }, user.token)));
    expect(data).toMatchObject({ bistroCode: 'FORBIDDEN_ORIGIN', httpStatus: 403 });
    const error = await change(caller({ credential: 'cookie', origin: 'http://evil.test' }, user.token)).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toBe('This origin may not change anything with this session');
    // Still signed in: the sign-out never ran.
    expect((await read(caller({ credential: 'bearer' }, user.token)))?.email).toBe(user.email);
  });

  it('without an Origin header, a browser’s Sec-Fetch-Site: cross-site is refused; same-site or no header passes', async () => {
    const user = await createUser(tdb.db);
    expect((await refusal(change(caller({ credential: 'cookie', fetchSite: 'cross-site' }, user.token)))).bistroCode).toBe('FORBIDDEN_ORIGIN');
    const sameSite = await createUser(tdb.db);
    expect((await outcome(change(caller({ credential: 'cookie', fetchSite: 'same-origin' }, sameSite.token)))).ok).toBe(true);
    const noHeader = await createUser(tdb.db);
    expect((await outcome(change(caller({ credential: 'cookie' }, noHeader.token)))).ok).toBe(true);
  });

  it('the allowed origin may change things with the cookie', async () => {
    const user = await createUser(tdb.db);
    expect((await outcome(change(caller({ credential: 'cookie', origin: 'http://bistro.test' }, user.token)))).ok).toBe(true);
    expect(await read(caller({ credential: 'bearer' }, user.token))).toBeNull();
  });

  it('a bearer token is not checked (browsers never send one on their own)', async () => {
    const user = await createUser(tdb.db);
    expect((await outcome(change(caller({ credential: 'bearer', origin: 'http://evil.test', fetchSite: 'cross-site' }, user.token)))).ok).toBe(true);
  });

  it('a query with the cookie from a foreign origin is answered (reads change nothing)', async () => {
    const user = await createUser(tdb.db);
    expect((await read(caller({ credential: 'cookie', origin: 'http://evil.test', fetchSite: 'cross-site' }, user.token)))?.email).toBe(user.email);
  });

  it('a change with no session at all is not the origin check’s business', async () => {
    expect(await caller({ origin: 'http://evil.test', fetchSite: 'cross-site' }, null).auth.signOut()).toEqual({ ok: true });
  });
});

describe('what a client reads of a refusal (the error formatter)', () => {
  /** The whole formatted error, message included, as the router's formatter shapes it. */
  function shape(error: unknown, path?: string) {
    return getTRPCErrorShape({ config: appRouter._def._config, error: getTRPCErrorFromUnknown(error), type: 'mutation', path, input: undefined, ctx: undefined }) as {
      code: number;
      message: string;
      data: BistroErrorData;
    };
  }

  it('input that fails validation is INVALID_INPUT with messages by dotted field path, unknown keys named', async () => {
    const as = callerFor(tdb.db, { token: manager.token });
    const item = await tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', centrale).executeTakeFirstOrThrow();
    const refused = await refusal(callPath(as, 'inventory.recipes.set', { itemId: item.id, lines: [{ ingredientId: 'x', quantity: 0, grams: 5 }], colour: 'red' }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, bistroCode: 'INVALID_INPUT' });
    expect(refused.fieldErrors).toEqual({
      colour: ['Unknown field'],
      'lines.0.grams': ['Unknown field'],
      'lines.0.ingredientId': [expect.any(String)],
      'lines.0.quantity': ['A recipe line uses at least 1'],
    });
  });

  it('two messages on one field are both kept, under one key', () => {
    const error = new TRPCError({ code: 'BAD_REQUEST', cause: Object.assign(new Error('x'), { issues: [{ path: ['a', 0], message: 'one' }, { path: [{ key: 'a' }, { key: 0 }], message: 'two' }, { message: 'whole' }] }) });
    const formatted = shape(error);
    expect(formatted.message).toBe('Invalid input');
    expect(formatted.data.fieldErrors).toEqual({ 'a.0': ['one', 'two'], '': ['whole'] });
  });

  it('a refusal of Bistro’s own keeps its message, code and field errors, and says when to retry', () => {
    const formatted = shape(new BistroError('TOO_MANY_REQUESTS', 'Too many attempts; try again in 30 s', { retryAfterSeconds: 30 }), 'auth.signIn');
    expect(formatted).toEqual({
      code: -32029,
      message: 'Too many attempts; try again in 30 s',
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path: 'auth.signIn', bistroCode: 'TOO_MANY_REQUESTS', fieldErrors: null, retryAfterSeconds: 30 },
    });
    const taken = shape(new BistroError('ALREADY_EXISTS', 'That slug is taken', { fieldErrors: { slug: ['Already taken'] } }));
    expect(taken.message).toBe('That slug is taken');
    expect(taken.data).toEqual({ code: 'CONFLICT', httpStatus: 409, bistroCode: 'ALREADY_EXISTS', fieldErrors: { slug: ['Already taken'] } });
  });

  it('an unexpected error tells the caller nothing of what went wrong', () => {
    const formatted = shape(new Error('relation "secret_table" does not exist'));
    expect(formatted.message).toBe('Internal server error');
    expect(formatted.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, bistroCode: 'INTERNAL', fieldErrors: null });
    expect(JSON.stringify(formatted)).not.toContain('secret_table');
    const notFound = shape(new TRPCError({ code: 'NOT_FOUND', message: 'No procedure found on path "x"' }));
    expect(notFound.data).toMatchObject({ bistroCode: 'NOT_FOUND', fieldErrors: null });
    expect(notFound.data).not.toHaveProperty('retryAfterSeconds');
  });
});

describe('each way of naming a location’s thing leads to that location', () => {
  it('its own manager gets past the location check by every key; a manager of another location gets NOT_FOUND', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const own = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
    // A manager elsewhere (with a role at the seeded location only) must not reach this one.
    const elsewhere = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
    const order = await callerFor(tdb.db, { ip: '2001:db8:9::1' }).orders.place(pickupOrder(fixture));
    const ids: Record<keyof typeof byKey, string> = {
      locationId: fixture.locationId,
      itemId: fixture.items.soup,
      categoryId: (await tdb.db.selectFrom('menu_categories').select('id').where('location_id', '=', fixture.locationId).executeTakeFirstOrThrow()).id,
      optionGroupId: (await tdb.db.selectFrom('option_groups').select('id').where('location_id', '=', fixture.locationId).executeTakeFirstOrThrow()).id,
      optionId: fixture.options.cheese,
      ingredientId: fixture.ingredients.soup,
      orderId: order.id,
    };
    for (const [key, { path, input }] of Object.entries(byKey) as [keyof typeof byKey, (typeof byKey)[keyof typeof byKey]][]) {
      const mine = await outcome(callPath(callerFor(tdb.db, { token: own.token }), path, input(ids[key])));
      // Past the check, the procedure itself answers: done, or a refusal of its own (a stale version …), never NOT_FOUND.
      expect(mine.ok ? 'ok' : mine.data.bistroCode, key).not.toBe('NOT_FOUND');
      const theirs = await refusal(callPath(callerFor(tdb.db, { token: elsewhere.token }), path, input(ids[key])));
      expect(theirs.bistroCode, key).toBe('NOT_FOUND');
    }
  });

  it('the kitchen queue shows the tickets of the location named, to its cook', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const order = await callerFor(tdb.db, { ip: '2001:db8:9::2' }).orders.place(pickupOrder(fixture));
    const queue = await callerFor(tdb.db, { token: staff.token }).kitchen.queue({ locationId: fixture.locationId });
    expect(queue.tickets.map((t) => t.orderId)).toEqual([order.id]);
  });

  it('refusals say what to do', async () => {
    const anon = await callerFor(tdb.db).kitchen.queue({ locationId: centrale }).then(() => null, (e: unknown) => e as Error);
    expect(anon?.message).toBe('Sign in first');
    const notAdmin = await callerFor(tdb.db, { token: manager.token }).admin.users.list({}).then(() => null, (e: unknown) => e as Error);
    expect(notAdmin?.message).toBe('Not found');
    const noId = await callPath(callerFor(tdb.db, { token: cook.token }), 'kitchen.queue', {}).then(() => null, (e: unknown) => e as Error);
    expect(noId?.message).toBe('Invalid input');
    const badId = await callerFor(tdb.db, { token: cook.token }).kitchen.bump({ orderId: 'x', from: 'placed' }).then(() => null, (e: unknown) => e as Error);
    expect(badId?.message).toBe('Invalid input');
  });
});
