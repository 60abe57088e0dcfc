import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { createServer, loadConfig } from '../src/index.js';
import { logCollector } from './helpers.js';
import { TestSmtp } from '../../../packages/api/test/jobs-fixtures.js';

const dataDir = mkdtempSync(join(tmpdir(), 'bistro-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('with no DATABASE_URL', () => {
  it('runs on the embedded database in DATA_DIR, migrated and seeded, and serves menu.get to the client', async () => {
    const logs = logCollector();
    const server = await createServer(loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }), {
      logStream: logs.stream,
    });
    try {
      const bistro = createBistroClient({ url: await server.start() });
      const [first] = await bistro.locations.list.query();
      const menu = await bistro.menu.get.query({ locationSlug: first!.slug });
      expect(menu.categories.flatMap((c) => c.items).length).toBeGreaterThanOrEqual(15);
      expect(logs.lines.some((l) => /embedded PostgreSQL \(PGlite\), migrated it and seeded/.test(String(l.msg)))).toBe(true);
      expect(readdirSync(join(dataDir, 'pg'))).toContain('PG_VERSION');
    } finally {
      await server.stop();
    }

    // A second start reuses the stored database: nothing re-created, nothing seeded twice.
    const again = logCollector();
    const restarted = await createServer(loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }), {
      logStream: again.stream,
    });
    try {
      const bistro = createBistroClient({ url: await restarted.start() });
      expect(await bistro.locations.list.query()).toHaveLength(2);
      expect(again.lines.some((l) => l.msg === 'DATABASE_URL is not set: using the embedded PostgreSQL (PGlite)')).toBe(true);
    } finally {
      await restarted.stop();
    }
  });

  it('runs the job queue on the one embedded connection: an email enqueued with its change is sent by the worker in the server', async () => {
    const smtp = new TestSmtp();
    await smtp.start();
    const jobsDir = mkdtempSync(join(tmpdir(), 'bistro-jobs-'));
    const server = await createServer(
      loadConfig({ DATA_DIR: jobsDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SMTP_URL: smtp.url, PUBLIC_URL: 'http://bistro.test' }),
    );
    try {
      const bistro = createBistroClient({ url: await server.start() });
      // Sign-up's verification email is enqueued in the sign-up's transaction, on PGlite.
      await bistro.auth.signUp.mutate({ email: 'embedded.jobs@bistro.test', password: 'a-long-embedded-password-9', name: 'Embedded Guest' });
      await smtp.untilReceived(1);
      expect(smtp.received[0]!.to).toEqual(['embedded.jobs@bistro.test']);
      expect(smtp.received[0]!.text).toMatch(/http:\/\/bistro\.test\/verify-email\?token=/);
      // A menu read still answers while the worker polls on the same single connection.
      const [first] = await bistro.locations.list.query();
      expect(first?.slug).toBeTruthy();
    } finally {
      await server.stop();
      await smtp.close();
      rmSync(jobsDir, { recursive: true, force: true });
    }
  });
});
