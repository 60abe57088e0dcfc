import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { kitchenReportInput, type PrepTimes } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { reportRange, type ReportLocation } from './location.js';

export interface KitchenReport {
  location: ReportLocation;
  from: string;
  to: string;
  /** The location's prep time: a ticket ready later than this is counted in `overPrepTime`. */
  prepMinutes: number;
  overall: PrepTimes & { overPrepTime: number };
  /** By the local hour the ticket was placed in (0–23), hours with tickets only. */
  byHour: (PrepTimes & { hour: number; overPrepTime: number })[];
  /** By the kitchen station its lines were routed to when sold: an order with lines at two stations counts at each (the whole order's time: a ticket is made ready as one). */
  byStation: (PrepTimes & { stationId: string; station: string; overPrepTime: number })[];
  rejects: { total: number; reasons: { reason: string; count: number }[] };
}

/**
 * How fast the kitchen was, from the orders' history (the instants the server wrote when each
 * order was placed and made ready), never from clocks on screens. A ticket's time runs from
 * when it was placed, or for an order wanted later from when the kitchen had to start it
 * (wanted-at less the prep time), to when it was ready. Median and p90 are nearest-rank
 * (`percentile_disc`), in whole seconds. Rejects are the kitchen's refusals with their reasons.
 */
export async function kitchenReport(db: Kysely<DB>, input: { locationId: string; from: string; to: string }): Promise<KitchenReport> {
  const { location, bounds } = await reportRange(db, input.locationId, input);
  const result = await sql<{ report: Omit<KitchenReport, 'location' | 'from' | 'to'> }>`
    with in_range as not materialized (
      select o.id, o.wanted_at from orders o
      where o.location_id = ${input.locationId}
        and o.created_at >= ${bounds.start}::timestamptz
        and o.created_at < ${bounds.end}::timestamptz
    ), loc as (
      select prep_minutes, time_zone from locations where id = ${input.locationId}
    ), tickets as (
      -- Each status is reached once (the lifecycle has no cycles), so an order has one 'placed' and at
      -- most one 'ready' transition; a refund's note repeats the status it was made in and is left out.
      -- Orders never made ready drop out of the inner join.
      select t.id, t.wanted_at, p.at as placed_at, r.at as ready_at
      from in_range t
      join order_history p on p.order_id = t.id and p.to_status = 'placed' and p.action <> 'refund'
      join order_history r on r.order_id = t.id and r.to_status = 'ready' and r.action <> 'refund'
    ), timed as (
      select tickets.id, extract(hour from placed_at at time zone loc.time_zone)::int as hour, loc.prep_minutes,
        greatest(0, round(extract(epoch from ready_at - greatest(placed_at, wanted_at - loc.prep_minutes * interval '1 minute'))))::int as seconds
      from tickets, loc
    ), hours as (
      -- The whole range and each hour in one sorted pass (the empty grouping set: a row even with no tickets).
      select hour, grouping(hour) as is_total, count(*)::int as tickets, percentile_disc(0.5) within group (order by seconds) as median,
        percentile_disc(0.9) within group (order by seconds) as p90, count(*) filter (where seconds > prep_minutes * 60)::int as over
      from timed group by rollup (hour)
    )
    select json_build_object(
      'prepMinutes', (select prep_minutes from locations where id = ${input.locationId}),
      'overall', (select json_build_object('tickets', tickets, 'medianSeconds', median, 'p90Seconds', p90, 'overPrepTime', over) from hours where is_total = 1),
      'byHour', (select coalesce(json_agg(json_build_object('hour', hour, 'tickets', tickets, 'medianSeconds', median, 'p90Seconds', p90, 'overPrepTime', over) order by hour), '[]')
        from hours where is_total = 0),
      'byStation', (select coalesce(json_agg(json_build_object('stationId', station_id, 'station', name, 'tickets', tickets, 'medianSeconds', median, 'p90Seconds', p90, 'overPrepTime', over) order by name, station_id), '[]')
        from (select s.id as station_id, s.name, count(*) as tickets, percentile_disc(0.5) within group (order by ti.seconds) as median,
          percentile_disc(0.9) within group (order by ti.seconds) as p90, count(*) filter (where ti.seconds > ti.prep_minutes * 60) as over
          from timed ti
          join (select distinct l.order_id, l.station_id from order_lines l join in_range r on r.id = l.order_id where l.station_id is not null) ls on ls.order_id = ti.id
          join stations s on s.id = ls.station_id
          group by s.id, s.name) st),
      'rejects', (select json_build_object('total', coalesce(sum(n), 0), 'reasons', coalesce(json_agg(json_build_object('reason', reason, 'count', n) order by n desc, reason), '[]'))
        from (select coalesce(h.reason, '') as reason, count(*) as n from order_history h join in_range t on t.id = h.order_id
          where h.action = 'reject' group by 1) r)
    ) as report`.execute(db);
  const report = result.rows[0]?.report;
  if (!report) throw new Error('the kitchen report always has a row');
  return { location, from: input.from, to: input.to, ...report };
}

/** `reports.kitchen`: the kitchen's speed and rejects at one location, for its manager (or an admin). */
export const kitchen = managerProcedure.input(kitchenReportInput).query(({ ctx, input }) => kitchenReport(ctx.db, input));
