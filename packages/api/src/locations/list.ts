import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import { isOpenAt } from '@bistro/domain';
import { publicProcedure } from '../trpc.js';

/** Every location with its opening hours, by name, in one statement. */
export function locationsListQuery(db: Kysely<DB>) {
  return db
    .selectFrom('locations as l')
    .select(['l.id', 'l.slug', 'l.name', 'l.time_zone as timeZone', 'l.currency'])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('opening_hours as h')
          .whereRef('h.location_id', '=', 'l.id')
          .select(['h.weekday', 'h.opens_at as opensAt', 'h.closes_at as closesAt']),
      ).as('openingHours'),
    )
    .orderBy('l.name')
    .orderBy('l.id');
}

/** Every location, by name, with whether it is open now on its own wall clock. */
export const list = publicProcedure.query(async ({ ctx }) => {
  const rows = await locationsListQuery(ctx.db).execute();
  const now = ctx.now();
  return rows.map(({ openingHours, ...location }) => ({ ...location, isOpenNow: isOpenAt(openingHours, location.timeZone, now) }));
});
