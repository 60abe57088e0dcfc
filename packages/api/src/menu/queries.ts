import { sql, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import { nameStatement, type DB } from '@bistro/db';
import { closuresSince, MAX_OPTION_GROUP_DEPTH } from '@bistro/domain';

/** Option groups nest this deep: item → group → option → group → option → group → option. */
export const MAX_OPTION_DEPTH = MAX_OPTION_GROUP_DEPTH;

export type UnavailableReason = 'eightySixed' | 'outOfStock';

export interface MenuOptionRow {
  id: string;
  name: string;
  priceDeltaMinor: number;
  isDefault: boolean;
  available: boolean;
  unavailableReason: UnavailableReason | null;
  /** Choices this option opens (e.g. "Fries" → "Fries size"). */
  optionGroups: MenuOptionGroupRow[];
}

export interface MenuOptionGroupRow {
  id: string;
  name: string;
  minSelections: number;
  maxSelections: number;
  options: MenuOptionRow[];
}

export interface MenuItemRow {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  allergens: string[];
  photoKey: string | null;
  available: boolean;
  unavailableReason: UnavailableReason | null;
  optionGroups: MenuOptionGroupRow[];
}

export interface MenuRow {
  id: string;
  slug: string;
  name: string;
  address: string;
  timeZone: string;
  currency: string;
  taxRateBp: number;
  acceptingOrders: boolean;
  menuVersion: number;
  openingHours: { weekday: number; opensAt: number; closesAt: number }[];
  /** Closure days ('YYYY-MM-DD') from `closuresSince(now)` on: yesterday's can still shut a late night. */
  closures: string[];
  categories: { id: string; name: string; description: string; items: MenuItemRow[] }[];
}

/**
 * Which items and options open a choice (`parents`): the others skip the option-group lookup.
 * Availability as the menu statement reads it, each computed ONCE per call (a CTE of its own),
 * never per item or option: the recipes that cannot be made from what is on hand (`short`, from
 * the location's ingredients through their recipe lines), and the items held back by a required
 * choice (`blocked`: a group with min ≥ 1 that has fewer available options than it requires).
 * Items and options then test membership (`= any(…)`), so the statement grows linearly with
 * the menu and its cost estimate stays far below the JIT thresholds.
 */
const availabilityCtes = sql`
  parents as (
    select coalesce(array_agg(distinct g.item_id) filter (where g.item_id is not null), '{}') as items,
      coalesce(array_agg(distinct g.parent_option_id) filter (where g.parent_option_id is not null), '{}') as options
    from loc join option_groups g on g.location_id = loc.id and g.archived_at is null),
  short as (
    select coalesce(array_agg(distinct r.item_id) filter (where r.item_id is not null), '{}') as items,
      coalesce(array_agg(distinct r.option_id) filter (where r.option_id is not null), '{}') as options
    from loc join ingredients n on n.location_id = loc.id join recipe_lines r on r.ingredient_id = n.id
    where n.on_hand < r.quantity),
  blocked as (
    select coalesce(array_agg(distinct g.item_id), '{}') as items
    from loc join menu_items i on i.location_id = loc.id
      join option_groups g on g.item_id = i.id and g.archived_at is null and g.min_selections > 0
      cross join short
    where i.archived_at is null and g.min_selections > (
      select count(*) from options o where o.option_group_id = g.id and o.archived_at is null
        and not o.eighty_sixed and not o.id = any(short.options)))`;

/** The option groups hanging off `parent` (an item or an option), with their options, nested. */
function optionGroups(parentColumn: 'item_id' | 'parent_option_id', parentRef: RawBuilder<unknown>, depth: number): RawBuilder<unknown> {
  const nested =
    depth < MAX_OPTION_DEPTH
      ? sql`case when o.id = any(parents.options) then ${optionGroups('parent_option_id', sql.ref('o.id'), depth + 1)} else '[]'::json end`
      : sql`'[]'::json`;
  return sql`(select coalesce(json_agg(g_json order by g_sort, g_id), '[]'::json) from (
    select g.sort_order as g_sort, g.id as g_id, json_build_object(
      'id', g.id, 'name', g.name, 'minSelections', g.min_selections, 'maxSelections', g.max_selections,
      'options', (select coalesce(json_agg(json_build_object(
          'id', o.id, 'name', o.name, 'priceDeltaMinor', o.price_delta_minor, 'isDefault', o.is_default,
          'available', oa.reason is null,
          'unavailableReason', oa.reason,
          'optionGroups', ${nested}
        ) order by o.sort_order, o.id), '[]'::json)
        from options o cross join lateral (select case when o.eighty_sixed then 'eightySixed'
                                                       when o.id = any(short.options) then 'outOfStock' end as reason) oa
        where o.option_group_id = g.id and o.archived_at is null)
    ) as g_json
    from option_groups g where g.${sql.ref(parentColumn)} = ${parentRef} and g.archived_at is null
  ) groups)`;
}

/**
 * The whole public menu of one location in ONE statement, built as JSON by PostgreSQL:
 * location → categories → items → option groups → options (→ option groups …), archived
 * things left out, each level in its sort order, with availability from 86 flags and stock.
 * Written as SQL rather than with the query builder because the nesting is recursive.
 * Its parameters are the slug, then the first closure day.
 */
export function menuQuery(db: Kysely<DB>, locationSlug: string, closuresFrom: string) {
  const query = sql<MenuRow>`
    with loc as (select * from locations where slug = ${locationSlug}),
    ${availabilityCtes}
    select l.id, l.slug, l.name, l.address, l.time_zone as "timeZone", l.currency, l.tax_rate_bp as "taxRateBp",
      l.accepting_orders as "acceptingOrders", l.menu_version as "menuVersion",
      (select coalesce(json_agg(json_build_object('weekday', h.weekday, 'opensAt', h.opens_at, 'closesAt', h.closes_at)
        order by h.weekday, h.opens_at), '[]'::json) from opening_hours h where h.location_id = l.id) as "openingHours",
      (select coalesce(json_agg(to_char(c.date, 'YYYY-MM-DD') order by c.date), '[]'::json)
        from location_closures c where c.location_id = l.id and c.date >= ${closuresFrom}::date) as closures,
      (select coalesce(json_agg(json_build_object(
          'id', c.id, 'name', c.name, 'description', c.description,
          'items', (select coalesce(json_agg(json_build_object(
              'id', i.id, 'name', i.name, 'description', i.description, 'priceMinor', i.price_minor,
              'allergens', i.allergens, 'photoKey', i.photo_key,
              'available', ia.reason is null,
              'unavailableReason', ia.reason,
              'optionGroups', case when i.id = any(parents.items) then ${optionGroups('item_id', sql.ref('i.id'), 1)} else '[]'::json end
            ) order by i.sort_order, i.id), '[]'::json)
            from menu_items i cross join lateral (select case when i.eighty_sixed then 'eightySixed'
                                                              when i.id = any(short.items) or i.id = any(blocked.items) then 'outOfStock' end as reason) ia
            where i.category_id = c.id and i.archived_at is null)
        ) order by c.sort_order, c.id), '[]'::json)
        from menu_categories c where c.location_id = l.id and c.archived_at is null) as categories
    from loc l cross join parents cross join short cross join blocked`;
  return { compile: (): CompiledQuery<MenuRow> => query.compile(db) };
}

// The statement is long; its only parameters are the slug and the first closure day, so it is
// compiled once per Kysely instance and run with each request's values.
const compiledMenu = new WeakMap<Kysely<DB>, CompiledQuery<MenuRow>>();

/** Runs the menu query for one location; undefined when no location has that slug. */
export async function fetchMenu(db: Kysely<DB>, locationSlug: string, now: Date): Promise<MenuRow | undefined> {
  const since = closuresSince(now);
  let compiled = compiledMenu.get(db);
  if (!compiled) {
    compiled = menuQuery(db, locationSlug, since).compile();
    if (compiled.parameters.length !== 2 || compiled.parameters[0] !== locationSlug || compiled.parameters[1] !== since) {
      throw new Error('menuQuery must take the slug and the first closure day as its only parameters');
    }
    compiledMenu.set(db, compiled);
    // Planned once per connection rather than on every call (see nameStatement).
    nameStatement(compiled.sql);
  }
  const { rows } = await db.executeQuery<MenuRow>({ ...compiled, parameters: [locationSlug, since] });
  return rows[0];
}
