import { sql, type RawBuilder } from 'kysely';

/**
 * THE one place the reports read an order's money. Every report (sales, the overview, the CSV
 * download, the items' gross) selects from this fragment, never from `orders` itself, so the
 * figures agree everywhere and a change to what counts is made once.
 *
 * An order counts once it is placed (paid, or to be paid at the counter) and until it is
 * cancelled: `pending_payment` and `cancelled` orders are left out. The figures are read live,
 * so an order cancelled late, or refunded, changes every report that covers its day at once.
 *
 * Discounts and refunds: `discount_minor` is the order's discount code line, `refund_minor` the
 * sum of its refunds that succeeded (a refund pending at the provider counts once it settles),
 * counted on the order's own day; `gross_minor` is the lines' total before any discount, and
 * net = gross − discount − refunds.
 */
export function countedOrders(locationId: string, range: Bounds): RawBuilder<unknown> {
  const inRange = (alias: RawBuilder<unknown>) => sql`${alias}.location_id = ${locationId}
      and ${alias}.created_at >= ${range.start}::timestamptz
      and ${alias}.created_at < ${range.end}::timestamptz`;
  // Refunds summed per order once, for the range's orders only, and joined by hash: a lookup
  // per order (a lateral subquery) cost a year of a busy location more than reading its orders.
  return sql`(
    select o.id as order_id, o.location_id, o.created_at as placed_at, o.type as order_type, o.wanted_at, o.display_number,
      o.subtotal_minor as gross_minor,
      o.discount_minor::bigint as discount_minor,
      coalesce(r.refund_minor, 0)::bigint as refund_minor,
      o.subtotal_minor - o.discount_minor - coalesce(r.refund_minor, 0) as net_minor,
      o.tax_minor, o.tip_minor
    from orders o
    left join (
      select rf.order_id, sum(rf.amount_minor)::bigint as refund_minor
      from refunds rf join orders ro on ro.id = rf.order_id
      where rf.status = 'succeeded' and ${inRange(sql.raw('ro'))}
      group by rf.order_id
    ) r on r.order_id = o.id
    where ${inRange(sql.raw('o'))}
      and o.status not in ('pending_payment', 'cancelled')
  )`;
}

/**
 * A range of instants, [start, end): resolved beforehand (`reportLocation` with a range, so the
 * planner sees the values and scans the index range they span), or SQL that computes them.
 */
export interface Bounds {
  start: Date | RawBuilder<Date>;
  end: Date | RawBuilder<Date>;
}

/** A calendar day 'YYYY-MM-DD', or SQL that computes one (the overview's "today"). */
export type LocalDay = string | RawBuilder<string>;

/** The instant the location's calendar day `from` begins (its local midnight, whatever DST does): the one rule for a report day's start. */
export function rangeStart(locationId: string, from: LocalDay): RawBuilder<Date> {
  return sql<Date>`(select ${dayStart(from, sql`l.time_zone`)} from locations l where l.id = ${locationId})`;
}

/** The instant after the location's calendar day `to` ends (the next local midnight). */
export function rangeEnd(locationId: string, to: LocalDay): RawBuilder<Date> {
  return sql<Date>`(select ${dayStart(sql`(${to}::date + 1)`, sql`l.time_zone`)} from locations l where l.id = ${locationId})`;
}

/** Local midnight of `day` in `zone`, as an instant. */
export function dayStart(day: LocalDay | RawBuilder<unknown>, zone: RawBuilder<unknown>): RawBuilder<Date> {
  return sql<Date>`((${day})::date)::timestamp at time zone ${zone}`;
}

const summedMoney = sql`coalesce(sum(f.gross_minor), 0)::bigint as gross_minor,
  coalesce(sum(f.discount_minor), 0)::bigint as discount_minor,
  coalesce(sum(f.refund_minor), 0)::bigint as refund_minor,
  coalesce(sum(f.net_minor), 0)::bigint as net_minor,
  coalesce(sum(f.tax_minor), 0)::bigint as tax_minor,
  coalesce(sum(f.tip_minor), 0)::bigint as tip_minor`;

/** The money columns of a group of counted orders (`f` is the fragment's alias), summed. */
export const figureColumns = sql`count(*)::int as orders, ${summedMoney}`;

/** The same figures of groups of groups: `f` carries `orders` and the sums of `figureColumns` (every figure adds up). */
export const regroupedFigureColumns = sql`coalesce(sum(f.orders), 0)::int as orders, ${summedMoney}`;

export interface FigureRow {
  orders: number;
  gross_minor: number;
  discount_minor: number;
  refund_minor: number;
  net_minor: number;
  tax_minor: number;
  tip_minor: number;
}

export function toFigures(row: FigureRow) {
  return {
    orders: row.orders,
    grossMinor: row.gross_minor,
    discountMinor: row.discount_minor,
    refundMinor: row.refund_minor,
    netMinor: row.net_minor,
    taxMinor: row.tax_minor,
    tipMinor: row.tip_minor,
  };
}
