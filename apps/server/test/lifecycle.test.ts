import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs the built server as `npm start` does, collecting its output. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** Waits for the "listening" log line; a busy CI machine can take many seconds just to load the server. */
async function listeningUrl(p: ReturnType<typeof run>): Promise<string> {
  for (let i = 0; i < 900; i++) {
    const match = /"url":"(http:\/\/[^"]+)"/.exec(p.out());
    if (match) return match[1]!;
    if (p.child.exitCode !== null) throw new Error(`server exited: ${p.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start: ${p.out()} ${p.err()}`);
}

let tdb: TestDatabase;
const children: ChildProcess[] = [];
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await tdb?.drop();
});

describe('graceful shutdown', () => {
  it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
    const p = run({ DATABASE_URL: tdb.url, PORT: '0', HOST: '127.0.0.1' });
    children.push(p.child);
    const url = await listeningUrl(p);

    // Hold the menu's table so menu.get is genuinely in flight (waiting on the database).
    const blocker = new pg.Client({ connectionString: tdb.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('lock table menu_items in access exclusive mode');
    const inFlight = fetch(`${url}/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'harbor-bistro' } }))}`);
    // Wait until the server's query is waiting on the lock.
    for (let i = 0; i < 100; i++) {
      const { rows } = await blocker.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      );
      if (rows[0]?.n) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    p.child.kill('SIGTERM');
    // New connections are refused while the old request is still running.
    await expect.poll(() => fetch(`${url}/healthz`).then(() => 'accepted', () => 'refused'), { timeout: 5_000 }).toBe('refused');
    expect(p.child.exitCode).toBeNull();

    await blocker.query('commit');
    await blocker.end();
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { json: { location: { slug: string } } } } };
    expect(body.result.data.json.location.slug).toBe('harbor-bistro');

    const [code] = await p.exited;
    expect(code).toBe(0);
    expect(p.out()).not.toMatch(/after the shutdown timeout/);
    expect(p.out()).toMatch(/"msg":"stopped"/);
  });
});

describe('configuration', () => {
  it('stops with a message naming the bad variable, without echoing a secret', async () => {
    const p = run({ PORT: 'eighty', DATABASE_URL: 'mysql://admin:hunter2@db/bistro', LOG_LEVEL: 'loud' });
    children.push(p.child);
    const [code] = await p.exited;
    expect(code).toBe(1);
    expect(p.err()).toMatch(/PORT: expected a port number/);
    expect(p.err()).toMatch(/DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ connection string/);
    expect(p.err()).toMatch(/LOG_LEVEL/);
    expect(p.err()).not.toContain('hunter2');
    expect(p.err()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('waits for a database that cannot be reached, then stops with a clear message', async () => {
    const p = run({ DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:1/nope', PORT: '0', HOST: '127.0.0.1', DB_STARTUP_TIMEOUT_MS: '1000' });
    children.push(p.child);
    const [code] = await p.exited;
    expect(code).toBe(1);
    expect(p.out()).toMatch(/waiting for the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nope \(ECONNREFUSED\); trying again for up to 1 s/);
    expect(p.err()).toMatch(/Bistro could not start: the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nope did not accept connections within 1 s \(ECONNREFUSED\)/);
    expect(p.err() + p.out()).not.toContain('s3cret');
  });
});

describe('the Node.js version check', () => {
  it('stops an old Node at once with a message saying what to install', async () => {
    const child = spawn(
      process.execPath,
      ['-e', "Object.defineProperty(process.versions, 'node', { value: '20.11.1' }); require('./scripts/check-node.cjs')"],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr).toMatch(/Bistro needs Node\.js >= 22\.12/);
    expect(stderr).toMatch(/nvm install/);
  });
});
