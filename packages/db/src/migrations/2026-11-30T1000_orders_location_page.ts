import type { Kysely } from 'kysely';

// orders.list (the console's and the till's order list) pages a location's orders newest first
// by (created_at, id) within a day or span: without this index a busy location's page sorts
// every order it ever took. Typed Kysely<any>: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('orders_location_page_idx').on('orders').columns(['location_id', 'created_at desc', 'id desc']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_location_page_idx').execute();
}
