import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, isMigrated, migrateToLatest, seedDemo, type Database } from '../src/index.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/embedded.js';

// The embedded database is the development default; it must run the very same migrations and
// queries through the same pg driver as a real server, and keep concurrent work whole.
let dir: string;
let embedded: EmbeddedPostgres;
let database: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bistro-embedded-'));
  embedded = await startEmbeddedPostgres({ dataDir: join(dir, 'pg') });
  database = createDb({ url: embedded.url, maxConnections: 1 });
});

afterAll(async () => {
  await database?.close();
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL (PGlite)', () => {
  it('takes the same migrations and seed as a real server', async () => {
    expect(embedded.created).toBe(true);
    await migrateToLatest(database.db);
    expect(await isMigrated(database.db)).toBe(true);
    expect(await seedDemo(database.db)).toBe(true);
    const { n } = await database.db.selectFrom('menu_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n).toBeGreaterThanOrEqual(30);
  });

  it('keeps concurrent transactions whole: none half-written, none interleaved', async () => {
    const location = await database.db.selectFrom('locations').select('id').executeTakeFirstOrThrow();
    // Twenty concurrent read-modify-write transactions on one row; with interleaving some
    // increments would be lost.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('locations').select('version').where('id', '=', location.id).executeTakeFirstOrThrow();
          await sql`select pg_sleep(0.001)`.execute(trx);
          await trx.updateTable('locations').set({ version: row.version + 1 }).where('id', '=', location.id).execute();
          if (i % 5 === 0) throw new Error('rolled back on purpose');
        }).catch((error: Error) => {
          if (error.message !== 'rolled back on purpose') throw error;
        }),
      ),
    );
    const after = await database.db.selectFrom('locations').select('version').where('id', '=', location.id).executeTakeFirstOrThrow();
    expect(after.version).toBe(1 + 16);
  });

  it('refuses a second process on the same data folder', async () => {
    // This process already holds it; a stale lock (dead pid) would be taken over instead.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${embedded.dataDir}.pid`, '1');
    await expect(startEmbeddedPostgres({ dataDir: embedded.dataDir })).rejects.toThrow(/in use by process 1/);
    writeFileSync(`${embedded.dataDir}.pid`, String(process.pid));
  });
});
