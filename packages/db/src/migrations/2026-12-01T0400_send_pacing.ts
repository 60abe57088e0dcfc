import { sql, type Kysely } from 'kysely';

// Sending rates shared by every worker of a deployment (the newsletter's
// NEWSLETTER_RATE_PER_MINUTE): one row per rate, holding the earliest time the next send may go
// (a GCRA "theoretical arrival time"), moved on atomically by each send. Typed Kysely<any>: a
// snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('send_pacing')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`comment on table send_pacing is 'one row per shared sending rate; next_at: when the next send is due (moved on by each send)'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_pacing').execute();
}
