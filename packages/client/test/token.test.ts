import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '../src/index.js';

// A real HTTP server that records what arrives and answers `auth.me` with null, tRPC's way.
let server: Server;
let url = '';
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify([{ result: { data: { json: null } } }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function headersOfOneCall(bistro: ReturnType<typeof createBistroClient>): Promise<IncomingHttpHeaders> {
  received.length = 0;
  await bistro.auth.me.query();
  expect(received).toHaveLength(1);
  return received[0]!;
}

describe('createBistroClient({ token })', () => {
  it('sends the token as Authorization: Bearer on every request', async () => {
    const bistro = createBistroClient({ url, token: 'tok_abc-123' });
    expect((await headersOfOneCall(bistro)).authorization).toBe('Bearer tok_abc-123');
    expect((await headersOfOneCall(bistro)).authorization).toBe('Bearer tok_abc-123');
  });

  it('asks a token function before each request and sends nothing while it has none', async () => {
    let current: string | null = null;
    const bistro = createBistroClient({ url, token: () => current });
    expect((await headersOfOneCall(bistro)).authorization).toBeUndefined();
    current = 'first-token';
    expect((await headersOfOneCall(bistro)).authorization).toBe('Bearer first-token');
    current = 'second-token';
    expect((await headersOfOneCall(bistro)).authorization).toBe('Bearer second-token');
  });

  it('keeps the other headers and lets the token win over an Authorization among them', async () => {
    const bistro = createBistroClient({ url, token: 'the-token', headers: () => ({ 'x-request-id': 'req-1', Authorization: 'Basic xyz' }) });
    const headers = await headersOfOneCall(bistro);
    expect(headers['x-request-id']).toBe('req-1');
    expect(headers.authorization).toBe('Bearer the-token');
  });
});
