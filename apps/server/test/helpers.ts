import { request as httpRequest } from 'node:http';
import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { allDayLocation, createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { createServer, loadConfig, type BistroServer, type ServerOptions } from '../src/index.js';

export interface TestServer {
  server: BistroServer;
  url: string;
  tdb: TestDatabase;
  close(): Promise<void>;
}

/** Bistro on port 0 against a fresh, seeded test database. */
export async function startTestServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<TestServer> {
  const tdb = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: tdb.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  const server = await createServer(config, options);
  const url = await server.start();
  return {
    server,
    url,
    tdb,
    async close() {
      await server.stop();
      await tdb.drop();
    },
  };
}

/** A second Bistro on port 0 against the database of `a` (with `env`, e.g. the same REDIS_URL), as another instance of one deployment. */
export async function startSecondInstance(a: TestServer, env: Record<string, string> = {}): Promise<{ server: BistroServer; url: string }> {
  const server = await createServer(loadConfig({ DATABASE_URL: a.tdb.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }));
  return { server, url: await server.start() };
}

/**
 * A fetch whose connections leave from `localAddress` (any 127.x.y.z on Linux), so the server
 * sees each caller as an IP of its own and per-IP counters in a shared Redis are the caller's alone.
 */
export function fetchFrom(localAddress: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const req = httpRequest(url, { method: init?.method ?? 'GET', headers, localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: responseHeaders }));
        });
      });
      req.on('error', reject);
      req.end(typeof init?.body === 'string' ? init.body : undefined);
    });
}

/** Collects JSON log lines written by the server. */
export function logCollector() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

/**
 * A TCP relay in front of the real PostgreSQL: cutting it makes the database unreachable for
 * the server, exactly as a network failure or a database restart would.
 */
export class Relay {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createTcpServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A location open around the clock with two items, one of them made from a single portion in stock. */
export async function openKitchen(db: Kysely<DB>) {
  const { locationId, slug, item } = await allDayLocation(db, { slug: `rest-${randomUUID().slice(0, 8)}`, name: 'REST kitchen' });
  const soup = await item('Onion soup', 900);
  const pie = await item('Last pie', 650);
  const { id: pieSlice } = await db.insertInto('ingredients').values({ location_id: locationId, name: 'Pie slice', unit: 'piece', on_hand: 1 }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('recipe_lines').values({ location_id: locationId, item_id: pie, ingredient_id: pieSlice, quantity: 1 }).execute();
  return { locationId, slug, soup, pie };
}

