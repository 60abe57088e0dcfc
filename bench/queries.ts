import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely';
import { locationsListQuery, menuQuery } from '@bistro/api';
import { closuresSince } from '@bistro/domain';
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
  return menuQuery(compiler, locationSlug, closuresSince(new Date())).compile();
}

/** The exact statement Bistro's `locations.list` runs. */
export function locationsSql(): CompiledQuery {
  return locationsListQuery(compiler, new Date()).compile();
}
