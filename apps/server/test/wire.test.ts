import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bistroErrorCode, createBistroClient, isBistroClientError } from '@bistro/client';
import { menuChanged, touchMenu } from '@bistro/api';
import { logCollector, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
const logs = logCollector();
let requests: string[] = [];

beforeAll(async () => {
  t = await startTestServer({ LOG_LEVEL: 'info' }, { logStream: logs.stream });
});
afterAll(() => t?.close());

function client() {
  return createBistroClient({
    url: t.url,
    fetch: (input, init) => {
      requests.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    },
  });
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  if (!isBistroClientError(error)) throw error;
  return error;
}

describe('through the wire with @bistro/client', () => {
  it('lists locations and reads a menu with integer prices', async () => {
    const bistro = client();
    const locations = await bistro.locations.list.query();
    expect(locations.map((l) => l.slug)).toEqual(['bistro-centrale', 'harbor-bistro']);
    const menu = await bistro.menu.get.query({ locationSlug: locations[1]!.slug });
    expect(menu.location.currency).toBe('USD');
    const prices = menu.categories.flatMap((c) => c.items.map((i) => i.priceMinor));
    expect(prices.length).toBeGreaterThanOrEqual(15);
    expect(prices.every(Number.isInteger)).toBe(true);
  });

  it('sends two calls made together in one HTTP request', async () => {
    const bistro = client();
    requests = [];
    const [locations, menu] = await Promise.all([
      bistro.locations.list.query(),
      bistro.menu.get.query({ locationSlug: 'bistro-centrale' }),
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain('locations.list,menu.get');
    expect(locations).toHaveLength(2);
    expect(menu.location.slug).toBe('bistro-centrale');
  });

  it('answers a wrong input type with BAD_REQUEST, a stable code and the field in error', async () => {
    const error = await failure(client().menu.get.query({ locationSlug: 42 } as never));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.httpStatus).toBe(400);
    expect(error.data?.bistroCode).toBe('INVALID_INPUT');
    expect(error.data?.fieldErrors?.locationSlug?.[0]).toMatch(/expected string/);
    expect(error.message).toBe('Invalid input');
  });

  it('refuses unknown keys, naming them', async () => {
    const error = await failure(client().menu.get.query({ locationSlug: 'bistro-centrale', priceMinor: 1 } as never));
    expect(bistroErrorCode(error)).toBe('INVALID_INPUT');
    expect(error.data?.fieldErrors).toEqual({ priceMinor: ['Unknown field'] });
  });

  it('refuses keys named like Object.prototype properties as unknown fields, alone and in a batch', async () => {
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
      const body = `{"json":{"email":"a@b.example","password":"x","${key}":1}}`;
      const response = await fetch(`${t.url}/trpc/auth.signIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status, key).toBe(400);
      const answer = (await response.json()) as { error: { json: { data: { bistroCode: string; fieldErrors: Record<string, string[]> } } } };
      expect(answer.error.json.data.bistroCode, key).toBe('INVALID_INPUT');
      const { fieldErrors } = answer.error.json.data;
      expect(Object.hasOwn(fieldErrors, key), key).toBe(true);
      expect(fieldErrors[key], key).toEqual(['Unknown field']);
    }
    // One hostile call in a batch spoils only its own answer.
    const batch = await fetch(`${t.url}/trpc/locations.list,menu.get?batch=1&input=${encodeURIComponent('{"1":{"json":{"locationSlug":"bistro-centrale","constructor":1}}}')}`);
    expect(batch.status).toBe(207);
    const answers = (await batch.json()) as [{ result?: unknown }, { error?: { json: { data: { bistroCode: string } } } }];
    expect(answers[0].result).toBeDefined();
    expect(answers[1].error?.json.data.bistroCode).toBe('INVALID_INPUT');
  });

  it('answers an unknown location with NOT_FOUND and its code', async () => {
    const error = await failure(client().menu.get.query({ locationSlug: 'nowhere' }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(error.data?.httpStatus).toBe(404);
    expect(bistroErrorCode(error)).toBe('NOT_FOUND');
    expect(error.message).toBe('Location not found');
  });

  it('answers a misspelled procedure with NOT_FOUND', async () => {
    const response = await fetch(`${t.url}/trpc/menu.gett`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { json: { data: { bistroCode: string } } } };
    expect(body.error.json.data.bistroCode).toBe('NOT_FOUND');
  });

  it('tags every request with an id, echoed in the response and on its log line', async () => {
    const response = await fetch(`${t.url}/trpc/locations.list`, { headers: { 'x-request-id': 'order-screen-7' } });
    expect(response.headers.get('x-request-id')).toBe('order-screen-7');
    const line = logs.lines.find((l) => l.requestId === 'order-screen-7');
    expect(line).toMatchObject({ msg: 'request completed', status: 200, url: '/trpc/locations.list' });
    // Inputs ride in the query string (a tracking token, an email): they never reach the log.
    await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'secret-slug-in-query' } }))}`);
    expect(JSON.stringify(logs.lines)).not.toContain('secret-slug-in-query');
    const random = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(random.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is usable from a plain Node ESM script in the workspace', async () => {
    const script = fileURLToPath(new URL('./fixtures/plain-client.mjs', import.meta.url));
    // Asynchronously: the server answering it runs in this process.
    const { stdout: out } = await promisify(execFile)(process.execPath, [script, t.url], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ locations: 2, firstCategory: 'Starters' });
  });

  it('lets a client revalidate menu.get with its ETag, and changes the ETag when the menu changes', async () => {
    const url = `${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'harbor-bistro' } }))}`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f-]{36}\.\d+\.(open|closed)"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const location = await t.tdb.db.selectFrom('locations').select('id').where('slug', '=', 'harbor-bistro').executeTakeFirstOrThrow();
    await t.tdb.db.updateTable('menu_items').set({ price_minor: 999 }).where('location_id', '=', location.id).where('name', '=', 'Espresso').execute();
    await touchMenu(t.tdb.db, location.id);
    menuChanged({ services: t.server.services }, location.id);
    const changed = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain('"priceMinor":999');
  });

  it('answers a cached menu with the very bytes and ETag tRPC sent when it filled the cache, and leaves bad inputs to tRPC', async () => {
    const url = `${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'bistro-centrale' } }))}`;
    const location = await t.tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bistro-centrale').executeTakeFirstOrThrow();
    menuChanged({ services: t.server.services }, location.id);
    const filling = await fetch(url);
    const fromCache = await fetch(url);
    expect(fromCache.status).toBe(200);
    expect(await fromCache.text()).toBe(await filling.text());
    expect(fromCache.headers.get('etag')).toBe(filling.headers.get('etag'));
    expect(fromCache.headers.get('content-type')).toMatch(/^application\/json/);
    expect(fromCache.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Answered before Fastify (the front door), it still carries the caller's request id and
    // logs its one line, by path only (the query string holds the input).
    const traced = await fetch(url, { headers: { 'x-request-id': 'menu-from-cache-1' } });
    expect(traced.headers.get('x-request-id')).toBe('menu-from-cache-1');
    expect(await traced.text()).toBe(await (await fetch(url)).text());
    expect(logs.lines.find((l) => l.requestId === 'menu-from-cache-1')).toMatchObject({ msg: 'request completed', method: 'GET', url: '/trpc/menu.get', status: 200 });
    expect(JSON.stringify(logs.lines.filter((l) => l.requestId === 'menu-from-cache-1'))).not.toContain('bistro-centrale');
    const bad = await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'bistro-centrale', extra: 1 } }))}`);
    expect(bad.status).toBe(400);
    // A batch of one (how the SDK asks) gets tRPC's batch answer, an array, from the cache too.
    const batchUrl = `${t.url}/trpc/menu.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: { locationSlug: 'bistro-centrale' } } }))}`;
    menuChanged({ services: t.server.services }, location.id);
    const batchFilling = await fetch(batchUrl);
    const batchFromCache = await fetch(batchUrl);
    const batchBody = await batchFromCache.text();
    expect(batchBody).toBe(await batchFilling.text());
    expect(batchFromCache.headers.get('etag')).toBe(filling.headers.get('etag'));
    expect(JSON.parse(batchBody)).toMatchObject([{ result: { data: { json: { location: { slug: 'bistro-centrale' } } } } }]);
    expect((await fetch(batchUrl, { headers: { 'if-none-match': filling.headers.get('etag')! } })).status).toBe(304);
  });

  it('sends plain-JSON answers without superjson metadata', async () => {
    // menu.get carries no Date (locations.list does: nextOpensAt), so superjson adds nothing to it.
    const response = await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'bistro-centrale' } }))}`);
    const body = (await response.json()) as { result: { data: Record<string, unknown> } };
    expect(Object.keys(body.result.data)).toEqual(['json']);
  });

  // Last: it breaks this file's database on purpose.
  it('answers an unexpected failure with INTERNAL_SERVER_ERROR, no SQL or stack, and logs it with the request id', async () => {
    await sql`drop table options cascade`.execute(t.tdb.db);
    const centrale = await t.tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bistro-centrale').executeTakeFirstOrThrow();
    menuChanged({ services: t.server.services }, centrale.id); // past the menu cache, to the broken database
    const response = await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'bistro-centrale' } }))}`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/options|relation|select|stack|\.ts:/i);
    const body = JSON.parse(text) as { error: { json: { message: string; data: { bistroCode: string } } } };
    expect(body.error.json.message).toBe('Internal server error');
    expect(body.error.json.data.bistroCode).toBe('INTERNAL');
    const requestId = response.headers.get('x-request-id');
    const logged = logs.lines.find((l) => l.requestId === requestId && l.msg === 'procedure failed');
    expect(JSON.stringify(logged)).toMatch(/relation .*options.* does not exist/);
  });
});
