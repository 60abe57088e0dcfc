import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { InProcessBus, MenuCache } from '../src/index.js';
import { menuChanged, touchMenu } from '../src/menu/version.js';
import { callerFor, testServices } from './helpers.js';

let tdb: TestDatabase;
let locationId: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  locationId = (await tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bistro-centrale').executeTakeFirstOrThrow()).id;
});
afterAll(() => tdb?.drop());

async function item(name: string) {
  return tdb.db.selectFrom('menu_items').select(['id']).where('location_id', '=', locationId).where('name', '=', name).executeTakeFirstOrThrow();
}

async function menuItem(name: string, services = testServices()) {
  const menu = await callerFor(tdb.db, { services }).menu.get({ locationSlug: 'bistro-centrale' });
  return menu.categories.flatMap((c) => c.items).find((i) => i.name === name)!;
}

async function ingredient(name: string, onHand: number) {
  const row = await tdb.db
    .insertInto('ingredients')
    .values({ location_id: locationId, name, unit: 'g', on_hand: onHand })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('menu.get availability', () => {
  it('shows an item 86’d by hand as unavailable with the reason', async () => {
    const soup = await item('French onion soup');
    expect(await menuItem('French onion soup')).toMatchObject({ available: true, unavailableReason: null });
    await tdb.db.updateTable('menu_items').set({ eighty_sixed: true }).where('id', '=', soup.id).execute();
    expect(await menuItem('French onion soup')).toMatchObject({ available: false, unavailableReason: 'eightySixed' });
  });

  it('86s an item on its own when stock falls below one portion, and brings it back when stock returns', async () => {
    const burrata = await item('Burrata');
    const cheese = await ingredient('Burrata cheese', 125);
    await tdb.db.insertInto('recipe_lines').values({ location_id: locationId, item_id: burrata.id, ingredient_id: cheese, quantity: 125 }).execute();
    expect(await menuItem('Burrata')).toMatchObject({ available: true });
    await tdb.db.updateTable('ingredients').set({ on_hand: 124 }).where('id', '=', cheese).execute();
    expect(await menuItem('Burrata')).toMatchObject({ available: false, unavailableReason: 'outOfStock' });
    await tdb.db.updateTable('ingredients').set({ on_hand: 250 }).where('id', '=', cheese).execute();
    expect(await menuItem('Burrata')).toMatchObject({ available: true, unavailableReason: null });
  });

  it('marks an option out of stock, and the item too once a required choice has no option left', async () => {
    const burger = await menuItem('Bistro burger');
    const side = burger.optionGroups.find((g) => g.name === 'Side')!;
    const potatoes = await ingredient('Potatoes', 0);
    for (const option of side.options) {
      await tdb.db.insertInto('recipe_lines').values({ location_id: locationId, option_id: option.id, ingredient_id: potatoes, quantity: 200 }).execute();
    }
    const after = await menuItem('Bistro burger');
    const sideAfter = after.optionGroups.find((g) => g.name === 'Side')!;
    expect(sideAfter.options.every((o) => !o.available && o.unavailableReason === 'outOfStock')).toBe(true);
    expect(after).toMatchObject({ available: false, unavailableReason: 'outOfStock' });
    // An optional group running out does not take the item with it.
    const steak = await menuItem('Steak frites');
    const extras = steak.optionGroups.find((g) => g.name === 'Extras')!;
    await tdb.db.updateTable('options').set({ eighty_sixed: true }).where('id', 'in', extras.options.map((o) => o.id)).execute();
    expect(await menuItem('Steak frites')).toMatchObject({ available: true });
  });

  it('nests a choice under an option (Burger → Side: Fries → Fries size)', async () => {
    const burger = await menuItem('Bistro burger');
    const fries = burger.optionGroups.find((g) => g.name === 'Side')!.options.find((o) => o.name === 'Fries')!;
    const group = await tdb.db
      .insertInto('option_groups')
      .values({ location_id: locationId, parent_option_id: fries.id, name: 'Fries size', min_selections: 1, max_selections: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db
      .insertInto('options')
      .values([
        { option_group_id: group.id, name: 'Regular', is_default: true, sort_order: 0 },
        { option_group_id: group.id, name: 'Large', price_delta_minor: 100, sort_order: 1 },
      ])
      .execute();
    const after = await menuItem('Bistro burger');
    const nested = after.optionGroups.find((g) => g.name === 'Side')!.options.find((o) => o.name === 'Fries')!.optionGroups;
    expect(nested.map((g) => [g.name, g.minSelections, g.options.map((o) => [o.name, o.priceDeltaMinor])])).toEqual([
      ['Fries size', 1, [['Regular', 0], ['Large', 100]]],
    ]);
  });

  it('gives photo URLs for an item with a photo', async () => {
    const tatin = await item('Tarte Tatin');
    await tdb.db.updateTable('menu_items').set({ photo_key: 'a'.repeat(32) }).where('id', '=', tatin.id).execute();
    expect((await menuItem('Tarte Tatin')).photo).toEqual({ small: `/media/${'a'.repeat(32)}-320.webp`, large: `/media/${'a'.repeat(32)}-1280.webp` });
    expect((await menuItem('Burrata')).photo).toBeNull();
  });
});

describe('menu.get version and cache', () => {
  it('changes its version when the menu is touched', async () => {
    const before = await callerFor(tdb.db).menu.get({ locationSlug: 'bistro-centrale' });
    await touchMenu(tdb.db, locationId);
    const after = await callerFor(tdb.db).menu.get({ locationSlug: 'bistro-centrale' });
    expect(after.location.version).not.toBe(before.location.version);
    expect(after.location.version).toMatch(new RegExp(`^${locationId}\\.\\d+$`));
  });

  it('serves from the cache until the menu changes, on this instance and on others sharing the bus', async () => {
    const bus = new InProcessBus();
    const here = testServices({ menuCache: new MenuCache(bus) });
    const there = testServices({ menuCache: new MenuCache(bus) });
    const espresso = await item('Espresso');
    const price = async (services: typeof here) => (await menuItem('Espresso', services)).priceMinor;
    expect(await price(here)).toBe(300);
    expect(await price(there)).toBe(300);

    // A change written without announcing it: both caches still serve the old price.
    await tdb.db.updateTable('menu_items').set({ price_minor: 320 }).where('id', '=', espresso.id).execute();
    expect(await price(here)).toBe(300);
    expect(await price(there)).toBe(300);

    // Announced on one instance: both drop it.
    menuChanged({ services: here }, locationId);
    expect(await price(here)).toBe(320);
    expect(await price(there)).toBe(320);
  });

  it('does not store a menu read while a change was being announced', async () => {
    const cache = new MenuCache<string>(new InProcessBus());
    const fill = cache.startFill();
    cache.invalidate(locationId);
    cache.set('bistro-centrale', locationId, 'stale', fill);
    expect(cache.get('bistro-centrale')).toBeUndefined();
  });
});
