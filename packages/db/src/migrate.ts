import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
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
  return results;
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
