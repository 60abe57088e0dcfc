import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@bistro/db';
import { allDayLocation } from '@bistro/db/testing';
import { bistroErrorCode, createBistroClient } from '@bistro/client';
import { fetchFrom, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ BISTRO_DATA_KEYS: `race:${randomBytes(32).toString('base64')}` });
});
afterAll(() => s?.close());

let clients = 0;
/** A guest's client, from an address of its own (guests are throttled per IP). */
function guestClient() {
  clients += 1;
  return createBistroClient({ url: s.url, fetch: fetchFrom(`127.0.${1 + (clients >> 8)}.${clients & 255}`) });
}

/** A location open around the clock with a soup, and a stew and a chili that share the beans. */
async function raceKitchen(db: Kysely<DB>, stock: { soup: number; beans: number }) {
  const { locationId, slug, item: priced } = await allDayLocation(db, { slug: `race-${randomUUID().slice(0, 8)}`, name: 'Race kitchen' });
  const item = (name: string) => priced(name, 900);
  const ingredient = async (name: string, on_hand: number) =>
    (await db.insertInto('ingredients').values({ location_id: locationId, name, unit: 'piece', on_hand }).returning('id').executeTakeFirstOrThrow()).id;
  const items = { soup: await item('Last soup'), stew: await item('Stew'), chili: await item('Chili') };
  const ingredients = { soup: await ingredient('Soup portion', stock.soup), beans: await ingredient('Beans portion', stock.beans) };
  await db
    .insertInto('recipe_lines')
    .values([
      { location_id: locationId, item_id: items.soup, ingredient_id: ingredients.soup, quantity: 1 },
      { location_id: locationId, item_id: items.stew, ingredient_id: ingredients.beans, quantity: 1 },
      { location_id: locationId, item_id: items.chili, ingredient_id: ingredients.beans, quantity: 1 },
    ])
    .execute();
  return { locationId, slug, items, ingredients };
}

function pickup(slug: string, itemId: string, idempotencyKey = randomUUID()) {
  return { locationSlug: slug, type: 'pickup' as const, lines: [{ itemId, quantity: 1, options: [] }], contact: { name: 'Racing Guest', phone: '+33 1 23 45 67 89' }, idempotencyKey };
}

async function settle<T>(calls: Promise<T>[]) {
  const results = await Promise.allSettled(calls);
  return {
    placed: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    refused: results.flatMap((r) => (r.status === 'rejected' ? [{ code: bistroErrorCode(r.reason), message: (r.reason as Error).message }] : [])),
  };
}

async function onHand(ingredientId: string) {
  return (await s.tdb.db.selectFrom('ingredients').select('on_hand').where('id', '=', ingredientId).executeTakeFirstOrThrow()).on_hand;
}

async function ordersAt(locationId: string) {
  return s.tdb.db.selectFrom('orders').select(['id', 'number']).where('location_id', '=', locationId).execute();
}

describe('orders.place through @bistro/client under contention', () => {
  it('sells the last 5 portions to exactly 5 of 50 racing guests; the other 45 are told SOLD_OUT naming the item', async () => {
    const kitchen = await raceKitchen(s.tdb.db, { soup: 5, beans: 0 });
    const { placed, refused } = await settle(Array.from({ length: 50 }, () => guestClient().orders.place.mutate(pickup(kitchen.slug, kitchen.items.soup))));
    expect(placed).toHaveLength(5);
    expect(refused).toHaveLength(45);
    expect(refused.every((r) => r.code === 'SOLD_OUT' && r.message.includes('Last soup'))).toBe(true);
    expect(await onHand(kitchen.ingredients.soup)).toBe(0);
    const orders = await ordersAt(kitchen.locationId);
    expect(orders.map((o) => o.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    const sold = await s.tdb.db.selectFrom('stock_movements').select((eb) => eb.fn.sum<number>('delta').as('sold')).where('ingredient_id', '=', kitchen.ingredients.soup).executeTakeFirstOrThrow();
    expect(Number(sold.sold)).toBe(-5);
    // Sold out on the menu now, from the stock.
    const menu = await guestClient().menu.get.query({ locationSlug: kitchen.slug });
    expect(menu.categories[0]!.items.find((i) => i.name === 'Last soup')).toMatchObject({ available: false, unavailableReason: 'outOfStock' });
  });

  it('sells 5 portions of a shared ingredient across two items to exactly 5 of 50 guests', async () => {
    const kitchen = await raceKitchen(s.tdb.db, { soup: 0, beans: 5 });
    const { placed, refused } = await settle(
      Array.from({ length: 50 }, (_, i) => {
        const itemId = i % 2 ? kitchen.items.stew : kitchen.items.chili;
        return guestClient().orders.place.mutate(pickup(kitchen.slug, itemId));
      }),
    );
    expect(placed).toHaveLength(5);
    expect(refused).toHaveLength(45);
    expect(refused.every((r) => r.code === 'SOLD_OUT' && /Stew|Chili/.test(r.message))).toBe(true);
    expect(await onHand(kitchen.ingredients.beans)).toBe(0);
    expect(await ordersAt(kitchen.locationId)).toHaveLength(5);
  });

  it('answers 20 concurrent submits with one idempotency key with one order and 20 identical answers', async () => {
    const kitchen = await raceKitchen(s.tdb.db, { soup: 10, beans: 0 });
    const input = pickup(kitchen.slug, kitchen.items.soup);
    const { placed, refused } = await settle(Array.from({ length: 20 }, () => guestClient().orders.place.mutate(input)));
    expect(refused).toEqual([]);
    expect(new Set(placed.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(await ordersAt(kitchen.locationId)).toEqual([{ id: placed[0]!.id, number: 1 }]);
    expect(await onHand(kitchen.ingredients.soup)).toBe(9);

    // The same key with another cart is refused, and places nothing.
    const reused = await settle([guestClient().orders.place.mutate({ ...input, lines: [{ itemId: kitchen.items.soup, quantity: 2, options: [] }] })]);
    expect(reused.refused.map((r) => r.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersAt(kitchen.locationId)).toHaveLength(1);
    expect(await onHand(kitchen.ingredients.soup)).toBe(9);
  });

  it('refuses a price sent by the client as an unknown key', async () => {
    const kitchen = await raceKitchen(s.tdb.db, { soup: 10, beans: 0 });
    // @ts-expect-error: a client can't even type a total
    const { refused } = await settle([guestClient().orders.place.mutate({ ...pickup(kitchen.slug, kitchen.items.soup), totalMinor: 1 })]);
    expect(refused.map((r) => r.code)).toEqual(['INVALID_INPUT']);
    expect(await ordersAt(kitchen.locationId)).toEqual([]);
  });
});
