import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { IngredientUnit } from '@bistro/domain';

/** Opening ranges as [ISO weekday, opens at minute, closes at minute] (closes past 1440 runs past midnight). */
export type Hours = [number, number, number][];

/** Mon–Fri 08:00–22:00, Saturday 18:00–02:00, closed on Sunday. */
export const WEEK_HOURS: Hours = [
  [1, 480, 1320],
  [2, 480, 1320],
  [3, 480, 1320],
  [4, 480, 1320],
  [5, 480, 1320],
  [6, 1080, 1560],
];
export const ALWAYS_OPEN: Hours = [1, 2, 3, 4, 5, 6, 7].map((d) => [d, 0, 1440]);

export interface OrderingFixture {
  locationId: string;
  slug: string;
  items: { burger: string; soup: string; fries: string; stew: string; chili: string; pie: string };
  options: { rare: string; medium: string; well: string; cheese: string; bacon: string; crispy: string; smoky: string };
  ingredients: { patty: string; cheese: string; bacon: string; soup: string; potato: string; beans: string };
}

let counter = 0;

/**
 * A location with a small menu whose recipes use stock:
 * - Burger 12.50 (1 patty): Doneness exactly 1 of Rare/Medium/Well; Extras 0–2 of Cheese +1.00
 *   (1 slice) and Bacon +1.50 (1 rasher), Bacon opening "Bacon style" exactly 1 of Crispy/Smoky +0.30
 * - Soup 6.50 (1 portion), Fries 4.00 (200 g potato), Stew 9.00 and Chili 8.50 (2 and 1 portions of beans)
 * - Pie, archived.
 * Tax 10 % unless told otherwise; capacity high enough that only capacity tests meet it.
 */
export async function orderingLocation(
  db: Kysely<DB>,
  options: {
    timeZone?: string;
    hours?: Hours;
    closures?: string[];
    taxRateBp?: number;
    prepMinutes?: number;
    slotCapacity?: number;
    prefix?: string;
    stock?: Partial<Record<keyof OrderingFixture['ingredients'], number>>;
  } = {},
): Promise<OrderingFixture> {
  counter += 1;
  const slug = `kitchen-${counter}-${Date.now().toString(36)}`;
  const location = await db
    .insertInto('locations')
    .values({
      slug,
      name: `Kitchen ${counter}`,
      time_zone: options.timeZone ?? 'Europe/Paris',
      currency: 'EUR',
      tax_rate_bp: options.taxRateBp ?? 1000,
      prep_minutes: options.prepMinutes ?? 20,
      slot_capacity: options.slotCapacity ?? 1000,
      order_prefix: options.prefix ?? 'A',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const locationId = location.id;
  const hours = options.hours ?? WEEK_HOURS;
  await db
    .insertInto('opening_hours')
    .values(hours.map(([weekday, opens_at, closes_at]) => ({ location_id: locationId, weekday, opens_at, closes_at })))
    .execute();
  if (options.closures?.length) {
    await db.insertInto('location_closures').values(options.closures.map((date) => ({ location_id: locationId, date }))).execute();
  }

  const category = async (name: string, sort: number) =>
    (await db.insertInto('menu_categories').values({ location_id: locationId, name, sort_order: sort }).returning('id').executeTakeFirstOrThrow()).id;
  const mains = await category('Mains', 1);
  const sides = await category('Sides', 2);
  const item = async (category_id: string, name: string, price_minor: number, archived = false) =>
    (
      await db
        .insertInto('menu_items')
        .values({ location_id: locationId, category_id, name, price_minor, archived_at: archived ? new Date() : null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const burger = await item(mains, 'Burger', 1250);
  const soup = await item(mains, 'Soup', 650);
  const stew = await item(mains, 'Stew', 900);
  const chili = await item(mains, 'Chili', 850);
  const pie = await item(mains, 'Pie', 500, true);
  const fries = await item(sides, 'Fries', 400);

  const group = async (parent: { item_id: string } | { parent_option_id: string }, name: string, min: number, max: number, sort: number) =>
    (
      await db
        .insertInto('option_groups')
        .values({ location_id: locationId, ...parent, name, min_selections: min, max_selections: max, sort_order: sort })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const option = async (option_group_id: string, name: string, price_delta_minor: number, sort: number) =>
    (await db.insertInto('options').values({ option_group_id, name, price_delta_minor, sort_order: sort }).returning('id').executeTakeFirstOrThrow()).id;
  const doneness = await group({ item_id: burger }, 'Doneness', 1, 1, 1);
  const rare = await option(doneness, 'Rare', 0, 1);
  const medium = await option(doneness, 'Medium', 0, 2);
  const well = await option(doneness, 'Well done', 0, 3);
  const extras = await group({ item_id: burger }, 'Extras', 0, 2, 2);
  const cheese = await option(extras, 'Cheese', 100, 1);
  const bacon = await option(extras, 'Bacon', 150, 2);
  const style = await group({ parent_option_id: bacon }, 'Bacon style', 1, 1, 1);
  const crispy = await option(style, 'Crispy', 0, 1);
  const smoky = await option(style, 'Smoky', 30, 2);

  const stock = { patty: 1000, cheese: 1000, bacon: 1000, soup: 1000, potato: 100_000, beans: 1000, ...options.stock };
  const ingredient = async (name: string, unit: IngredientUnit, on_hand: number) =>
    (await db.insertInto('ingredients').values({ location_id: locationId, name, unit, on_hand }).returning('id').executeTakeFirstOrThrow()).id;
  const ingredients = {
    patty: await ingredient('Patty', 'piece', stock.patty),
    cheese: await ingredient('Cheese slice', 'piece', stock.cheese),
    bacon: await ingredient('Bacon rasher', 'piece', stock.bacon),
    soup: await ingredient('Soup portion', 'piece', stock.soup),
    potato: await ingredient('Potato', 'g', stock.potato),
    beans: await ingredient('Beans portion', 'piece', stock.beans),
  };
  const recipe = (owner: { item_id: string } | { option_id: string }, ingredient_id: string, quantity: number) => ({
    location_id: locationId,
    item_id: null,
    option_id: null,
    ...owner,
    ingredient_id,
    quantity,
  });
  await db
    .insertInto('recipe_lines')
    .values([
      recipe({ item_id: burger }, ingredients.patty, 1),
      recipe({ option_id: cheese }, ingredients.cheese, 1),
      recipe({ option_id: bacon }, ingredients.bacon, 1),
      recipe({ item_id: soup }, ingredients.soup, 1),
      recipe({ item_id: fries }, ingredients.potato, 200),
      recipe({ item_id: stew }, ingredients.beans, 2),
      recipe({ item_id: chili }, ingredients.beans, 1),
    ])
    .execute();

  return {
    locationId,
    slug,
    items: { burger, soup, fries, stew, chili, pie },
    options: { rare, medium, well, cheese, bacon, crispy, smoky },
    ingredients,
  };
}

/** What an order leaves behind anywhere in the database: a refused order must change none of it. */
export async function footprint(db: Kysely<DB>, locationId: string) {
  const count = async (table: 'orders' | 'order_events' | 'order_history' | 'order_lines' | 'stock_movements' | 'idempotency_keys' | 'order_numbers') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const stock = await db.selectFrom('ingredients').select(['name', 'on_hand']).where('location_id', '=', locationId).orderBy('name').execute();
  return {
    orders: await count('orders'),
    lines: await count('order_lines'),
    history: await count('order_history'),
    events: await count('order_events'),
    movements: await count('stock_movements'),
    keys: await count('idempotency_keys'),
    numbers: await count('order_numbers'),
    stock: Object.fromEntries(stock.map((s) => [s.name, s.on_hand])),
  };
}
