import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import { closuresSince, isOpenAt, nextOpeningAt } from '@bistro/domain';
import { locationsListOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';

/** Every location with its opening hours, by name, in one statement. */
export function locationsListQuery(db: Kysely<DB>, now: Date) {
  return db
    .selectFrom('locations as l')
    .select(['l.id', 'l.slug', 'l.name', 'l.address', 'l.time_zone as timeZone', 'l.currency'])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('opening_hours as h')
          .whereRef('h.location_id', '=', 'l.id')
          .select(['h.weekday', 'h.opens_at as opensAt', 'h.closes_at as closesAt']),
      ).as('openingHours'),
    )
    // Closure days from yesterday on (yesterday's can still shut a late night), by the request's clock.
    .select((eb) =>
      eb
        .selectFrom('location_closures as c')
        .whereRef('c.location_id', '=', 'l.id')
        .where('c.date', '>=', closuresSince(now))
        .select(sql<string[]>`coalesce(array_agg(to_char(c.date, 'YYYY-MM-DD')), '{}')`.as('days'))
        .as('closures'),
    )
    .orderBy('l.name')
    .orderBy('l.id');
}

/**
 * Every location, by name, with its address, its opening hours (minutes of its own wall clock,
 * ISO weekdays) and closure days (from yesterday on), whether it is open now there, and when it
 * opens next.
 */
export const list = publicProcedure
  .meta({ scope: 'any', openapi: { method: 'GET', path: '/locations', tags: ['locations'], protect: false, summary: 'Every location, with its hours, whether it is open now and when it opens next' } })
  .output(locationsListOutput)
  .query(async ({ ctx }) => {
  const now = ctx.now();
  const rows = await locationsListQuery(ctx.db, now).execute();
  return rows.map(({ openingHours, closures, ...location }) => {
    const nextOpensAt = nextOpeningAt(openingHours, location.timeZone, now, closures ?? []);
    return {
      ...location,
      openingHours: openingHours.map(({ weekday, opensAt, closesAt }) => ({ weekday, opensAt, closesAt })),
      closures: closures ?? [],
      isOpenNow: isOpenAt(openingHours, location.timeZone, now, closures ?? []),
      /** Now while open; else when it opens next (within eight days), or null. */
      nextOpensAt,
    };
  });
});
