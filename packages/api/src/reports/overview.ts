import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { overviewInput, type SalesFigures } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { countedOrders, figureColumns, rangeEnd, rangeStart, toFigures, type FigureRow } from './facts.js';

export interface Overview {
  location: { id: string; name: string; timeZone: string; currency: string };
  /** The location's calendar day now, and the same weekday a week before. */
  today: string;
  lastWeekDay: string;
  /** From local midnight to now, today. */
  todaySoFar: SalesFigures;
  /** The same weekday last week, from local midnight to the same wall-clock time. */
  lastWeekSoFar: SalesFigures;
  /** Tickets placed, preparing or ready now. */
  openTickets: number;
}

/**
 * The manager's dashboard: today so far against the same weekday last week up to the same
 * local time, and the tickets open now. One statement (one round trip to the database, as the
 * dashboard's one call is one round trip to Bistro); "now" is the request's clock.
 */
export async function overview(db: Kysely<DB>, locationId: string, now: Date): Promise<Overview> {
  const zone = sql`(select l.time_zone from locations l where l.id = ${locationId})`;
  const local = sql`(${now}::timestamptz at time zone ${zone})`;
  const today = sql<string>`(${local})::date::text`;
  const lastWeekDay = sql<string>`((${local})::date - 7)::text`;
  // The same wall-clock time a week ago (DST-safe: 7 calendar days back on the local clock).
  const lastWeekNow = sql`((${local} - interval '7 days') at time zone ${zone})`;
  const result = await sql<{ id: string; name: string; time_zone: string; currency: string; today: string; last_week_day: string; today_figures: FigureRow; last_week_figures: FigureRow; open_tickets: number }>`
    select l.id, l.name, l.time_zone, l.currency, ${today} as today, ${lastWeekDay} as last_week_day,
      (select row_to_json(t) from (select ${figureColumns} from ${countedOrders(locationId, { start: rangeStart(locationId, today), end: rangeEnd(locationId, today) })} f where f.placed_at <= ${now}::timestamptz) t) as today_figures,
      (select row_to_json(t) from (select ${figureColumns} from ${countedOrders(locationId, { start: rangeStart(locationId, lastWeekDay), end: rangeEnd(locationId, lastWeekDay) })} f where f.placed_at <= ${lastWeekNow}) t) as last_week_figures,
      (select count(*)::int from orders o where o.location_id = l.id and o.status in ('placed', 'preparing', 'ready')) as open_tickets
    from locations l where l.id = ${locationId}`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('the location was checked by the procedure builder');
  return {
    location: { id: row.id, name: row.name, timeZone: row.time_zone, currency: row.currency },
    today: row.today,
    lastWeekDay: row.last_week_day,
    todaySoFar: toFigures(row.today_figures),
    lastWeekSoFar: toFigures(row.last_week_figures),
    openTickets: row.open_tickets,
  };
}

/** `reports.overview`: the dashboard of one location, for its manager (or an admin). */
export const overviewProcedure = managerProcedure.input(overviewInput).query(({ ctx }) => overview(ctx.db, ctx.locationId, ctx.now()));
