import type { CompiledQuery, InferResult, Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';

/**
 * The whole public menu of one location (location → categories → items → option groups →
 * options, archived things left out, each level in its sort order) in ONE statement, built
 * as JSON by PostgreSQL.
 */
export function menuQuery(db: Kysely<DB>, locationSlug: string) {
  return db
    .selectFrom('locations as l')
    .where('l.slug', '=', locationSlug)
    .select([
      'l.id',
      'l.slug',
      'l.name',
      'l.time_zone as timeZone',
      'l.currency',
      'l.tax_rate_bp as taxRateBp',
      'l.accepting_orders as acceptingOrders',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('opening_hours as h')
          .whereRef('h.location_id', '=', 'l.id')
          .select(['h.weekday', 'h.opens_at as opensAt', 'h.closes_at as closesAt'])
          .orderBy('h.weekday')
          .orderBy('h.opens_at'),
      ).as('openingHours'),
      jsonArrayFrom(
        eb
          .selectFrom('menu_categories as c')
          .whereRef('c.location_id', '=', 'l.id')
          .where('c.archived_at', 'is', null)
          .select(['c.id', 'c.name', 'c.description'])
          .select((eb) =>
            jsonArrayFrom(
              eb
                .selectFrom('menu_items as i')
                .whereRef('i.category_id', '=', 'c.id')
                .where('i.archived_at', 'is', null)
                .select(['i.id', 'i.name', 'i.description', 'i.price_minor as priceMinor', 'i.allergens'])
                .select((eb) =>
                  jsonArrayFrom(
                    eb
                      .selectFrom('option_groups as g')
                      .whereRef('g.item_id', '=', 'i.id')
                      .where('g.archived_at', 'is', null)
                      .select(['g.id', 'g.name', 'g.min_selections as minSelections', 'g.max_selections as maxSelections'])
                      .select((eb) =>
                        jsonArrayFrom(
                          eb
                            .selectFrom('options as o')
                            .whereRef('o.option_group_id', '=', 'g.id')
                            .where('o.archived_at', 'is', null)
                            .select(['o.id', 'o.name', 'o.price_delta_minor as priceDeltaMinor', 'o.is_default as isDefault'])
                            .orderBy('o.sort_order')
                            .orderBy('o.id'),
                        ).as('options'),
                      )
                      .orderBy('g.sort_order')
                      .orderBy('g.id'),
                  ).as('optionGroups'),
                )
                .orderBy('i.sort_order')
                .orderBy('i.id'),
            ).as('items'),
          )
          .orderBy('c.sort_order')
          .orderBy('c.id'),
      ).as('categories'),
    ]);
}

export type MenuRow = InferResult<ReturnType<typeof menuQuery>>[number];

// Building and compiling the nested query costs more than running it; its only parameter is
// the slug, so it is compiled once per Kysely instance and run with each request's slug.
const compiledMenu = new WeakMap<Kysely<DB>, CompiledQuery<MenuRow>>();

/** Runs the menu query for one location; undefined when no location has that slug. */
export async function fetchMenu(db: Kysely<DB>, locationSlug: string): Promise<MenuRow | undefined> {
  let compiled = compiledMenu.get(db);
  if (!compiled) {
    compiled = menuQuery(db, locationSlug).compile();
    if (compiled.parameters.length !== 1 || compiled.parameters[0] !== locationSlug) {
      throw new Error('menuQuery must take the slug as its only parameter');
    }
    compiledMenu.set(db, compiled);
  }
  const { rows } = await db.executeQuery<MenuRow>({ ...compiled, parameters: [locationSlug] });
  return rows[0];
}
