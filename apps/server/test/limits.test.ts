import { connect } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bistroErrorCode, createBistroClient, isBistroClientError } from '@bistro/client';
import { MAX_BATCH_SIZE } from '@bistro/domain';
import { createUser } from '../../../packages/api/test/helpers.js';
import { kitchenLocation, pickupOrder } from '../../../packages/api/test/kitchen-fixtures.js';
import { startSecondInstance, startTestServer, type TestServer } from './helpers.js';

// Short client timeouts, so a slow client is cut within the test; live feeds must outlast them.
const REQUEST_TIMEOUT_MS = 1_000;
const HEADERS_TIMEOUT_MS = 500;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) });
});
afterAll(() => t?.close());

interface Envelope {
  error: { json: { message: string; code: number; data: { code: string; httpStatus: number; bistroCode: string; fieldErrors: unknown } } };
}

/** The response's status and its tRPC error envelope (throws if the body is not one). */
async function refusal(response: Response) {
  const text = await response.text();
  const body = JSON.parse(text) as Envelope;
  expect(body.error.json.data.httpStatus).toBe(response.status);
  expect(body.error.json.data.fieldErrors).toBeNull();
  return { status: response.status, text, ...body.error.json };
}

const usersCount = async () => Number((await t.tdb.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('batches', () => {
  it(`refuses a batch of more than ${MAX_BATCH_SIZE} calls whole with BATCH_TOO_LARGE, running none of them`, async () => {
    const before = await usersCount();
    const calls = MAX_BATCH_SIZE + 1;
    const path = Array.from({ length: calls }, () => 'auth.signUp').join(',');
    const input = Object.fromEntries(
      Array.from({ length: calls }, (_, i) => [i, { json: { email: `batch${i}@bistro.test`, name: 'Batch', password: 'plate-of-oysters-42' } }]),
    );
    const response = await fetch(`${t.url}/trpc/${path}?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const answer = await refusal(response);
    expect(answer.status).toBe(400);
    expect(answer.data.bistroCode).toBe('BATCH_TOO_LARGE');
    expect(answer.message).toContain(`at most ${MAX_BATCH_SIZE} calls`);
    expect(await usersCount()).toBe(before);
  });

  it(`runs a batch of exactly ${MAX_BATCH_SIZE}, and the SDK splits more calls made together into several`, async () => {
    const path = Array.from({ length: MAX_BATCH_SIZE }, () => 'locations.list').join(',');
    const response = await fetch(`${t.url}/trpc/${path}?batch=1`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(MAX_BATCH_SIZE);

    const requests: string[] = [];
    const bistro = createBistroClient({ url: t.url, fetch: (input, init) => (requests.push(String(input)), fetch(input, init)) });
    const lists = await Promise.all(Array.from({ length: MAX_BATCH_SIZE + 10 }, () => bistro.locations.list.query()));
    expect(lists.every((l) => l.length === 2)).toBe(true);
    expect(requests.length).toBeGreaterThan(1);
  });
});

describe("the server's own refusals, in Bistro's shape", () => {
  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE, readable by bistroErrorCode()', async () => {
    const bistro = createBistroClient({ url: t.url });
    const error = await bistro.auth.signIn.mutate({ email: 'a@bistro.test', password: 'x'.repeat(1_200_000) }).catch((e: unknown) => e);
    expect(isBistroClientError(error)).toBe(true);
    expect(bistroErrorCode(error)).toBe('PAYLOAD_TOO_LARGE');
    const response = await fetch(`${t.url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'a@bistro.test', password: 'x'.repeat(1_200_000) } }),
    });
    const answer = await refusal(response);
    expect(answer.status).toBe(413);
    expect(answer.data.bistroCode).toBe('PAYLOAD_TOO_LARGE');
    expect(answer.text).not.toContain('FST_');
  });

  it('answers PUT, DELETE and PATCH on /trpc with 405 METHOD_NOT_SUPPORTED and the allowed methods', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      for (const headers of [{}, { 'content-type': 'application/json' }]) {
        const response = await fetch(`${t.url}/trpc/locations.list`, { method, headers, ...(method === 'DELETE' ? {} : { body: '{}' }) });
        const answer = await refusal(response);
        expect(answer.status, method).toBe(405);
        expect(answer.data.bistroCode, method).toBe('METHOD_NOT_SUPPORTED');
        expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
      }
    }
    // A query sent as a mutation is tRPC's own 405, with the same code.
    const post = await refusal(await fetch(`${t.url}/trpc/locations.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect([post.status, post.data.bistroCode]).toEqual([405, 'METHOD_NOT_SUPPORTED']);
  });

  it('answers a content type Bistro does not read with 415 UNSUPPORTED_MEDIA_TYPE, without quoting it', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', undefined]) {
      const response = await fetch(`${t.url}/trpc/auth.signIn`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: type ? '<signIn>hunter2-in-body</signIn>' : new Blob(['{"json":{}}']),
      });
      const answer = await refusal(response);
      expect(answer.status, type).toBe(415);
      expect(answer.data.bistroCode, type).toBe('UNSUPPORTED_MEDIA_TYPE');
      if (type) expect(answer.text).not.toContain(type);
      expect(answer.text).not.toContain('hunter2');
    }
  });

  it('answers unknown routes with NOT_FOUND and never echoes the path', async () => {
    // Longer than a route parameter may be (10,000 characters), within Node's header size.
    const long = `${'menu.get,'.repeat(1_200)}menu.get`;
    for (const path of ['/trpc/menu/get/extra-secret-path', `/trpc/${long}`]) {
      const answer = await refusal(await fetch(`${t.url}${path}`));
      expect(answer.status).toBe(404);
      expect(answer.data.bistroCode).toBe('NOT_FOUND');
      expect(answer.text).not.toContain('extra-secret-path');
      expect(answer.text).not.toContain('menu.get,menu.get');
    }
    // The same path as a batch is one over the limit.
    const batch = await refusal(await fetch(`${t.url}/trpc/${long}?batch=1`));
    expect([batch.status, batch.data.bistroCode]).toEqual([400, 'BATCH_TOO_LARGE']);
    expect(batch.text).not.toContain('menu.get,menu.get');
    // Past Node's limit on a request's headers: refused before routing, still in Bistro's shape.
    const huge = await fetch(`${t.url}/trpc/${'menu.get,'.repeat(3_000)}menu.get?batch=1`);
    expect(huge.status).toBe(431);
    expect(await huge.json()).toEqual({ error: { bistroCode: 'PAYLOAD_TOO_LARGE', message: "The request's URL or headers are larger than the server accepts" } });
    const elsewhere = await fetch(`${t.url}/admin/extra-secret-path`);
    expect(elsewhere.status).toBe(404);
    const text = await elsewhere.text();
    expect(JSON.parse(text)).toEqual({ error: { bistroCode: 'NOT_FOUND', message: 'Not found' } });
    expect(text).not.toContain('extra-secret-path');
  });
});

/** Opens a raw connection, writes `data`, and resolves with everything the server sent once it closes the connection. */
async function slowClient(data: string): Promise<string> {
  const { port } = new URL(t.url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(data);
  // Nothing more is sent: the server must be the one to close.
  await once(socket, 'close');
  return received;
}

describe('timeouts', () => {
  it('closes a connection whose body never finishes arriving, with 408', async () => {
    const head = 'POST /trpc/auth.signIn HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n';
    const received = await slowClient(`${head}{"json":{"email":"a`);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toContain('{"error":{"bistroCode":"REQUEST_TIMEOUT"');
  });

  it('closes a connection whose headers never finish arriving, with 408', async () => {
    const received = await slowClient('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('keeps a live feed open past the request timeout, on the same connection, and delivers on it', async () => {
    const fixture = await kitchenLocation(t.tdb.db);
    const staff = await createUser(t.tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const input = encodeURIComponent(JSON.stringify({ json: { locationId: fixture.locationId } }));
    const controller = new AbortController();
    const response = await fetch(`${t.url}/trpc/kitchen.onTickets?input=${input}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${staff.token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let stream = '';
    let ended = false;
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return void (ended = true);
        stream += new TextDecoder().decode(value);
      }
    })();
    try {
      // Three request timeouts, and the checks that enforce them, go by.
      await new Promise((resolve) => setTimeout(resolve, 3 * REQUEST_TIMEOUT_MS));
      expect(ended).toBe(false);
      const customer = createBistroClient({ url: t.url, token: (await createUser(t.tdb.db)).token });
      const order = await customer.orders.place.mutate(pickupOrder(fixture));
      await expect.poll(() => stream.includes(order.id), { timeout: 10_000 }).toBe(true);
      expect(ended).toBe(false);
    } finally {
      controller.abort();
      await reading;
    }
  });
});

/** A raw connection that sends `GET /healthz` and resolves with the status line, or with 'closed' if the server closed it first. */
async function healthOver(port: number): Promise<{ status: string; socket: ReturnType<typeof connect> }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes('\r\n')) resolve({ status: received.split('\r\n', 1)[0]!, socket });
    });
    socket.on('close', () => resolve({ status: 'closed', socket }));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  });
}

describe('connections per address', () => {
  it('closes a connection beyond MAX_CONNECTIONS_PER_IP at once, and accepts again when one of them closes', async () => {
    const second = await startSecondInstance(t, { MAX_CONNECTIONS_PER_IP: '3' });
    const port = Number(new URL(second.url).port);
    const held: ReturnType<typeof connect>[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const { status, socket } = await healthOver(port);
        expect(status).toBe('HTTP/1.1 200 OK');
        held.push(socket);
      }
      expect((await healthOver(port)).status).toBe('closed');
      held.shift()!.destroy();
      const again = async () => {
        const { status, socket } = await healthOver(port);
        socket.destroy();
        return status;
      };
      await expect.poll(again, { timeout: 5_000 }).toBe('HTTP/1.1 200 OK');
    } finally {
      for (const socket of held) socket.destroy();
      await second.server.stop();
    }
  });
});
