import type { Kysely } from 'kysely';

// The daily low-stock digest (issue 15): one row per location and local day, claimed by the
// scheduled task in the transaction that enqueues the managers' emails, so a day's digest goes
// out once however often (and on however many workers) the task runs. Typed Kysely<any> on
// purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('low_stock_digests')
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('ingredients', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('low_stock_digests_pk', ['location_id', 'local_date'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('low_stock_digests').execute();
}
