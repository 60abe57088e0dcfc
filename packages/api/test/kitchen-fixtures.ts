import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';

/**
 * A location that is always open and takes orders at once (prep time 0), with two dishes whose
 * recipes use stock: Soup (1 soup portion) and Burger (1 patty) with an optional Cheese (+1.00,
 * 1 slice). Used by the lifecycle, kitchen and live tests (in-process and on the wire).
 */
export interface KitchenFixture {
  locationId: string;
  slug: string;
  items: { soup: string; burger: string };
  options: { cheese: string };
  ingredients: { soup: string; patty: string; cheese: string };
}

let counter = 0;

export async function kitchenLocation(db: Kysely<DB>, stock: { soup?: number; patty?: number; cheese?: number } = {}): Promise<KitchenFixture> {
  counter += 1;
  const slug = `lifecycle-${counter}-${Date.now().toString(36)}`;
  const { id: locationId } = await db
    .insertInto('locations')
    .values({ slug, name: `Lifecycle ${counter}`, time_zone: 'UTC', currency: 'EUR', tax_rate_bp: 1000, prep_minutes: 0, slot_capacity: 1000, order_prefix: 'K' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('opening_hours')
    .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ location_id: locationId, weekday, opens_at: 0, closes_at: 1440 })))
    .execute();
  const { id: categoryId } = await db.insertInto('menu_categories').values({ location_id: locationId, name: 'Kitchen' }).returning('id').executeTakeFirstOrThrow();
  const item = async (name: string, price_minor: number) =>
    (await db.insertInto('menu_items').values({ location_id: locationId, category_id: categoryId, name, price_minor }).returning('id').executeTakeFirstOrThrow()).id;
  const soup = await item('Soup', 650);
  const burger = await item('Burger', 1250);
  const { id: extras } = await db
    .insertInto('option_groups')
    .values({ location_id: locationId, item_id: burger, name: 'Extras', min_selections: 0, max_selections: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { id: cheese } = await db.insertInto('options').values({ option_group_id: extras, name: 'Cheese', price_delta_minor: 100 }).returning('id').executeTakeFirstOrThrow();
  const ingredient = async (name: string, on_hand: number) =>
    (await db.insertInto('ingredients').values({ location_id: locationId, name, unit: 'piece', on_hand }).returning('id').executeTakeFirstOrThrow()).id;
  const ingredients = {
    soup: await ingredient('Soup portion', stock.soup ?? 1000),
    patty: await ingredient('Patty', stock.patty ?? 1000),
    cheese: await ingredient('Cheese slice', stock.cheese ?? 1000),
  };
  await db
    .insertInto('recipe_lines')
    .values([
      { location_id: locationId, item_id: soup, option_id: null, ingredient_id: ingredients.soup, quantity: 1 },
      { location_id: locationId, item_id: burger, option_id: null, ingredient_id: ingredients.patty, quantity: 1 },
      { location_id: locationId, item_id: null, option_id: cheese, ingredient_id: ingredients.cheese, quantity: 1 },
    ])
    .execute();
  return { locationId, slug, items: { soup, burger }, options: { cheese }, ingredients };
}

/** An `orders.place` input: two soups and a cheeseburger for pickup, with a phone and an email. */
export function pickupOrder(
  fixture: KitchenFixture,
  overrides: { name?: string; wantedAt?: Date; note?: string } = {},
) {
  return {
    locationSlug: fixture.slug,
    type: 'pickup' as const,
    ...(overrides.wantedAt ? { wantedAt: overrides.wantedAt } : {}),
    lines: [
      { itemId: fixture.items.soup, quantity: 2, options: [], ...(overrides.note ? { note: overrides.note } : {}) },
      { itemId: fixture.items.burger, quantity: 1, options: [fixture.options.cheese] },
    ],
    contact: { name: overrides.name ?? 'Ana Lima Costa', phone: '+351 912 345 678', email: 'ana.costa@example.test' },
    idempotencyKey: randomUUID(),
  };
}

/** The order's row and what it left in the history, events and ledger: a refused change must leave all of it as it was. */
export async function orderFootprint(db: Kysely<DB>, orderId: string, locationId: string) {
  const order = await db.selectFrom('orders').select(['status', 'updated_at']).where('id', '=', orderId).executeTakeFirstOrThrow();
  const count = async (table: 'order_history' | 'order_events' | 'stock_movements') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('order_id', '=', orderId).executeTakeFirstOrThrow()).n);
  const stock = await db.selectFrom('ingredients').select(['name', 'on_hand']).where('location_id', '=', locationId).orderBy('name').execute();
  return {
    status: order.status,
    updatedAt: order.updated_at.toISOString(),
    history: await count('order_history'),
    events: await count('order_events'),
    movements: await count('stock_movements'),
    stock: Object.fromEntries(stock.map((s) => [s.name, s.on_hand])),
  };
}

/** Stock on hand by ingredient name. */
export async function stockOf(db: Kysely<DB>, locationId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('ingredients').select(['name', 'on_hand']).where('location_id', '=', locationId).orderBy('name').execute();
  return Object.fromEntries(rows.map((r) => [r.name, r.on_hand]));
}
