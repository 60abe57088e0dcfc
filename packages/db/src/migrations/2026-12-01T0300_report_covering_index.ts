import { type Kysely, sql } from 'kysely';

// Reports on a year of a busy location (issue 16). The reports read every counted order of the
// range through one fragment (reports/facts.ts) that also takes the discount (promo codes came
// after the first report index) and the display number (the orders CSV): with them in the index
// a month or a year is an index-only range scan, and the CSV's pages, in (created_at, id) order,
// come straight off it without visiting the table. The kitchen report's rejects: a small partial
// index instead of a scan of the whole order history. And report_local_time (the one formatter
// of local timestamps) as a single expression, which PostgreSQL inlines into the statement that
// calls it: with a FROM it was a function call per row, 3.7 s of a year's 5 s orders CSV.
// Typed Kysely<any>: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index orders_report_cover_idx on orders (location_id, created_at, id)
    include (status, type, subtotal_minor, discount_minor, tax_minor, tip_minor, wanted_at, display_number)`.execute(db);
  await sql`drop index orders_report_idx`.execute(db);
  // orders.list's pages (newest first by created_at, id) read the same index backwards: its own
  // index (2026-11-30T1000) would only cost every order placed one more entry to write.
  await sql`drop index orders_location_page_idx`.execute(db);
  await sql`create index order_history_reject_idx on order_history (order_id) include (reason) where action = 'reject'`.execute(db);
  // The same text as before (2026-11-01T01:30:00-05:00): the zone's offset is its wall clock less UTC's.
  await sql`create or replace function report_local_time(at timestamptz, zone text) returns text
    language sql stable parallel safe as $$
      select to_char(at at time zone zone, 'YYYY-MM-DD"T"HH24:MI:SS')
        || case when (at at time zone zone) < (at at time zone 'UTC') then '-' else '+' end
        || to_char(abs(extract(epoch from (at at time zone zone) - (at at time zone 'UTC'))::int) / 3600, 'FM00') || ':'
        || to_char(abs(extract(epoch from (at at time zone zone) - (at at time zone 'UTC'))::int) % 3600 / 60, 'FM00')
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create or replace function report_local_time(at timestamptz, zone text) returns text
    language sql stable parallel safe as $$
      select to_char(at at time zone zone, 'YYYY-MM-DD"T"HH24:MI:SS')
        || case when off < 0 then '-' else '+' end
        || to_char(abs(off) / 3600, 'FM00') || ':' || to_char(abs(off) % 3600 / 60, 'FM00')
      from (select extract(epoch from (at at time zone zone) - (at at time zone 'UTC'))::int as off) o
    $$`.execute(db);
  await sql`drop index order_history_reject_idx`.execute(db);
  await sql`create index orders_location_page_idx on orders (location_id, created_at desc, id desc)`.execute(db);
  await sql`create index orders_report_idx on orders (location_id, created_at, id)
    include (status, type, subtotal_minor, tax_minor, tip_minor, wanted_at)`.execute(db);
  await sql`drop index orders_report_cover_idx`.execute(db);
}
