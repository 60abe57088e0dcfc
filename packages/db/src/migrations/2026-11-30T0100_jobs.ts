import { type Kysely, sql } from 'kysely';

// Background jobs (issue 15). The queue itself is pg-boss's own schema (`pgboss`), installed and
// upgraded by `installJobSchema` (migrate.ts), not here: its SQL belongs to the library version.
// This table is Bistro's side of "exactly one email": a job may run again (a worker that died
// mid-send, a retry), so every email is sent under a key (`order_confirmation:<order id>` …)
// recorded once it was handed to SMTP; a run that finds its key sent skips. Typed Kysely<any>
// on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_deliveries')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('email_deliveries_sent_idx').on('email_deliveries').column('sent_at').execute();
  await sql`comment on table email_deliveries is 'one row per email key; sent_at set once SMTP accepted it'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_deliveries').execute();
}
