import { sql, type Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { getConstructionPlans } from 'pg-boss';
import { migrations } from './migrations/index.js';

export const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1) ?? '';

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
}

/** Runs every pending migration; throws (with the failing migration's name) if one fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet['results']> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
  await installJobSchema(db);
  return results;
}

/** The schema of the job queue (pg-boss's own tables and functions). */
export const JOB_SCHEMA = 'pgboss';

/**
 * Installs the job queue's schema when it is missing, so every database that is migrated (the
 * server's, each test's template) has it before a job is enqueued. Its SQL is the library's
 * (one transaction, under its own advisory lock); later pg-boss versions upgrade it themselves
 * when the queue starts. Two instances racing here: the second waits on the lock, fails on the
 * objects the first made, and finds the schema installed.
 */
export async function installJobSchema(db: Kysely<any>): Promise<void> {
  const installed = async () => {
    const { rows } = await sql<{ present: boolean }>`select to_regclass(${`${JOB_SCHEMA}.version`}) is not null as present`.execute(db);
    return rows[0]?.present === true;
  };
  if (await installed()) return;
  try {
    await sql.raw(getConstructionPlans(JOB_SCHEMA)).execute(db);
  } catch (error) {
    if (!(await installed())) throw error;
  }
}

/** Whether the database has every migration this build knows about. */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const exists = await db
    .selectFrom('information_schema.tables')
    .select('table_name')
    .where('table_schema', '=', 'public')
    .where('table_name', '=', 'kysely_migration')
    .executeTakeFirst();
  if (!exists) return false;
  const latest = await db.selectFrom('kysely_migration').select('name').where('name', '=', LATEST_MIGRATION).executeTakeFirst();
  return latest !== undefined;
}
