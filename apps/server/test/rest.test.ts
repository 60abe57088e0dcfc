/**
 * REST at /api/v1 through the wire: a client generated from the served OpenAPI document
 * (openapi-typescript + openapi-fetch) drives a real order from menu to bump, every answer is
 * validated against the document's schemas (Ajv, JSON Schema 2020-12), and refusals carry the
 * same stable codes as over tRPC.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { openApiTypes, TYPES_FILE } from './openapi/generate.js';
import type { paths } from './openapi/paths.js';
import { openKitchen, startTestServer, type TestServer } from './helpers.js';

const PASSWORD = 'grilled-halibut-at-nine';

let t: TestServer;
let document: OpenApiDocument;
let validate: (method: string, path: string, status: number, body: unknown) => void;

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json'?: { schema: unknown } } }> }>>;
  components: { schemas: Record<string, unknown> };
}

beforeAll(async () => {
  t = await startTestServer({ BISTRO_DATA_KEYS: `rest:${randomBytes(32).toString('base64')}` });
  document = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'bistro', components: document.components }, 'bistro');
  validate = (method, path, status, body) => {
    const response = document.paths[path]?.[method]?.responses[String(status)];
    expect(response, `${method} ${path} documents ${status}`).toBeDefined();
    const schema = response?.content?.['application/json']?.schema;
    expect(schema, `${method} ${path} ${status} has a JSON schema`).toBeDefined();
    // Refs point into this document's components, registered above as 'bistro'.
    const check = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"bistro#/components/')) as object);
    if (!check(body)) throw new Error(`${method} ${path} ${status} does not match the document: ${ajv.errorsText(check.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  };
});
afterAll(() => t?.close());

/** Every answer of the generated client is checked against the document before a test reads it. */
function restClient(token?: string) {
  return createClient<paths>({
    baseUrl: `${t.url}/api/v1`,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    fetch: async (request: Request) => {
      const response = await fetch(request);
      const url = new URL(request.url);
      const route = routeOf(url.pathname.slice('/api/v1'.length));
      const body: unknown = await response.clone().json();
      if (route) validate(request.method.toLowerCase(), route, response.status, body);
      return response;
    },
  });
}

/** The document's path template a concrete path matches (`/locations/{locationSlug}/menu`). */
function routeOf(path: string): string | undefined {
  return Object.keys(document.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

/** A signed-in member of staff of `locationId`, as a bearer token (signed in over tRPC). */
async function staffToken(locationId: string, role: 'staff' | 'manager' = 'staff'): Promise<string> {
  const email = `rest.${role}.${randomUUID().slice(0, 8)}@bistro.test`;
  const { id } = await t.server.database.db
    .insertInto('users')
    .values({ email, name: 'Rest Cook', password_hash: await t.server.services.passwords.hash(PASSWORD), created_at: new Date(), updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.server.database.db.insertInto('location_roles').values({ user_id: id, location_id: locationId, role }).execute();
  const signedIn = await createBistroClient({ url: t.url }).auth.signIn.mutate({ email, password: PASSWORD, mode: 'token' });
  if (!('token' in signedIn) || typeof signedIn.token !== 'string') throw new Error('no token');
  return signedIn.token;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every REST route and the error codes', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/locations',
        '/locations/{locationSlug}/menu',
        '/locations/{locationSlug}/quote',
        '/locations/{locationSlug}/slots',
        '/locations/{locationSlug}/orders',
        '/orders/track',
        '/orders',
        '/locations/{locationId}/kitchen/queue',
        '/orders/{orderId}/bump',
        '/locations/{locationId}/ingredients',
        '/locations/{locationId}/ingredients/low',
      ].sort(),
    );
    const error = document.components.schemas['Error'] as { properties: { error: { properties: { bistroCode: { enum: string[] } } } } };
    expect(error.properties.error.properties.bistroCode.enum).toEqual(expect.arrayContaining(['SOLD_OUT', 'NOT_FOUND', 'INVALID_INPUT', 'IDEMPOTENCY_KEY_REUSED']));
    const place = document.paths['/locations/{locationSlug}/orders']?.['post'];
    expect(Object.keys(place?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422', '429', '500', '503']));
  });

  it('generates exactly the committed client types (npm run openapi:types -w @bistro/server after a change)', async () => {
    const served = await (await fetch(`${t.url}/api/v1/openapi.json`)).text();
    expect(await openApiTypes(served)).toBe(readFileSync(TYPES_FILE, 'utf8'));
  });

  it('serves a reference UI at /docs that loads the document', async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/v1/openapi.json');
    const script = /src="([^"]*scalar[^"]*\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(new URL(script!, `${t.url}/docs/`));
    expect(js.status).toBe(200);
  });
});

describe('a real order through the generated client', () => {
  it('lists, reads the menu, quotes, finds a slot, places, tracks, and the kitchen bumps it', async () => {
    const kitchen = await openKitchen(t.server.database.db);
    const guest = restClient();

    const locations = await guest.GET('/locations');
    expect(locations.response.status).toBe(200);
    expect(locations.data?.find((l) => l.slug === kitchen.slug)?.isOpenNow).toBe(true);

    const menu = await guest.GET('/locations/{locationSlug}/menu', { params: { path: { locationSlug: kitchen.slug } } });
    const items = menu.data?.categories.flatMap((c) => c.items) ?? [];
    expect(items.map((i) => [i.name, i.priceMinor, i.available]).sort()).toEqual([
      ['Last pie', 650, true],
      ['Onion soup', 900, true],
    ]);

    const cart = { type: 'pickup' as const, lines: [{ itemId: kitchen.soup, quantity: 2 }], tip: { amountMinor: 100 } };
    const quote = await guest.POST('/locations/{locationSlug}/quote', { params: { path: { locationSlug: kitchen.slug } }, body: cart });
    expect(quote.data).toMatchObject({ currency: 'EUR', subtotalMinor: 1800, taxMinor: 180, tipMinor: 100, totalMinor: 2080, problems: [] });

    const today = new Date().toISOString().slice(0, 10);
    const slots = await guest.GET('/locations/{locationSlug}/slots', { params: { path: { locationSlug: kitchen.slug }, query: { date: today } } });
    expect(slots.response.status).toBe(200);
    expect(slots.data?.timeZone).toBe('UTC');

    const idempotencyKey = randomUUID();
    const order = { ...cart, contact: { name: 'Rest Guest', phone: '+33 1 23 45 67 89' }, idempotencyKey };
    const placed = await guest.POST('/locations/{locationSlug}/orders', { params: { path: { locationSlug: kitchen.slug } }, body: order });
    expect(placed.response.status).toBe(200);
    expect(placed.data).toMatchObject({ status: 'placed', totalMinor: 2080, currency: 'EUR' });
    const retried = await guest.POST('/locations/{locationSlug}/orders', { params: { path: { locationSlug: kitchen.slug } }, body: order });
    expect(retried.data?.id).toBe(placed.data?.id);

    const tracked = await guest.GET('/orders/track', { params: { query: { trackingToken: placed.data!.trackingToken } } });
    expect(tracked.data).toMatchObject({ id: placed.data!.id, status: 'placed', contact: null, guestFirstName: null });
    expect(typeof tracked.data?.placedAt).toBe('string');

    const cook = restClient(await staffToken(kitchen.locationId));
    const queue = await cook.GET('/locations/{locationId}/kitchen/queue', { params: { path: { locationId: kitchen.locationId } } });
    expect(queue.data?.tickets.map((ticket) => [ticket.orderId, ticket.status, ticket.guestFirstName])).toEqual([[placed.data!.id, 'placed', 'Rest']]);

    // The day's orders, as a till or a report tool reads them: by query string.
    const dayOrders = await cook.GET('/orders', { params: { query: { locationId: kitchen.locationId, status: 'placed' } } });
    expect(dayOrders.data?.orders.map((o) => [o.id, o.number, o.guestFirstName])).toEqual([[placed.data!.id, placed.data!.number, 'Rest']]);
    expect(typeof dayOrders.data?.orders[0]?.placedAt).toBe('string');

    const bumped = await cook.POST('/orders/{orderId}/bump', { params: { path: { orderId: placed.data!.id } }, body: { from: 'placed' } });
    expect(bumped.data).toEqual({ id: placed.data!.id, status: 'preparing' });
    const again = await cook.POST('/orders/{orderId}/bump', { params: { path: { orderId: placed.data!.id } }, body: { from: 'placed' } });
    expect(again.response.status).toBe(409);
    expect(again.error?.error.bistroCode).toBe('ORDER_TRANSITION_REFUSED');

    const tracedAgain = await guest.GET('/orders/track', { params: { query: { trackingToken: placed.data!.trackingToken } } });
    expect(tracedAgain.data?.status).toBe('preparing');

    const ingredients = await cook.GET('/locations/{locationId}/ingredients', { params: { path: { locationId: kitchen.locationId } } });
    expect(ingredients.data?.map((i) => [i.name, i.onHand, i.isLow])).toEqual([['Pie slice', 1, false]]);
    const low = await cook.GET('/locations/{locationId}/ingredients/low', { params: { path: { locationId: kitchen.locationId } } });
    expect(low.data).toEqual([]);
  });

  it('a guest racing for the last portion gets SOLD_OUT with the line at fault, as over tRPC', async () => {
    const kitchen = await openKitchen(t.server.database.db);
    const guest = restClient();
    const order = (key: string) => ({
      type: 'pickup' as const,
      lines: [{ itemId: kitchen.pie, quantity: 1 }],
      contact: { name: 'Pie Lover' },
      idempotencyKey: key,
    });
    const first = await guest.POST('/locations/{locationSlug}/orders', { params: { path: { locationSlug: kitchen.slug } }, body: order(randomUUID()) });
    expect(first.response.status).toBe(200);
    const second = await guest.POST('/locations/{locationSlug}/orders', { params: { path: { locationSlug: kitchen.slug } }, body: order(randomUUID()) });
    expect(second.response.status).toBe(409);
    expect(second.error?.error.bistroCode).toBe('SOLD_OUT');
    expect(second.error?.error.fieldErrors).toEqual({ 'lines.0': ['“Last pie” is sold out'] });
  });
});

describe('refusals carry the same stable codes as over tRPC', () => {
  it('a bad input is 400 INVALID_INPUT with the field, an unknown field named, nothing quoted back', async () => {
    const guest = restClient();
    const bad = await guest.GET('/locations/{locationSlug}/slots', { params: { path: { locationSlug: 'bistro-centrale' }, query: { date: '2026-13-45' } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.error.bistroCode).toBe('INVALID_INPUT');
    expect(Object.keys(bad.error?.error.fieldErrors ?? {})).toEqual(['date']);
    expect(JSON.stringify(bad.error)).not.toContain('2026-13-45');

    const kitchen = await openKitchen(t.server.database.db);
    const extra = await fetch(`${t.url}/api/v1/locations/${kitchen.slug}/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'pickup', lines: [{ itemId: kitchen.soup, quantity: 1, unitPriceMinor: 1 }] }),
    });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toEqual({ error: { bistroCode: 'INVALID_INPUT', message: 'Invalid input', fieldErrors: { 'lines.0.unitPriceMinor': ['Unknown field'] } } });
  });

  it('an unknown location is 404 NOT_FOUND; an unknown route too', async () => {
    const guest = restClient();
    const menu = await guest.GET('/locations/{locationSlug}/menu', { params: { path: { locationSlug: 'nowhere' } } });
    expect(menu.response.status).toBe(404);
    expect(menu.error?.error.bistroCode).toBe('NOT_FOUND');
    const route = await fetch(`${t.url}/api/v1/no/such/route`);
    expect(route.status).toBe(404);
    expect(((await route.json()) as { error: { bistroCode: string } }).error.bistroCode).toBe('NOT_FOUND');
  });

  it('the kitchen queue without credentials is 401 UNAUTHORIZED; with staff of another location, 404 NOT_FOUND', async () => {
    const a = await openKitchen(t.server.database.db);
    const b = await openKitchen(t.server.database.db);
    const anonymous = await restClient().GET('/locations/{locationId}/kitchen/queue', { params: { path: { locationId: a.locationId } } });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.error.bistroCode).toBe('UNAUTHORIZED');
    const otherCook = restClient(await staffToken(b.locationId));
    const other = await otherCook.GET('/locations/{locationId}/kitchen/queue', { params: { path: { locationId: a.locationId } } });
    expect(other.response.status).toBe(404);
    expect(other.error?.error.bistroCode).toBe('NOT_FOUND');
    const missing = await otherCook.GET('/locations/{locationId}/kitchen/queue', { params: { path: { locationId: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual(other.error);
  });

  it('REST ignores the session cookie: a browser session cannot be ridden cross-site (CSRF)', async () => {
    const kitchen = await openKitchen(t.server.database.db);
    const token = await staffToken(kitchen.locationId);
    const withCookie = await fetch(`${t.url}/api/v1/locations/${kitchen.locationId}/kitchen/queue`, { headers: { cookie: `bistro_session=${token}` } });
    expect(withCookie.status).toBe(401);
    const withBearer = await fetch(`${t.url}/api/v1/locations/${kitchen.locationId}/kitchen/queue`, { headers: { authorization: `Bearer ${token}` } });
    expect(withBearer.status).toBe(200);
  });
});
