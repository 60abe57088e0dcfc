import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import type { DB } from '@bistro/db';
import { allDayLocation } from '@bistro/db/testing';
import type { JobQueue } from '@bistro/api';
import { settled, startWorker, storedJobs, TestSmtp } from '../../../packages/api/test/jobs-fixtures.js';
import { silent, testServices } from '../../../packages/api/test/helpers.js';
import { createMailer, DataKeys } from '@bistro/api';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * `npm run worker` as a process of its own (the built apps/server/dist/worker.js) beside a server
 * with WORKERS=false, against real PostgreSQL and a real SMTP server in this process.
 */

const workerJs = fileURLToPath(new URL('../dist/worker.js', import.meta.url));
const KEYS = `wk:${randomBytes(32).toString('base64')}`;
let s: TestServer;
let smtp: TestSmtp;
let slug: string;
let soup: string;

beforeAll(async () => {
  smtp = new TestSmtp();
  await smtp.start();
  s = await startTestServer({ WORKERS: 'false', SMTP_URL: smtp.url, BISTRO_DATA_KEYS: KEYS, PUBLIC_URL: 'http://bistro.test' });
  ({ slug, soup } = await allDayKitchen(s.tdb.db));
});
afterAll(async () => {
  await s?.close();
  await smtp?.close();
});

function runWorker() {
  const child = spawn(process.execPath, [workerJs], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: s.tdb.url, SMTP_URL: smtp.url, BISTRO_DATA_KEYS: KEYS, PUBLIC_URL: 'http://bistro.test', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, out: () => out };
}

async function allDayKitchen(db: Kysely<DB>) {
  const { slug, item } = await allDayLocation(db, { slug: `worker-${randomUUID().slice(0, 8)}`, name: 'Worker kitchen' });
  return { slug, soup: await item('Soup', 650) };
}

function placeFor(email: string) {
  return createBistroClient({ url: s.url }).orders.place.mutate({
    locationSlug: slug,
    type: 'pickup',
    lines: [{ itemId: soup, quantity: 1, options: [] }],
    contact: { name: 'Grace Hopper', email },
    idempotencyKey: randomUUID(),
  });
}

/** An in-process worker with a short expiry: the one that takes over a dead worker's job. */
function rescuer(): Promise<JobQueue> {
  const services = { ...testServices(), dataKeys: DataKeys.parse(KEYS), mailer: createMailer({ smtpUrl: smtp.url, from: 'Bistro <no-reply@bistro.test>', log: silent }), settings: { publicUrl: 'http://bistro.test', allowedOrigins: [] } };
  return startWorker(s.tdb, services, () => new Date());
}

describe('npm run worker', () => {
  // Each spawned worker takes seconds to load on a busy machine: these two get two minutes.
  it('a worker killed mid-send leaves its job to another worker, and the guest gets exactly one email', async () => {
    // The queues' short expiry (FAST_QUEUES) is set by the rescuer's start, before the order.
    const second = await rescuer();
    await second.stop(1_000);
    const worker = runWorker();
    smtp.hold();
    const placed = await placeFor('killed.mid.send@example.com');
    // The whole message reached the SMTP server; before it answers, the worker dies.
    await smtp.whenHeld();
    worker.child.kill('SIGKILL');
    expect((await worker.exited)[1]).toBe('SIGKILL');
    smtp.release(false);
    expect(smtp.received.filter((m) => m.to.includes('killed.mid.send@example.com'))).toHaveLength(0);
    const [job] = (await storedJobs(s.tdb.db)).filter((j) => JSON.stringify(j.data).includes(placed.id));
    // Still active (or, past its short expiry, already waiting for a retry): not done.
    expect(['active', 'retry']).toContain(job?.state);

    const target = smtp.received.length + 1;
    const takeover = await rescuer();
    try {
      await smtp.untilReceived(target);
      const jobs = await settled(s.tdb.db);
      expect(jobs.find((j) => j.id === job?.id)?.state).toBe('completed');
      const mails = smtp.received.filter((m) => m.to.includes('killed.mid.send@example.com'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`Your order ${placed.number} at Worker kitchen`);
      const delivery = await s.tdb.db.selectFrom('email_deliveries').select(['attempts', 'sent_at']).where('key', '=', `order_confirmation:${placed.id}`).executeTakeFirstOrThrow();
      expect(delivery.attempts).toBe(2);
      expect(delivery.sent_at).not.toBeNull();
    } finally {
      await takeover.stop(2_000);
    }
  }, 120_000);

  it('on SIGTERM finishes the email it is sending, then exits 0', async () => {
    const worker = runWorker();
    smtp.hold();
    const placed = await placeFor('graceful@example.com');
    await smtp.whenHeld();
    worker.child.kill('SIGTERM');
    // The signal is taken while the email waits for its answer; only then does the answer come.
    while (!worker.out().includes('finishing running jobs')) await new Promise((r) => setTimeout(r, 50));
    expect(worker.child.exitCode).toBeNull();
    smtp.release(true);
    const [code] = await worker.exited;
    expect(code).toBe(0);
    const mails = smtp.received.filter((m) => m.to.includes('graceful@example.com'));
    expect(mails).toHaveLength(1);
    const [job] = (await storedJobs(s.tdb.db)).filter((j) => JSON.stringify(j.data).includes(placed.id));
    expect(job?.state).toBe('completed');
    expect(worker.out()).toContain('finishing running jobs');
  }, 120_000);

  it('refuses to start without DATABASE_URL, saying why', async () => {
    const child = spawn(process.execPath, [workerJs], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(err).toContain('DATABASE_URL: required by `npm run worker`');
  });
});
