import { type Kysely, sql } from 'kysely';

// Orders wanted later reach the kitchen at wanted-at minus the location's prep time (issue 15):
// `kitchen_at` is that instant, set when the order is placed (null: at once); the release job
// writes the kitchen's event once it has passed and stamps `kitchen_released_at`, so each order
// is released once. Typed Kysely<any> on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('kitchen_at', 'timestamptz').addColumn('kitchen_released_at', 'timestamptz').execute();
  // The release job's search: orders still waiting for their time.
  await sql`create index orders_kitchen_release_idx on orders (kitchen_at) where kitchen_at is not null and kitchen_released_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists orders_kitchen_release_idx`.execute(db);
  await db.schema.alterTable('orders').dropColumn('kitchen_at').dropColumn('kitchen_released_at').execute();
}
