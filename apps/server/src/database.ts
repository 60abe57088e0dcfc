import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Passwords } from '@bistro/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, DEMO_ACCOUNTS, isDatabaseUnavailable, migrateToLatest, seedDemo, seedDemoAccounts, type Database } from '@bistro/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@bistro/db/embedded';
import type { Config } from './config.js';

export interface OpenDatabase extends Database {
  embedded: EmbeddedPostgres | undefined;
}

/**
 * Opens the configured PostgreSQL (or the embedded one when DATABASE_URL is unset), brings
 * it to the latest migration, and seeds the demo group where that is wanted.
 */
export async function openDatabase(config: Config, log: FastifyBaseLogger, passwords: Passwords): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const database = createDb({ url: config.databaseUrl, maxConnections: config.dbPoolSize });
    try {
      const applied = await whenReachable(config, log, () => migrateToLatest(database.db));
      if (applied?.length) log.info({ migrations: applied.map((m) => m.migrationName) }, 'applied database migrations');
      if (config.seedDemo) {
        if (await seedDemo(database.db)) log.info('seeded the demo restaurant group');
        // The password is shown once, when the accounts are created; it is stored nowhere.
        const password = randomBytes(9).toString('base64url');
        if (await seedDemoAccounts(database.db, () => passwords.hash(password))) logDemoAccounts(log, password);
      }
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
    // A development-only password, random per data folder, kept beside it so every start can show it.
    const passwordFile = join(config.dataDir, 'demo-password');
    const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(9).toString('base64url');
    if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    await seedDemoAccounts(database.db, () => passwords.hash(password));
    logDemoAccounts(log, password);
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

/**
 * Runs `step` (the first use of the database), and while the database can't be reached (it is
 * starting beside Bistro, or restarting) tries again with a growing pause, for up to
 * DB_STARTUP_TIMEOUT_MS. Any other error (a wrong password, no such database) stops at once.
 */
async function whenReachable<T>(config: Config, log: FastifyBaseLogger, step: () => Promise<T>): Promise<T> {
  const database = redact(config.databaseUrl ?? '');
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await step();
      if (attempt > 0) log.info({ database, attempts: attempt + 1 }, 'the database is reachable');
      return result;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const reason = reasonOf(error);
      const left = config.dbStartupTimeoutMs - (performance.now() - started);
      if (left <= 0) {
        throw new Error(`the database at ${database} did not accept connections within ${config.dbStartupTimeoutMs / 1000} s (${reason})`, { cause: error });
      }
      if (attempt === 0) {
        log.warn(
          { database, reason, timeoutMs: config.dbStartupTimeoutMs },
          `waiting for the database at ${database} (${reason}); trying again for up to ${config.dbStartupTimeoutMs / 1000} s`,
        );
      }
      await sleep(Math.min(250 * 2 ** attempt, 5_000, left));
    }
  }
}

/** A short reason for a connection failure (its code, e.g. ECONNREFUSED or 57P03), without anything from the URL. */
function reasonOf(error: unknown): string {
  const codes: string[] = [];
  const look = (e: unknown, depth: number) => {
    if (typeof e !== 'object' || e === null || depth > 5) return;
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    look(cause, depth + 1);
    if (Array.isArray(errors)) for (const inner of errors) look(inner, depth + 1);
  };
  look(error, 0);
  return codes[0] ?? 'no connection';
}

function logDemoAccounts(log: FastifyBaseLogger, password: string): void {
  log.info(
    { accounts: DEMO_ACCOUNTS.map((a) => `${a.email} (${a.isAdmin ? 'admin' : a.role ? `${a.role.role} at ${a.role.locationSlug}` : 'customer'})`), password },
    `demo accounts (development only), all with the password ${password}`,
  );
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
