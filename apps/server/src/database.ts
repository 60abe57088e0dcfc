import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { createDb, migrateToLatest, seedDemo, type Database } from '@bistro/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@bistro/db/embedded';
import type { Config } from './config.js';

export interface OpenDatabase extends Database {
  embedded: EmbeddedPostgres | undefined;
}

/**
 * Opens the configured PostgreSQL (or the embedded one when DATABASE_URL is unset), brings
 * it to the latest migration, and seeds the demo group where that is wanted.
 */
export async function openDatabase(config: Config, log: FastifyBaseLogger): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const database = createDb({ url: config.databaseUrl, maxConnections: config.dbPoolSize });
    try {
      const applied = await migrateToLatest(database.db);
      if (applied?.length) log.info({ migrations: applied.map((m) => m.migrationName) }, 'applied database migrations');
      if (config.seedDemo && (await seedDemo(database.db))) log.info('seeded the demo restaurant group');
    } catch (error) {
      await database.close();
      throw error;
    }
    log.info({ database: redact(config.databaseUrl) }, 'using PostgreSQL from DATABASE_URL');
    return { ...database, embedded: undefined };
  }

  const embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pg') });
  // PGlite runs one statement at a time: one connection keeps every transaction whole.
  const database = createDb({ url: embedded.url, maxConnections: 1 });
  try {
    await migrateToLatest(database.db);
    const seeded = await seedDemo(database.db);
    log.info(
      { dataDir: embedded.dataDir, created: embedded.created, seeded },
      embedded.created
        ? 'DATABASE_URL is not set: created an embedded PostgreSQL (PGlite), migrated it and seeded the demo data'
        : 'DATABASE_URL is not set: using the embedded PostgreSQL (PGlite)',
    );
  } catch (error) {
    await database.close();
    await embedded.stop();
    throw error;
  }
  return {
    ...database,
    embedded,
    async close() {
      await database.close();
      await embedded.stop();
    },
  };
}

/** The connection string without its password, for logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable)';
  }
}
