import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { createServer, loadConfig } from '../src/index.js';
import { logCollector } from './helpers.js';

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
});
