import { createHash, randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createDb, type Database } from './create-db.js';
import { getConstructionPlans } from 'pg-boss';
import { JOB_SCHEMA, migrateToLatest } from './migrate.js';
import type { DB } from './schema.js';
import { migrations } from './migrations/index.js';
import { DEMO_LOCATIONS, DEMO_MENU, seedDemo } from './seed.js';

/**
 * Real PostgreSQL for tests: every test file gets its own database, copied from a migrated
 * (and optionally seeded) template, which takes milliseconds instead of re-running migrations.
 * Templates are named by a hash of the migrations and seed, so a changed migration builds a
 * new one. Never PGlite, never a mock. TEST_DATABASE_URL is set by the test set-up
 * (tooling/vitest/services.js): the default is only for code run outside it.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function fingerprint(seeded: boolean): string {
  const hash = createHash('sha256');
  for (const [name, migration] of Object.entries(migrations).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(name).update(migration.up.toString());
  }
  // The job queue's schema comes with the pg-boss version (installJobSchema).
  hash.update(getConstructionPlans(JOB_SCHEMA));
  if (seeded) hash.update(seedDemo.toString()).update(JSON.stringify([DEMO_LOCATIONS, DEMO_MENU]));
  return hash.digest('hex').slice(0, 16);
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    // Outside `npm test` / vitest (which find or start a PostgreSQL, tooling/vitest/services.js)
    // nothing may be listening on the default URL: say where to look.
    throw new Error(
      `Cannot connect to the tests' PostgreSQL at ${redacted(TEST_DATABASE_URL)}: ${(error as Error).message}. npm test and vitest find or start one; elsewhere set TEST_DATABASE_URL`,
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ensured = new Map<string, Promise<string>>();

/** Creates the template for this set of migrations once, safely across parallel test workers. */
function ensureTemplate(seeded: boolean): Promise<string> {
  const name = `bistro_tpl_${seeded ? 'seed_' : ''}${fingerprint(seeded)}`;
  let pending = ensured.get(name);
  if (!pending) {
    pending = withAdmin(async (admin) => {
      await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
      try {
        const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
        if (rowCount) return name;
        // Build under a temporary name and rename when complete, so a crash mid-way never
        // leaves a half-migrated template behind.
        const building = `${name}_build_${randomBytes(4).toString('hex')}`;
        await admin.query(`create database "${building}"`);
        const db = new Kysely<any>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withDatabase(TEST_DATABASE_URL, building), max: 1 }) }),
        });
        try {
          await migrateToLatest(db);
          if (seeded) await seedDemo(db);
        } finally {
          await db.destroy();
        }
        await admin.query(`alter database "${building}" rename to "${name}"`);
        return name;
      } finally {
        await admin.query('select pg_advisory_unlock(hashtext($1))', [name]);
      }
    });
    ensured.set(name, pending);
  }
  return pending;
}

export interface TestDatabaseOptions {
  /** Start with the demo restaurant group (default: true). */
  seed?: boolean;
  maxConnections?: number;
}

/** A fresh database for one test file: `const tdb = await createTestDatabase(); … await tdb.drop()`. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const template = await ensureTemplate(options.seed ?? true);
  const name = `bistro_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    // Copies from one template may not overlap; the lock queues them.
    await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
    try {
      await admin.query(`create database "${name}" template "${template}"`);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  const url = withDatabase(TEST_DATABASE_URL, name);
  const database = createDb({ url, maxConnections: options.maxConnections ?? 10 });
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      await withAdmin((admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export interface AllDayLocationOptions {
  slug: string;
  name: string;
  timeZone?: string;
  currency?: string;
  address?: string;
  orderPrefix?: string;
  /** The one menu category the items go in. */
  category?: string;
}

export interface AllDayLocation {
  locationId: string;
  slug: string;
  categoryId: string;
  /** Adds an item to the location's one category; returns its id. */
  item: (name: string, priceMinor: number) => Promise<string>;
}

/**
 * A location of its own for a test or a bench: open around the clock every day, taking orders at
 * once (no prep time, 1,000 orders a slot), 10 % tax, with one menu category to put items in.
 */
export async function allDayLocation(db: Kysely<DB>, options: AllDayLocationOptions): Promise<AllDayLocation> {
  const { id: locationId } = await db
    .insertInto('locations')
    .values({
      slug: options.slug,
      name: options.name,
      time_zone: options.timeZone ?? 'UTC',
      currency: options.currency ?? 'EUR',
      tax_rate_bp: 1000,
      prep_minutes: 0,
      slot_capacity: 1000,
      ...(options.address !== undefined ? { address: options.address } : {}),
      ...(options.orderPrefix !== undefined ? { order_prefix: options.orderPrefix } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('opening_hours')
    .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ location_id: locationId, weekday, opens_at: 0, closes_at: 1440 })))
    .execute();
  const { id: categoryId } = await db
    .insertInto('menu_categories')
    .values({ location_id: locationId, name: options.category ?? 'Mains' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const item = async (name: string, priceMinor: number) =>
    (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name, price_minor: priceMinor }).returning('id').executeTakeFirstOrThrow()).id;
  return { locationId, slug: options.slug, categoryId, item };
}
