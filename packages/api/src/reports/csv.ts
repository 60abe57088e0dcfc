import { sql, type Kysely, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { DB } from '@bistro/db';
import { csvLine, csvReportQuery, type CsvReport, type SalesGrouping } from '@bistro/domain';
import type { Context } from '../context.js';
import { createCallerFactory, createTRPCRouter, managerProcedure } from '../trpc.js';
import { countedOrders, type Bounds } from './facts.js';
import { reportRange } from './location.js';
import { salesReport } from './sales.js';

/** Rows fetched per statement while streaming: memory stays at one page whatever the range. */
const PAGE = 2_000;

interface Cursor {
  /** The last row's instant as PostgreSQL's text (microseconds kept; a Date would round them). */
  at: string;
  id: string;
}

/** Rows after the cursor in (instant, id) order; all rows for the first page. */
function after(instant: RawBuilder<unknown>, id: RawBuilder<unknown>, cursor: Cursor | undefined): RawBuilder<unknown> {
  // The plain bound lets the index range start at the cursor; the row comparison breaks ties.
  return cursor ? sql`${instant} >= ${cursor.at}::timestamptz and (${instant}, ${id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql`true`;
}

/**
 * The access check of a CSV download is the reports' own (a manager of the location, or an
 * admin; anyone else NOT_FOUND, a guest UNAUTHORIZED), through the same procedure builder, in a
 * router of its own that is not part of the API clients see.
 */
const downloads = createTRPCRouter({
  // A query string arrives as a record of texts; the report's own schema then validates it.
  open: managerProcedure.input(z.record(z.string(), z.unknown()).pipe(csvReportQuery)).query(({ input }) => input),
});
const downloadCaller = createCallerFactory(downloads);

export interface CsvDownload {
  filename: string;
  /** The file in pieces of whole lines (CRLF), about 64 kB each, produced as it is read: a year of orders is never in memory at once. */
  lines: AsyncIterable<string>;
}

/** A piece of the file is sent when it reaches this many characters: one write per piece, not per line (a year of orders: 300,000 lines). */
const PIECE = 64 * 1024;

/** Lines gathered into pieces of about PIECE characters (memory: one piece and one page of rows). */
async function* inPieces(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let piece = '';
  for await (const line of lines) {
    piece += line;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/**
 * A report as CSV for the authenticated download route (apps/server: GET /reports/:report.csv).
 * Checks access and validates the query (throws Bistro's errors), then streams. Timestamps are
 * the location's wall-clock time with its offset (`2026-11-01T01:30:00-05:00`); money columns
 * are integer minor units of the currency named in each row.
 */
export async function openCsvReport(ctx: Context, report: CsvReport, query: Record<string, unknown>): Promise<CsvDownload> {
  const input = await downloadCaller(ctx).open(query);
  const { location, bounds } = await reportRange(ctx.db, input.locationId, input);
  const filename = `${report}-${input.from}-${input.to}.csv`;
  const make = {
    sales: () => salesLines(ctx.db, { ...input, groupBy: input.groupBy ?? 'day' }),
    orders: () => orderLines(ctx.db, input.locationId, bounds, location.timeZone, location.currency),
    kitchen: () => ticketLines(ctx.db, input.locationId, bounds, location.timeZone),
    items: () => itemLines(ctx.db, input.locationId, bounds, location.currency),
  }[report];
  return { filename, lines: inPieces(make()) };
}

async function* salesLines(db: Kysely<DB>, input: { locationId: string; from: string; to: string; groupBy: SalesGrouping }): AsyncGenerator<string> {
  const report = await salesReport(db, input);
  yield csvLine([input.groupBy, 'label', 'orders', 'quantity', 'gross_minor', 'discount_minor', 'refund_minor', 'net_minor', 'tax_minor', 'tip_minor', 'currency']);
  for (const r of report.rows) {
    yield csvLine([r.key, r.label, r.orders, 'quantity' in r ? r.quantity : null, r.grossMinor, r.discountMinor, r.refundMinor, r.netMinor, r.taxMinor, r.tipMinor, report.location.currency]);
  }
  const t = report.totals;
  yield csvLine(['total', 'Total', t.orders, null, t.grossMinor, t.discountMinor, t.refundMinor, t.netMinor, t.taxMinor, t.tipMinor, report.location.currency]);
}

/** Every counted order of the range, oldest first, a page at a time (keyset on the placing instant as text: microseconds kept). */
async function* orderLines(db: Kysely<DB>, locationId: string, bounds: Bounds, timeZone: string, currency: string): AsyncGenerator<string> {
  yield csvLine(['order', 'placed_at', 'type', 'gross_minor', 'discount_minor', 'refund_minor', 'net_minor', 'tax_minor', 'tip_minor', 'currency']);
  let cursor: Cursor | undefined;
  for (;;) {
    const page = await sql<{ at: string; id: string; display_number: string; local: string; order_type: string; gross_minor: number; discount_minor: number; refund_minor: number; net_minor: number; tax_minor: number; tip_minor: number }>`
      select f.placed_at::text as at, f.order_id as id, f.display_number, report_local_time(f.placed_at, ${timeZone}::text) as local, f.order_type,
        f.gross_minor, f.discount_minor, f.refund_minor, f.net_minor, f.tax_minor, f.tip_minor
      from ${countedOrders(locationId, bounds)} f
      where ${after(sql.raw('f.placed_at'), sql.raw('f.order_id'), cursor)}
      order by f.placed_at, f.order_id limit ${PAGE}`.execute(db);
    for (const r of page.rows) {
      yield csvLine([r.display_number, r.local, r.order_type, r.gross_minor, r.discount_minor, r.refund_minor, r.net_minor, r.tax_minor, r.tip_minor, currency]);
    }
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE) return;
    cursor = { at: last.at, id: last.id };
  }
}

/** Every ticket of the range with its placed, ready and rejected instants, a page at a time. */
async function* ticketLines(db: Kysely<DB>, locationId: string, bounds: Bounds, timeZone: string): AsyncGenerator<string> {
  yield csvLine(['order', 'status', 'placed_at', 'ready_at', 'seconds_to_ready', 'reject_reason']);
  let cursor: Cursor | undefined;
  for (;;) {
    const page = await sql<{ at: string; id: string; display_number: string; status: string; placed: string | null; ready: string | null; seconds: number | null; reason: string | null }>`
      select o.created_at::text as at, o.id, o.display_number, o.status,
        report_local_time(p.at, ${timeZone}::text) as placed, report_local_time(r.at, ${timeZone}::text) as ready,
        round(extract(epoch from r.at - p.at))::int as seconds, x.reason
      from orders o
      left join lateral (select min(h.at) as at from order_history h where h.order_id = o.id and h.to_status = 'placed') p on true
      left join lateral (select min(h.at) as at from order_history h where h.order_id = o.id and h.to_status = 'ready') r on true
      left join lateral (select h.reason from order_history h where h.order_id = o.id and h.action = 'reject' limit 1) x on true
      where o.location_id = ${locationId}
        and o.created_at >= ${bounds.start}::timestamptz and o.created_at < ${bounds.end}::timestamptz
        and ${after(sql.raw('o.created_at'), sql.raw('o.id'), cursor)}
      order by o.created_at, o.id limit ${PAGE}`.execute(db);
    for (const r of page.rows) yield csvLine([r.display_number, r.status, r.placed, r.ready, r.seconds, r.reason]);
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE) return;
    cursor = { at: last.at, id: last.id };
  }
}

/** Every item on the menu (or sold in the range) with what it sold, best first. */
async function* itemLines(db: Kysely<DB>, locationId: string, bounds: Bounds, currency: string): AsyncGenerator<string> {
  yield csvLine(['item', 'category', 'quantity', 'gross_minor', 'currency']);
  const rows = await sql<{ name: string; category: string; quantity: number; gross_minor: number }>`
    with sold as (
      select ln.item_id, sum(ln.quantity)::int as quantity, sum(ln.line_total_minor)::bigint as gross_minor
      from ${countedOrders(locationId, bounds)} f join order_lines ln on ln.order_id = f.order_id group by ln.item_id
    )
    select i.name, c.name as category, coalesce(s.quantity, 0) as quantity, coalesce(s.gross_minor, 0) as gross_minor
    from menu_items i join menu_categories c on c.id = i.category_id left join sold s on s.item_id = i.id
    where i.location_id = ${locationId} and (i.archived_at is null or s.item_id is not null)
    order by quantity desc, gross_minor desc, i.name, i.id`.execute(db);
  for (const r of rows.rows) yield csvLine([r.name, r.category, r.quantity, r.gross_minor, currency]);
}
