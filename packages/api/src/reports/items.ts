import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { itemsReportInput, type INGREDIENT_UNITS } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { countedOrders } from './facts.js';
import { reportRange, type ReportLocation } from './location.js';

export interface ItemSales {
  itemId: string;
  name: string;
  quantity: number;
  grossMinor: number;
}

export interface ItemsReport {
  location: ReportLocation;
  from: string;
  to: string;
  /** Most portions sold first; items on the menu that sold nothing are among the worst. */
  best: ItemSales[];
  worst: ItemSales[];
  /** Items 86'd by hand in the range: how often, and for how long in total (clipped to the range and to now). */
  eightySixed: { itemId: string; name: string; times: number; seconds: number }[];
  /**
   * Each ingredient: what the stock ledger says orders took (sales less returns), what the
   * recipes say the portions sold should have taken, and what was thrown away, in its unit.
   */
  stock: { ingredientId: string; name: string; unit: (typeof INGREDIENT_UNITS)[number]; used: number; expected: number; waste: number }[];
}

/**
 * Best and worst sellers, how long items were 86'd, and stock used against recipes, for a
 * location's calendar days `from`–`to`. Sales come from the same counted orders as the sales
 * report. Automatic 86s (a recipe the stock can't make) are not events and are not counted here:
 * only the kitchen's 86s by hand, from the audit trail.
 */
export async function itemsReport(db: Kysely<DB>, input: { locationId: string; from: string; to: string; limit: number }, now: Date): Promise<ItemsReport> {
  const { location, bounds } = await reportRange(db, input.locationId, input);
  const { locationId } = input;
  const start = sql`${bounds.start}::timestamptz`;
  const end = sql`${bounds.end}::timestamptz`;
  const result = await sql<{ report: Omit<ItemsReport, 'location' | 'from' | 'to'> }>`
    with counted as ${countedOrders(locationId, bounds)},
    -- One pass over the range's lines, grouped by item and choice of options (a handful of
    -- combinations per item), so the recipes below multiply sums, not every line of a year.
    portions as (
      select ln.item_id, ln.options, sum(ln.quantity)::int as quantity, sum(ln.line_total_minor)::bigint as gross_minor
      from counted f join order_lines ln on ln.order_id = f.order_id
      group by ln.item_id, ln.options
    ),
    sold as (select item_id, sum(quantity)::int as quantity, sum(gross_minor)::bigint as gross_minor from portions group by item_id),
    items as (
      select i.id, i.name, coalesce(s.quantity, 0) as quantity, coalesce(s.gross_minor, 0) as gross_minor
      from menu_items i left join sold s on s.item_id = i.id
      where i.location_id = ${locationId} and (i.archived_at is null or s.item_id is not null)
    ),
    events as (
      select a.target_id, a.action, a.at, lead(a.at) over (partition by a.target_id order by a.at, a.id) as next_at
      from audit_log a
      where a.location_id = ${locationId} and a.action in ('kitchen.item_86ed', 'kitchen.item_un86ed') and a.at < ${end}
    ),
    spans as (
      select target_id, greatest(at, ${start}) as s, least(coalesce(next_at, ${now}::timestamptz), ${end}) as e
      from events where action = 'kitchen.item_86ed'
    ),
    moved as (
      select ingredient_id,
        coalesce(-sum(delta) filter (where reason in ('sale', 'return')), 0)::bigint as used,
        coalesce(-sum(delta) filter (where reason = 'waste'), 0)::bigint as waste
      from stock_movements
      where location_id = ${locationId} and created_at >= ${start} and created_at < ${end}
      group by ingredient_id
    ),
    expected as (
      select ingredient_id, sum(need)::bigint as expected from (
        select r.ingredient_id, r.quantity * p.quantity as need from portions p join recipe_lines r on r.item_id = p.item_id
        union all
        select r.ingredient_id, r.quantity * p.quantity
        from portions p cross join lateral jsonb_array_elements(p.options) o
        join recipe_lines r on r.option_id = (o->>'optionId')::uuid
      ) n group by ingredient_id
    )
    select json_build_object(
      'best', (select coalesce(json_agg(json_build_object('itemId', id, 'name', name, 'quantity', quantity, 'grossMinor', gross_minor)), '[]')
        from (select * from items order by quantity desc, gross_minor desc, name, id limit ${input.limit}) b),
      'worst', (select coalesce(json_agg(json_build_object('itemId', id, 'name', name, 'quantity', quantity, 'grossMinor', gross_minor)), '[]')
        from (select * from items order by quantity, gross_minor, name, id limit ${input.limit}) w),
      'eightySixed', (select coalesce(json_agg(json_build_object('itemId', i.id, 'name', i.name, 'times', x.times, 'seconds', x.seconds) order by x.seconds desc, i.name), '[]')
        from (select target_id, count(*)::int as times, round(sum(extract(epoch from e - s)))::int as seconds from spans where e > s group by target_id) x
        join menu_items i on i.id::text = x.target_id),
      'stock', (select coalesce(json_agg(json_build_object('ingredientId', g.id, 'name', g.name, 'unit', g.unit,
          'used', coalesce(m.used, 0), 'expected', coalesce(e.expected, 0), 'waste', coalesce(m.waste, 0)) order by g.name, g.id), '[]')
        from ingredients g left join moved m on m.ingredient_id = g.id left join expected e on e.ingredient_id = g.id
        where g.location_id = ${locationId} and (g.archived_at is null or m.ingredient_id is not null or e.ingredient_id is not null))
    ) as report`.execute(db);
  const report = result.rows[0]?.report;
  if (!report) throw new Error('the items report always has a row');
  return { location, from: input.from, to: input.to, ...report };
}

/** `reports.items`: best and worst sellers, 86'd time and stock against recipes, for a location's manager (or an admin). */
export const items = managerProcedure.input(itemsReportInput).query(({ ctx, input }) => itemsReport(ctx.db, input, ctx.now()));
