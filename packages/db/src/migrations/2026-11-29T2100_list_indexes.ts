import { type Kysely, sql } from 'kysely';

// Indexes for list filters that read whole tables once the restaurant has a year behind it
// (checked with EXPLAIN on the bench's grown database). Typed Kysely<any>: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  // admin.audit.list by user is "actor OR (target_type = 'user' AND target_id = the user)": the
  // actor side had an index, the target side none, so a user with no rows read the whole log
  // (~0.9 s at 200,000 rows). With both sides indexed it is a BitmapOr of two index scans.
  await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target_type', 'target_id', 'id desc']).execute();
  // admin.users.list pages newest first by (created_at, id): without an index every page sorts
  // every account.
  await db.schema.createIndex('users_created_idx').on('users').columns(['created_at desc', 'id desc']).execute();
  // orders.listMine pages a customer's orders by (created_at, id); the old index stopped at
  // created_at, so each page sorted again on id.
  await db.schema.createIndex('orders_customer_page_idx').on('orders').columns(['customer_user_id', 'created_at desc', 'id desc']).execute();
  await db.schema.dropIndex('orders_customer_idx').execute();
  // menu.get reads a location's live option groups once (which items and options open a choice).
  await db.schema
    .createIndex('option_groups_location_idx')
    .on('option_groups')
    .column('location_id')
    .where(sql.ref('archived_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('option_groups_location_idx').execute();
  await db.schema.createIndex('orders_customer_idx').on('orders').columns(['customer_user_id', 'created_at desc']).execute();
  await db.schema.dropIndex('orders_customer_page_idx').execute();
  await db.schema.dropIndex('users_created_idx').execute();
  await db.schema.dropIndex('audit_log_target_idx').execute();
}
