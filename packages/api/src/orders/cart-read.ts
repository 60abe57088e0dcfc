import { sql, type RawBuilder } from 'kysely';
import type { CartLine, PricedLine, PricingGroup, PricingItem, PricingOption } from '@bistro/domain';

/** One recipe line touching an ingredient the cart needs, with that ingredient's stock as read. */
export interface RecipeUse {
  itemId: string | null;
  optionId: string | null;
  ingredientId: string;
  quantity: number;
  onHand: number;
}

interface ItemRow { id: string; name: string; priceMinor: number; eightySixed: boolean }
interface GroupRow { id: string; itemId: string | null; parentOptionId: string | null; name: string; min: number; max: number }
interface OptionRow { id: string; groupId: string; name: string; priceDeltaMinor: number; eightySixed: boolean }

/** The items, option groups and options a cart can touch, as one row of JSON columns. */
export interface CartRow {
  items: ItemRow[];
  groups: GroupRow[];
  options: OptionRow[];
  recipes: RecipeUse[];
}

/**
 * What pricing one cart needs and nothing more, in ONE small statement (not the whole menu):
 * the cart's items that are on this location's menu (not archived, nor in an archived
 * category), the option groups on them and on the chosen options, those groups' options, and
 * every recipe line of the ingredients they use (with stock on hand) — for availability as the
 * menu computes it, for the stock to take, and to tell whether taking it changes the menu.
 */
export function cartQuery(locationId: RawBuilder<unknown> | string, lines: readonly CartLine[]): RawBuilder<CartRow> {
  const itemIds = [...new Set(lines.map((l) => l.itemId))];
  const optionIds = [...new Set(lines.flatMap((l) => l.options))];
  return sql<CartRow>`
    with items as (
      select i.id, i.name, i.price_minor, i.eighty_sixed from menu_items i
      join menu_categories c on c.id = i.category_id and c.location_id = ${locationId} and c.archived_at is null
      where i.id = any(${itemIds}::uuid[]) and i.location_id = ${locationId} and i.archived_at is null
    ), groups as (
      select g.id, g.item_id, g.parent_option_id, g.name, g.min_selections, g.max_selections, g.sort_order from option_groups g
      where g.location_id = ${locationId} and g.archived_at is null and (g.item_id in (select id from items) or g.parent_option_id = any(${optionIds}::uuid[]))
    ), opts as (
      select o.id, o.option_group_id, o.name, o.price_delta_minor, o.eighty_sixed, o.sort_order, g.sort_order as group_sort from options o
      join groups g on g.id = o.option_group_id
      where o.archived_at is null
    ), used as (
      select distinct r.ingredient_id from recipe_lines r where r.item_id in (select id from items) or r.option_id in (select id from opts)
    )
    select
      (select coalesce(json_agg(json_build_object('id', id, 'name', name, 'priceMinor', price_minor, 'eightySixed', eighty_sixed)), '[]') from items) as items,
      (select coalesce(json_agg(json_build_object('id', id, 'itemId', item_id, 'parentOptionId', parent_option_id, 'name', name,
        'min', min_selections, 'max', max_selections) order by sort_order, id), '[]') from groups) as groups,
      (select coalesce(json_agg(json_build_object('id', id, 'groupId', option_group_id, 'name', name, 'priceDeltaMinor', price_delta_minor,
        'eightySixed', eighty_sixed) order by sort_order, id), '[]') from opts) as options,
      (select coalesce(json_agg(json_build_object('itemId', r.item_id, 'optionId', r.option_id, 'ingredientId', r.ingredient_id,
        'quantity', r.quantity, 'onHand', n.on_hand) order by r.ingredient_id), '[]')
        from recipe_lines r join ingredients n on n.id = r.ingredient_id where r.ingredient_id in (select ingredient_id from used)) as recipes`;
}

export interface CartForPricing {
  items: Map<string, PricingItem>;
  recipes: RecipeUse[];
}

/** The cart's part of the menu as `priceCart` takes it, with availability computed as menu.get computes it. */
export function cartForPricing(row: CartRow): CartForPricing {

  // Availability exactly as the menu states it: 86'd, or a recipe line needs more than is on hand.
  const short = (owner: 'itemId' | 'optionId', id: string) => row.recipes.some((r) => r[owner] === id && r.onHand < r.quantity);
  const options = new Map<string, PricingOption>();
  for (const o of row.options) {
    const reason = o.eightySixed ? 'eightySixed' : short('optionId', o.id) ? 'outOfStock' : null;
    options.set(o.id, { id: o.id, name: o.name, priceDeltaMinor: o.priceDeltaMinor, available: reason === null, unavailableReason: reason, optionGroups: [] });
  }
  const groupsOf = new Map<string, PricingGroup[]>();
  for (const g of row.groups) {
    const group: PricingGroup = {
      id: g.id,
      name: g.name,
      minSelections: g.min,
      maxSelections: g.max,
      options: row.options.filter((o) => o.groupId === g.id).map((o) => options.get(o.id)!),
    };
    const parent = g.itemId ?? g.parentOptionId!;
    groupsOf.set(parent, [...(groupsOf.get(parent) ?? []), group]);
  }
  for (const option of options.values()) option.optionGroups = groupsOf.get(option.id) ?? [];
  const items = new Map<string, PricingItem>();
  for (const i of row.items) {
    const optionGroups = groupsOf.get(i.id) ?? [];
    // A required choice with fewer available options than it requires makes the item unorderable.
    const choiceShort = optionGroups.some((g) => g.minSelections > g.options.filter((o) => o.available).length);
    const reason = i.eightySixed ? 'eightySixed' : short('itemId', i.id) || choiceShort ? 'outOfStock' : null;
    items.set(i.id, { id: i.id, name: i.name, priceMinor: i.priceMinor, available: reason === null, unavailableReason: reason, optionGroups });
  }
  return { items, recipes: row.recipes };
}

/** Stock to take for one ingredient: how much, the first thing in the cart needing it (for the refusal), and every portion size of a recipe using it. */
export interface StockNeed {
  ingredientId: string;
  amount: number;
  lineIndex: number;
  what: string;
  /** To tell when taking stock changes what the menu shows: on hand falls below one of these. */
  portions: number[];
}

/**
 * The stock a priced cart takes: every ingredient of every line and chosen option, summed,
 * always in ingredient-id order (two orders taking the same ingredients lock them in the same
 * order, so they can't deadlock).
 */
export function stockNeeded(lines: readonly PricedLine[], recipes: readonly RecipeUse[]): StockNeed[] {
  const portions = new Map<string, number[]>();
  for (const r of recipes) portions.set(r.ingredientId, [...(portions.get(r.ingredientId) ?? []), r.quantity]);
  const needs = new Map<string, { amount: number; lineIndex: number; what: string }>();
  const add = (ingredientId: string, amount: number, lineIndex: number, what: string) => {
    const need = needs.get(ingredientId);
    if (need) need.amount += amount;
    else needs.set(ingredientId, { amount, lineIndex, what });
  };
  for (const line of lines) {
    for (const r of recipes) if (r.itemId === line.itemId) add(r.ingredientId, r.quantity * line.quantity, line.lineIndex, `“${line.name}”`);
    for (const option of line.options) {
      for (const r of recipes) {
        if (r.optionId === option.optionId) add(r.ingredientId, r.quantity * line.quantity, line.lineIndex, `“${line.name}” with “${option.name}”`);
      }
    }
  }
  return [...needs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ingredientId, need]) => ({ ingredientId, ...need, portions: portions.get(ingredientId) ?? [] }));
}
