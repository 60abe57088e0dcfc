import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { menuQuery } from '@bistro/api';
import type { DB } from '@bistro/db';

/** A Kysely that only compiles (no connection): the baseline runs the SQL on a raw pg pool. */
const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The exact statement Bistro's `menu.get` runs. */
export function menuSql(locationSlug: string): CompiledQuery {
  return menuQuery(compiler, locationSlug).compile();
}

/**
 * The statement Bistro's `locations.list` runs. A COPY of the builder in
 * packages/api/src/locations/list.ts (it is not exported); keep the two in step, or better,
 * export it from @bistro/api like `menuQuery`. run.ts compares both servers' answers byte for
 * byte, so a drift shows up as a failed run.
 */
export function locationsSql(): CompiledQuery {
  return compiler
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
    .orderBy('l.id')
    .compile();
}
