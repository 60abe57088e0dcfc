import { type Kysely, sql } from 'kysely';

// Reports (issue 16): the indexes that let a month or a year of one busy location be read
// without touching other locations' rows, and the one formatter of local timestamps the
// reports and their CSV downloads share. Typed Kysely<any>: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  // Sales by time: a location's orders by placing time, carrying what the sales figures read, so
  // a range is one index-only range scan (a year of a busy location: ~300,000 entries). The id
  // last: a CSV download pages in (created_at, id) order straight off the index.
  await sql`create index orders_report_idx on orders (location_id, created_at, id)
    include (status, type, subtotal_minor, tax_minor, tip_minor, wanted_at)`.execute(db);
  // The kitchen report reads each order's 'placed', 'ready' and 'reject' rows.
  await sql`create index order_history_report_idx on order_history (order_id, to_status) include (at, action, reason)`.execute(db);
  // Items report: hand 86s of a location's items, in time order.
  await sql`create index audit_log_86_idx on audit_log (location_id, target_id, at)
    where action in ('kitchen.item_86ed', 'kitchen.item_un86ed')`.execute(db);
  // Stock used in a range, by ingredient and reason.
  await sql`create index stock_movements_report_idx on stock_movements (location_id, created_at) include (ingredient_id, reason, delta)`.execute(db);

  // An instant as the location's wall-clock time with its offset: 2026-11-01T01:30:00-05:00.
  // The offset tells the two 01:30s of a night the clocks go back apart.
  await sql`create function report_local_time(at timestamptz, zone text) returns text
    language sql stable parallel safe as $$
      select to_char(at at time zone zone, 'YYYY-MM-DD"T"HH24:MI:SS')
        || case when off < 0 then '-' else '+' end
        || to_char(abs(off) / 3600, 'FM00') || ':' || to_char(abs(off) % 3600 / 60, 'FM00')
      from (select extract(epoch from (at at time zone zone) - (at at time zone 'UTC'))::int as off) o
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function report_local_time(timestamptz, text)`.execute(db);
  await sql`drop index stock_movements_report_idx`.execute(db);
  await sql`drop index audit_log_86_idx`.execute(db);
  await sql`drop index order_history_report_idx`.execute(db);
  await sql`drop index orders_report_idx`.execute(db);
}
