import { type Kysely, sql } from 'kysely';

// Reports on a year of a busy location (issue 16). The reports read every counted order of the
// range through one fragment (reports/facts.ts) that also takes the discount (promo codes came
// after the first report index) and the display number (the orders CSV): with them in the index
// a month or a year is an index-only range scan, and the CSV's pages, in (created_at, id) order,
// come straight off it without visiting the table. The kitchen report's rejects: a small partial
// index instead of a scan of the whole order history. Typed Kysely<any>: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index orders_report_cover_idx on orders (location_id, created_at, id)
    include (status, type, subtotal_minor, discount_minor, tax_minor, tip_minor, wanted_at, display_number)`.execute(db);
  await sql`drop index orders_report_idx`.execute(db);
  await sql`create index order_history_reject_idx on order_history (order_id) include (reason) where action = 'reject'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index order_history_reject_idx`.execute(db);
  await sql`create index orders_report_idx on orders (location_id, created_at, id)
    include (status, type, subtotal_minor, tax_minor, tip_minor, wanted_at)`.execute(db);
  await sql`drop index orders_report_cover_idx`.execute(db);
}
