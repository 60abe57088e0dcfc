import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { salesReportInput, type SalesFigures, type SalesGrouping } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { countedOrders, figureColumns, regroupedFigureColumns, toFigures, type FigureRow } from './facts.js';
import { reportRange, type ReportLocation } from './location.js';

export interface SalesRow extends SalesFigures {
  /** Stable key of the row: a local date, an hour's start, an ISO weekday 1–7, an item or category id, an order type. */
  key: string;
  label: string;
}

/**
 * A line-level row (by item or category): its orders and the lines' total as gross. Discounts,
 * refunds, tax and tips belong to whole orders and are not split over lines: null here (the
 * totals carry them).
 */
export interface SalesLineRow {
  key: string;
  label: string;
  orders: number;
  quantity: number;
  grossMinor: number;
  discountMinor: null;
  refundMinor: null;
  netMinor: null;
  taxMinor: null;
  tipMinor: null;
}

export interface SalesReport {
  location: ReportLocation;
  from: string;
  to: string;
  groupBy: SalesGrouping;
  totals: SalesFigures;
  rows: (SalesRow | SalesLineRow)[];
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDER_TYPES: Record<string, string> = { dine_in: 'Dine-in', pickup: 'Pickup', delivery: 'Delivery' };

/**
 * Orders, gross, discounts, refunds, net, tax and tips of a location over its calendar days
 * `from`–`to`, split by day, hour, weekday, item, category or order type in the location's own
 * time zone. Hours are keyed by the instant they start, so the hour repeated when clocks go back
 * is two rows (`01:00-04:00` and `01:00-05:00`) and the hour skipped when they go forward none.
 * Rows only for buckets with sales; the totals always.
 */
export async function salesReport(db: Kysely<DB>, input: { locationId: string; from: string; to: string; groupBy: SalesGrouping }): Promise<SalesReport> {
  const { location, bounds } = await reportRange(db, input.locationId, input);
  const facts = countedOrders(input.locationId, bounds);
  const tz = sql`${location.timeZone}::text`;
  if (input.groupBy === 'item' || input.groupBy === 'category') {
    // Totals are the orders' own (discounts, tax, tips belong to orders), read beside the lines.
    const totalsQuery = sql<FigureRow>`select ${figureColumns} from ${facts} f`.execute(db);
    const byItem = input.groupBy === 'item';
    const result = await sql<{ key: string; label: string; orders: number; quantity: number; gross_minor: number }>`
      select ${byItem ? sql`i.id::text` : sql`c.id::text`} as key, ${byItem ? sql`i.name` : sql`c.name`} as label,
        count(distinct f.order_id)::int as orders, sum(ln.quantity)::int as quantity, sum(ln.line_total_minor)::bigint as gross_minor
      from ${facts} f
      join order_lines ln on ln.order_id = f.order_id
      join menu_items i on i.id = ln.item_id
      join menu_categories c on c.id = i.category_id
      group by 1, 2
      order by gross_minor desc, label, key`.execute(db);
    const rows: SalesLineRow[] = result.rows.map((r) => ({
      key: r.key,
      label: r.label,
      orders: r.orders,
      quantity: r.quantity,
      grossMinor: r.gross_minor,
      discountMinor: null,
      refundMinor: null,
      netMinor: null,
      taxMinor: null,
      tipMinor: null,
    }));
    const totals = (await totalsQuery).rows[0];
    if (!totals) throw new Error('a sum always has a row');
    return { location, from: input.from, to: input.to, groupBy: input.groupBy, totals: toFigures(totals), rows };
  }
  const bucket = {
    day: sql`to_char(f.placed_at at time zone ${tz}, 'YYYY-MM-DD')`,
    // The instant the local hour began: the placing instant less the minutes past the local hour.
    hour: sql`f.placed_at - ((f.placed_at at time zone ${tz}) - date_trunc('hour', f.placed_at at time zone ${tz}))`,
    weekday: sql`extract(isodow from f.placed_at at time zone ${tz})::int`,
    orderType: sql`f.order_type`,
  }[input.groupBy];
  // Calendar buckets are found for quarter hours, not for every order: the orders are first
  // summed by the UTC quarter hour they were placed in (plain arithmetic), and only those sums
  // meet the time zone rules. Exact because every time zone's offset, and every DST change, is a
  // whole number of quarter hours (Kathmandu +05:45, Chatham +12:45): a quarter hour never
  // straddles a local hour or day. A year of a busy location: ~15,000 quarter hours, 300,000 orders.
  const grouped =
    input.groupBy === 'orderType'
      ? sql`(select ${bucket} as bucket, ${figureColumns} from ${facts} f group by 1)`
      : sql`(select ${bucket} as bucket, ${regroupedFigureColumns} from (
          select date_bin('15 minutes', f.placed_at, timestamptz '2000-01-01 00:00:00+00') as placed_at, ${figureColumns}
          from ${facts} f group by 1
        ) f group by 1)`;
  // Rows in time order (an hour's key is its local time with the offset: the repeated hour sorts
  // by instant), and the totals in the same pass (the empty grouping set).
  const key = input.groupBy === 'hour' ? sql`report_local_time(g.bucket, ${tz})` : sql`g.bucket::text`;
  const result = await sql<FigureRow & { key: string | null; is_total: number }>`
    select case when g.is_total = 0 then ${key} end as key, g.* from (
      select f.bucket, grouping(f.bucket) as is_total, ${regroupedFigureColumns}
      from ${grouped} f
      group by grouping sets ((f.bucket), ())
    ) g order by g.is_total, g.bucket`.execute(db);
  const totals = result.rows.find((r) => r.is_total === 1);
  if (!totals) throw new Error('the empty grouping set always has a row');
  const rows = result.rows.filter((r) => r.is_total === 0).map((r) => ({ key: r.key ?? '', label: labelOf(input.groupBy, r.key ?? ''), ...toFigures(r) }));
  return { location, from: input.from, to: input.to, groupBy: input.groupBy, totals: toFigures(totals), rows };
}

function labelOf(groupBy: SalesGrouping, key: string): string {
  if (groupBy === 'weekday') return WEEKDAYS[Number(key) - 1] ?? key;
  if (groupBy === 'orderType') return ORDER_TYPES[key] ?? key;
  return key;
}

/** `reports.sales`: the sales report of one location, for its manager (or an admin). */
export const sales = managerProcedure.input(salesReportInput).query(({ ctx, input }) => salesReport(ctx.db, input));
