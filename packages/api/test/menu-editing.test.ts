import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { callerFor, createUser, type TestUser } from './helpers.js';
import { refusal } from './procedures.js';

let tdb: TestDatabase;
let centrale: { id: string; slug: string };
let harbor: { id: string; slug: string };
let manager: TestUser;
let otherManager: TestUser;
let harborManager: TestUser;
let staff: TestUser;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const location = (slug: string) => tdb.db.selectFrom('locations').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirstOrThrow();
  centrale = await location('bistro-centrale');
  harbor = await location('harbor-bistro');
  manager = await createUser(tdb.db, { roles: [{ locationId: centrale.id, role: 'manager' }] });
  otherManager = await createUser(tdb.db, { roles: [{ locationId: centrale.id, role: 'manager' }] });
  harborManager = await createUser(tdb.db, { roles: [{ locationId: harbor.id, role: 'manager' }] });
  staff = await createUser(tdb.db, { roles: [{ locationId: centrale.id, role: 'staff' }] });
});
afterAll(() => tdb?.drop());

const as = (user: TestUser) => callerFor(tdb.db, { token: user.token });
const menuOf = (slug: string) => callerFor(tdb.db).menu.get({ locationSlug: slug });

let counter = 0;
const unique = (name: string) => `${name} ${++counter}`;

async function newCategory(locationId = centrale.id, user = manager) {
  return as(user).menu.categories.create({ locationId, name: unique('Specials'), description: 'Today only.' });
}
async function newItem(user = manager, locationId = centrale.id) {
  const category = await newCategory(locationId, user);
  const item = await as(user).menu.items.create({ categoryId: category.id, name: unique('Tartine'), priceMinor: 1250, allergens: ['gluten', 'milk'] });
  return { category, item };
}

function itemRow(id: string) {
  return tdb.db
    .selectFrom('menu_items')
    .select(['name', 'description', 'price_minor', 'category_id', 'version', 'archived_at', 'allergens'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('two managers editing one item', () => {
  it('one save wins; the other gets STALE_VERSION and the item stays as the winner left it', async () => {
    const { item } = await newItem();
    expect(item.version).toBe(1);
    const [first, second] = await Promise.allSettled([
      as(manager).menu.items.update({ itemId: item.id, version: 1, name: 'Tartine (Camille)', priceMinor: 1300 }),
      as(otherManager).menu.items.update({ itemId: item.id, version: 1, name: 'Tartine (Luc)', priceMinor: 1400 }),
    ]);
    const wins = [first, second].filter((r) => r.status === 'fulfilled');
    const losses = [first, second].filter((r) => r.status === 'rejected');
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(1);
    const winner = (wins[0] as PromiseFulfilledResult<{ name: string; priceMinor: number; version: number }>).value;
    expect(winner.version).toBe(2);
    const lost = await refusal(Promise.reject((losses[0] as PromiseRejectedResult).reason));
    expect(lost.code).toBe('CONFLICT');
    expect(lost.bistroCode).toBe('STALE_VERSION');

    const row = await itemRow(item.id);
    expect(row).toMatchObject({ name: winner.name, price_minor: winner.priceMinor, version: 2 });
    // The loser's audit row was rolled back with its change: one update recorded.
    const audits = await tdb.db.selectFrom('audit_log').select('id').where('action', '=', 'menu.item_updated').where('target_id', '=', item.id).execute();
    expect(audits).toHaveLength(1);
  });

  it('a save made from an old screen, after a later one, is refused and changes nothing', async () => {
    const { item } = await newItem();
    await as(manager).menu.items.update({ itemId: item.id, version: 1, priceMinor: 1500 });
    const stale = await refusal(as(otherManager).menu.items.update({ itemId: item.id, version: 1, priceMinor: 900, name: 'Cheap tartine' }));
    expect(stale.bistroCode).toBe('STALE_VERSION');
    expect(await itemRow(item.id)).toMatchObject({ price_minor: 1500, name: item.name, version: 2 });
    // With the version just read, the save goes through.
    const saved = await as(otherManager).menu.items.update({ itemId: item.id, version: 2, priceMinor: 900 });
    expect(saved).toMatchObject({ priceMinor: 900, version: 3 });
  });

  it('archiving with a stale version is refused too, and the item stays on the menu', async () => {
    const { item } = await newItem();
    await as(manager).menu.items.update({ itemId: item.id, version: 1, description: 'With salad.' });
    expect((await refusal(as(otherManager).menu.items.archive({ itemId: item.id, version: 1 }))).bistroCode).toBe('STALE_VERSION');
    expect((await itemRow(item.id)).archived_at).toBeNull();
  });
});

describe('categories', () => {
  it('are created at the end of the menu, renamed, reordered and archived, and menu.get follows each step', async () => {
    const before = await menuOf(centrale.slug);
    const created = await as(manager).menu.categories.create({ locationId: centrale.id, name: '  Brunch  ', description: 'Weekends.' });
    expect(created).toMatchObject({ name: 'Brunch', description: 'Weekends.', version: 1 });
    let menu = await menuOf(centrale.slug);
    expect(menu.categories.at(-1)).toMatchObject({ id: created.id, name: 'Brunch' });
    // The menu's version (its ETag) moved, so clients and caches revalidate.
    expect(menu.location.version).not.toBe(before.location.version);

    const renamed = await as(manager).menu.categories.update({ categoryId: created.id, version: 1, name: 'Sunday brunch' });
    expect(renamed).toMatchObject({ name: 'Sunday brunch', description: 'Weekends.', version: 2 });
    menu = await menuOf(centrale.slug);
    expect(menu.categories.find((c) => c.id === created.id)?.name).toBe('Sunday brunch');

    const order = menu.categories.map((c) => c.id);
    const reordered = [created.id, ...order.filter((id) => id !== created.id).reverse()];
    const result = await as(manager).menu.categories.reorder({ locationId: centrale.id, categoryIds: reordered });
    expect(result.map((c) => c.id)).toEqual(reordered);
    expect((await menuOf(centrale.slug)).categories.map((c) => c.id)).toEqual(reordered);

    await as(manager).menu.items.create({ categoryId: created.id, name: 'Eggs Benedict', priceMinor: 1450 });
    const archived = await as(manager).menu.categories.archive({ categoryId: created.id, version: 2 });
    expect(archived.version).toBe(3);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    menu = await menuOf(centrale.slug);
    expect(menu.categories.map((c) => c.id)).not.toContain(created.id);
    expect(menu.categories.flatMap((c) => c.items.map((i) => i.name))).not.toContain('Eggs Benedict');
    // Kept for history, with its item archived alongside.
    const rows = await tdb.db.selectFrom('menu_items').select(['name', 'archived_at']).where('category_id', '=', created.id).execute();
    expect(rows).toEqual([{ name: 'Eggs Benedict', archived_at: archived.archivedAt }]);
  });

  it('a reorder that leaves out, repeats or invents a category is refused with MENU_ORDER_MISMATCH and changes nothing', async () => {
    await newCategory();
    const ids = (await menuOf(centrale.slug)).categories.map((c) => c.id);
    const [a, b, ...rest] = ids as [string, string, ...string[]];
    const foreign = (await menuOf(harbor.slug)).categories[0]!.id;
    for (const categoryIds of [[b, a, ...rest.slice(1)], [b, a, a, ...rest], [b, a, ...rest, foreign]]) {
      const error = await refusal(as(manager).menu.categories.reorder({ locationId: centrale.id, categoryIds }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.bistroCode).toBe('MENU_ORDER_MISMATCH');
      expect(error.fieldErrors?.categoryIds?.length).toBeGreaterThan(0);
    }
    expect((await menuOf(centrale.slug)).categories.map((c) => c.id)).toEqual(ids);
  });

  it('an archived category can no longer be changed or take new items', async () => {
    const category = await newCategory();
    await as(manager).menu.categories.archive({ categoryId: category.id, version: 1 });
    expect((await refusal(as(manager).menu.categories.update({ categoryId: category.id, version: 2, name: 'Back' }))).bistroCode).toBe(
      'MENU_ENTRY_ARCHIVED',
    );
    expect((await refusal(as(manager).menu.items.create({ categoryId: category.id, name: 'Late', priceMinor: 100 }))).bistroCode).toBe(
      'MENU_ENTRY_ARCHIVED',
    );
  });
});

describe('items', () => {
  it('are created, repriced, moved, reordered and archived, and menu.get shows the names and prices', async () => {
    const { category, item } = await newItem();
    expect(item).toMatchObject({ categoryId: category.id, priceMinor: 1250, allergens: ['gluten', 'milk'], version: 1, description: '' });
    let shown = (await menuOf(centrale.slug)).categories.find((c) => c.id === category.id)?.items;
    expect(shown?.map((i) => [i.name, i.priceMinor, i.allergens])).toEqual([[item.name, 1250, ['gluten', 'milk']]]);

    const second = await as(manager).menu.items.create({ categoryId: category.id, name: 'Croque madame', priceMinor: 1390, allergens: ['eggs', 'gluten', 'eggs'] });
    // Allergens are a set, in the list's order.
    expect(second.allergens).toEqual(['gluten', 'eggs']);
    const repriced = await as(manager).menu.items.update({ itemId: item.id, version: 1, priceMinor: 1350, name: 'Tartine du jour' });
    expect(repriced).toMatchObject({ priceMinor: 1350, name: 'Tartine du jour', version: 2 });
    await as(manager).menu.items.reorder({ categoryId: category.id, itemIds: [second.id, item.id] });
    shown = (await menuOf(centrale.slug)).categories.find((c) => c.id === category.id)?.items;
    expect(shown?.map((i) => [i.name, i.priceMinor])).toEqual([
      ['Croque madame', 1390],
      ['Tartine du jour', 1350],
    ]);

    const other = await newCategory();
    const moved = await as(manager).menu.items.update({ itemId: second.id, version: 1, categoryId: other.id });
    expect(moved).toMatchObject({ categoryId: other.id, version: 2 });
    let menu = await menuOf(centrale.slug);
    expect(menu.categories.find((c) => c.id === other.id)?.items.map((i) => i.id)).toEqual([second.id]);
    expect(menu.categories.find((c) => c.id === category.id)?.items.map((i) => i.id)).toEqual([item.id]);

    const archived = await as(manager).menu.items.archive({ itemId: item.id, version: 2 });
    expect(archived).toMatchObject({ id: item.id, version: 3, priceMinor: 1350 });
    menu = await menuOf(centrale.slug);
    expect(menu.categories.flatMap((c) => c.items.map((i) => i.id))).not.toContain(item.id);
    // The row stays, with its last name and price, for the orders that sold it.
    expect(await itemRow(item.id)).toMatchObject({ name: 'Tartine du jour', price_minor: 1350 });
    expect((await itemRow(item.id)).archived_at).not.toBeNull();
    expect((await refusal(as(manager).menu.items.update({ itemId: item.id, version: 3, priceMinor: 1 }))).bistroCode).toBe('MENU_ENTRY_ARCHIVED');
  });

  it('an item reorder must list exactly the category’s active items', async () => {
    const { category, item } = await newItem();
    const other = await newItem();
    const error = await refusal(as(manager).menu.items.reorder({ categoryId: category.id, itemIds: [item.id, other.item.id] }));
    expect(error.bistroCode).toBe('MENU_ORDER_MISMATCH');
    expect(error.fieldErrors?.itemIds).toEqual(['1 not active items here']);
  });

  it('writes an audit row with the item before and after each change', async () => {
    const { item } = await newItem();
    await as(manager).menu.items.update({ itemId: item.id, version: 1, priceMinor: 1600 });
    await as(manager).menu.items.archive({ itemId: item.id, version: 2 });
    const rows = await tdb.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'location_id', 'target_type', 'details'])
      .where('target_id', '=', item.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['menu.item_created', 'menu.item_updated', 'menu.item_archived']);
    expect(rows.every((r) => r.actor_user_id === manager.id && r.location_id === centrale.id && r.target_type === 'menu_item')).toBe(true);
    const updated = rows[1]!.details as { before: { priceMinor: number; version: number }; after: { priceMinor: number; version: number } };
    expect(updated.before).toMatchObject({ priceMinor: 1250, version: 1 });
    expect(updated.after).toMatchObject({ priceMinor: 1600, version: 2 });
    const archived = rows[2]!.details as { before: { version: number }; after: { archivedAt: string | null } };
    expect(archived.before.version).toBe(2);
    expect(archived.after.archivedAt).toEqual(expect.any(String));
    expect(rows[0]!.details).toMatchObject({ before: null, after: { id: item.id, priceMinor: 1250 } });
  });
});

describe('bad input', () => {
  const base = () => ({ name: 'Soup', priceMinor: 1250 });
  it.each([
    ['a negative price', { priceMinor: -1 }, 'priceMinor'],
    ['a price with a fraction (12.5)', { priceMinor: 12.5 }, 'priceMinor'],
    ['a price as a string ("1250")', { priceMinor: '1250' }, 'priceMinor'],
    ['an unknown key', { photoUrl: 'http://evil.test/x.png' }, 'photoUrl'],
    ['a 10 kB name', { name: 'x'.repeat(10_000) }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['an allergen not on the EU list', { allergens: ['gluten', 'pineapple'] }, 'allergens.1'],
  ])('an item with %s is refused as BAD_REQUEST naming the field, and nothing is stored', async (_, change, field) => {
    const category = await newCategory();
    const error = await refusal(as(manager).menu.items.create({ categoryId: category.id, ...base(), ...change } as never));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.bistroCode).toBe('INVALID_INPUT');
    expect(error.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    const stored = await tdb.db.selectFrom('menu_items').select('id').where('category_id', '=', category.id).execute();
    expect(stored).toEqual([]);
  });

  it('an update with a float price or a negative one changes nothing', async () => {
    const { item } = await newItem();
    for (const priceMinor of [12.5, -100, Number.NaN]) {
      const error = await refusal(as(manager).menu.items.update({ itemId: item.id, version: 1, priceMinor }));
      expect(error.bistroCode).toBe('INVALID_INPUT');
      expect(error.fieldErrors?.priceMinor?.length).toBeGreaterThan(0);
    }
    expect(await itemRow(item.id)).toMatchObject({ price_minor: 1250, version: 1 });
  });

  it('a category with a 10 kB name or an unknown key is refused and not stored', async () => {
    const count = async () => (await tdb.db.selectFrom('menu_categories').select('id').where('location_id', '=', centrale.id).execute()).length;
    const n = await count();
    for (const input of [
      { locationId: centrale.id, name: 'x'.repeat(10_000) },
      { locationId: centrale.id, name: 'Ok', sortOrder: 1 },
    ]) {
      expect((await refusal(as(manager).menu.categories.create(input as never))).bistroCode).toBe('INVALID_INPUT');
    }
    expect(await count()).toBe(n);
  });
});

describe('option groups', () => {
  const options = [
    { name: 'Ranch', priceDeltaMinor: 0, isDefault: true },
    { name: 'Vinaigrette', priceDeltaMinor: 0 },
    { name: 'No dressing', priceDeltaMinor: -50 },
  ];

  it('are created with their options (a negative delta allowed) and shown under the item', async () => {
    const { category, item } = await newItem();
    const group = await as(manager).menu.optionGroups.create({ itemId: item.id, name: 'Dressing', minSelections: 1, maxSelections: 1, options });
    expect(group).toMatchObject({ itemId: item.id, parentOptionId: null, name: 'Dressing', minSelections: 1, maxSelections: 1, version: 1 });
    expect(group.options.map((o) => [o.name, o.priceDeltaMinor, o.isDefault])).toEqual([
      ['Ranch', 0, true],
      ['Vinaigrette', 0, false],
      ['No dressing', -50, false],
    ]);
    const shown = (await menuOf(centrale.slug)).categories.find((c) => c.id === category.id)?.items[0]?.optionGroups;
    expect(shown?.map((g) => [g.name, g.options.map((o) => o.priceDeltaMinor)])).toEqual([['Dressing', [0, 0, -50]]]);
  });

  it.each([
    ['min above max', { minSelections: 2, maxSelections: 1 }, 'minSelections'],
    ['max above the number of options', { minSelections: 0, maxSelections: 4 }, 'maxSelections'],
    ['max of zero', { minSelections: 0, maxSelections: 0 }, 'maxSelections'],
    ['more defaults than max', { minSelections: 0, maxSelections: 1, options: options.map((o) => ({ ...o, isDefault: true })) }, 'options'],
    ['two options of one name', { minSelections: 0, maxSelections: 1, options: [...options, { name: 'ranch', priceDeltaMinor: 0 }] }, 'options'],
  ])('a group with %s is refused with OPTION_GROUP_RULES and not stored', async (_, rules, field) => {
    const { item } = await newItem();
    const error = await refusal(as(manager).menu.optionGroups.create({ itemId: item.id, name: 'Dressing', options, ...rules }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.bistroCode).toBe('OPTION_GROUP_RULES');
    expect(error.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(await tdb.db.selectFrom('option_groups').select('id').where('item_id', '=', item.id).execute()).toEqual([]);
  });

  it.each([
    ['a float delta', { name: 'Half', priceDeltaMinor: 0.5 }, 'options.0.priceDeltaMinor'],
    ['a delta as a string', { name: 'Half', priceDeltaMinor: '50' }, 'options.0.priceDeltaMinor'],
    ['an unknown key on an option', { name: 'Half', priceDeltaMinor: 50, stock: 3 }, 'options.0.stock'],
  ])('an option with %s is refused as INVALID_INPUT', async (_, option, field) => {
    const { item } = await newItem();
    const error = await refusal(
      as(manager).menu.optionGroups.create({ itemId: item.id, name: 'Size', minSelections: 0, maxSelections: 1, options: [option] } as never),
    );
    expect(error.bistroCode).toBe('INVALID_INPUT');
    expect(error.fieldErrors?.[field]?.length).toBeGreaterThan(0);
  });

  it('a group must hang off exactly one of an item or an option', async () => {
    const { item } = await newItem();
    const option = (await tdb.db.selectFrom('options').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const both = await refusal(
      as(manager).menu.optionGroups.create({ itemId: item.id, optionId: option, name: 'X', minSelections: 0, maxSelections: 1, options }),
    );
    expect(both.bistroCode).toBe('INVALID_INPUT');
  });

  it('an update keeps listed options, adds new ones, archives missing ones, and checks the rules on the result', async () => {
    const { item } = await newItem();
    const group = await as(manager).menu.optionGroups.create({ itemId: item.id, name: 'Dressing', minSelections: 1, maxSelections: 2, options });
    const [ranch, vinaigrette, none] = group.options as [(typeof group.options)[number], (typeof group.options)[number], (typeof group.options)[number]];

    // Dropping to one option while max stays 2: refused, nothing changed.
    const refused = await refusal(as(manager).menu.optionGroups.update({ optionGroupId: group.id, version: 1, options: [{ id: ranch.id, name: 'Ranch', priceDeltaMinor: 0 }] }));
    expect(refused.bistroCode).toBe('OPTION_GROUP_RULES');
    expect(refused.fieldErrors?.maxSelections?.length).toBeGreaterThan(0);
    const mixedUp = await refusal(as(manager).menu.optionGroups.update({ optionGroupId: group.id, version: 1, minSelections: 3 }));
    expect(mixedUp.bistroCode).toBe('OPTION_GROUP_RULES');

    const updated = await as(manager).menu.optionGroups.update({
      optionGroupId: group.id,
      version: 1,
      name: 'Dressings',
      maxSelections: 3,
      options: [
        { id: vinaigrette.id, name: 'Lemon vinaigrette', priceDeltaMinor: 25 },
        { name: 'Blue cheese', priceDeltaMinor: 75 },
        { id: ranch.id, name: 'Ranch', priceDeltaMinor: 0 },
      ],
    });
    expect(updated).toMatchObject({ name: 'Dressings', maxSelections: 3, version: 2 });
    expect(updated.options.map((o) => [o.name, o.priceDeltaMinor, o.isDefault])).toEqual([
      ['Lemon vinaigrette', 25, false],
      ['Blue cheese', 75, false],
      // isDefault left out: kept.
      ['Ranch', 0, true],
    ]);
    expect(updated.options.find((o) => o.name === 'Lemon vinaigrette')?.id).toBe(vinaigrette.id);
    const dropped = await tdb.db.selectFrom('options').select(['name', 'archived_at']).where('id', '=', none.id).executeTakeFirstOrThrow();
    expect(dropped.name).toBe('No dressing');
    expect(dropped.archived_at).not.toBeNull();

    // An option of another group can't be smuggled in by id.
    const foreign = (await tdb.db.selectFrom('options').select('id').where('option_group_id', '<>', group.id).limit(1).executeTakeFirstOrThrow()).id;
    const smuggled = await refusal(
      as(manager).menu.optionGroups.update({ optionGroupId: group.id, version: 2, options: [{ id: foreign, name: 'Mine now', priceDeltaMinor: 0 }] }),
    );
    expect(smuggled.bistroCode).toBe('INVALID_INPUT');
    expect(smuggled.fieldErrors?.['options.0.id']).toEqual(['Not an option of this group']);
    expect(await tdb.db.selectFrom('options').select('name').where('id', '=', foreign).executeTakeFirstOrThrow()).not.toEqual({ name: 'Mine now' });

    expect((await refusal(as(manager).menu.optionGroups.update({ optionGroupId: group.id, version: 1, name: 'Old' }))).bistroCode).toBe('STALE_VERSION');
    const archived = await as(manager).menu.optionGroups.archive({ optionGroupId: group.id, version: 2 });
    expect(archived.version).toBe(3);
    const item2 = (await menuOf(centrale.slug)).categories.flatMap((c) => c.items).find((i) => i.id === item.id);
    expect(item2?.optionGroups).toEqual([]);
    const left = await tdb.db.selectFrom('options').select('archived_at').where('option_group_id', '=', group.id).execute();
    expect(left.length).toBe(4);
    expect(left.every((o) => o.archived_at !== null)).toBe(true);
  });
});

describe('nested option groups', () => {
  it('Burger → Side: Fries → Fries size → Dip nest three deep, show under their option, and a fourth level is refused', async () => {
    const { item: burger, category } = await newItem();
    const side = await as(manager).menu.optionGroups.create({
      itemId: burger.id,
      name: 'Side',
      minSelections: 1,
      maxSelections: 1,
      options: [
        { name: 'Fries', priceDeltaMinor: 0, isDefault: true },
        { name: 'Salad', priceDeltaMinor: 0 },
      ],
    });
    const fries = side.options[0]!;
    const size = await as(manager).menu.optionGroups.create({
      optionId: fries.id,
      name: 'Fries size',
      minSelections: 1,
      maxSelections: 1,
      options: [
        { name: 'Regular', priceDeltaMinor: 0, isDefault: true },
        { name: 'Large', priceDeltaMinor: 150 },
      ],
    });
    expect(size).toMatchObject({ itemId: null, parentOptionId: fries.id, version: 1 });
    const large = size.options[1]!;
    const dip = await as(manager).menu.optionGroups.create({
      optionId: large.id,
      name: 'Dip',
      minSelections: 0,
      maxSelections: 1,
      options: [{ name: 'Aioli', priceDeltaMinor: 80 }],
    });
    const tooDeep = await refusal(
      as(manager).menu.optionGroups.create({
        optionId: dip.options[0]!.id,
        name: 'Aioli strength',
        minSelections: 0,
        maxSelections: 1,
        options: [{ name: 'Extra garlic', priceDeltaMinor: 0 }],
      }),
    );
    expect(tooDeep.code).toBe('BAD_REQUEST');
    expect(tooDeep.bistroCode).toBe('OPTION_GROUP_TOO_DEEP');
    expect(await tdb.db.selectFrom('option_groups').select('id').where('name', '=', 'Aioli strength').execute()).toEqual([]);

    const shown = (await menuOf(centrale.slug)).categories.find((c) => c.id === category.id)?.items[0];
    const shownFries = shown?.optionGroups[0]?.options.find((o) => o.name === 'Fries');
    expect(shownFries?.optionGroups.map((g) => g.name)).toEqual(['Fries size']);
    const shownLarge = shownFries?.optionGroups[0]?.options.find((o) => o.name === 'Large');
    expect(shownLarge?.priceDeltaMinor).toBe(150);
    expect(shownLarge?.optionGroups.map((g) => [g.name, g.options.map((o) => [o.name, o.priceDeltaMinor])])).toEqual([['Dip', [['Aioli', 80]]]]);

    // Dropping "Fries" from the side archives the choices it opened.
    await as(manager).menu.optionGroups.update({ optionGroupId: side.id, version: 1, options: [{ id: side.options[1]!.id, name: 'Salad', priceDeltaMinor: 0, isDefault: true }] });
    const below = await tdb.db.selectFrom('option_groups').select(['name', 'archived_at']).where('id', 'in', [size.id, dip.id]).execute();
    expect(below.map((g) => g.archived_at !== null)).toEqual([true, true]);
    const archivedOption = await refusal(
      as(manager).menu.optionGroups.create({ optionId: fries.id, name: 'Sauce', minSelections: 0, maxSelections: 1, options: [{ name: 'Mayo', priceDeltaMinor: 0 }] }),
    );
    expect(archivedOption.bistroCode).toBe('MENU_ENTRY_ARCHIVED');
  });
});

describe('who may edit', () => {
  it('a manager of another location gets NOT_FOUND for everything here, and nothing changes', async () => {
    const { category, item } = await newItem();
    const group = await as(manager).menu.optionGroups.create({
      itemId: item.id,
      name: 'Bread',
      minSelections: 0,
      maxSelections: 1,
      options: [{ name: 'Rye', priceDeltaMinor: 0 }],
    });
    const option = group.options[0]!;
    const them = as(harborManager);
    // Thunks, called one at a time: a refusal must not go unhandled while an earlier one is awaited.
    const attempts: (() => Promise<unknown>)[] = [
      () => them.menu.categories.create({ locationId: centrale.id, name: 'Mine' }),
      () => them.menu.categories.update({ categoryId: category.id, version: 1, name: 'Mine' }),
      () => them.menu.categories.archive({ categoryId: category.id, version: 1 }),
      () => them.menu.categories.reorder({ locationId: centrale.id, categoryIds: [category.id] }),
      () => them.menu.items.create({ categoryId: category.id, name: 'Mine', priceMinor: 1 }),
      () => them.menu.items.update({ itemId: item.id, version: 1, priceMinor: 1 }),
      () => them.menu.items.archive({ itemId: item.id, version: 1 }),
      () => them.menu.items.reorder({ categoryId: category.id, itemIds: [item.id] }),
      () => them.menu.optionGroups.create({ itemId: item.id, name: 'Mine', minSelections: 0, maxSelections: 1, options: [{ name: 'A', priceDeltaMinor: 0 }] }),
      () => them.menu.optionGroups.create({ optionId: option.id, name: 'Mine', minSelections: 0, maxSelections: 1, options: [{ name: 'A', priceDeltaMinor: 0 }] }),
      () => them.menu.optionGroups.update({ optionGroupId: group.id, version: 1, name: 'Mine' }),
      () => them.menu.optionGroups.archive({ optionGroupId: group.id, version: 1 }),
    ];
    for (const attempt of attempts) {
      const error = await refusal(attempt());
      expect(error.code).toBe('NOT_FOUND');
      expect(error.bistroCode).toBe('NOT_FOUND');
    }
    expect(await itemRow(item.id)).toMatchObject({ price_minor: 1250, version: 1, archived_at: null });
    const groupRow = await tdb.db.selectFrom('option_groups').select(['name', 'version']).where('id', '=', group.id).executeTakeFirstOrThrow();
    expect(groupRow).toEqual({ name: 'Bread', version: 1 });
  });

  it('a manager cannot move their own item into another location’s category', async () => {
    const { item } = await newItem(harborManager, harbor.id);
    const { category } = await newItem();
    const error = await refusal(as(harborManager).menu.items.update({ itemId: item.id, version: 1, categoryId: category.id }));
    expect(error.bistroCode).toBe('NOT_FOUND');
    expect((await itemRow(item.id)).version).toBe(1);
  });

  it('staff of the location cannot edit prices or the menu (NOT_FOUND)', async () => {
    const { category, item } = await newItem();
    expect((await refusal(as(staff).menu.items.update({ itemId: item.id, version: 1, priceMinor: 1 }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(staff).menu.items.create({ categoryId: category.id, name: 'Staff meal', priceMinor: 0 }))).bistroCode).toBe('NOT_FOUND');
    expect((await itemRow(item.id)).price_minor).toBe(1250);
  });

  it('a guest is asked to sign in', async () => {
    const { item } = await newItem();
    expect((await refusal(callerFor(tdb.db).menu.items.update({ itemId: item.id, version: 1, priceMinor: 1 }))).bistroCode).toBe('UNAUTHORIZED');
  });
});

describe('menu.forEdit', () => {
  it('gives the manager every active entry with the version its update expects, and follows each change', async () => {
    const { category, item } = await newItem();
    const group = await as(manager).menu.optionGroups.create({ itemId: item.id, name: 'Bread', minSelections: 0, maxSelections: 1, options: [{ name: 'Rye', priceDeltaMinor: 0 }] });
    const read = await as(manager).menu.forEdit({ locationId: centrale.id });
    const readCategory = read.categories.find((c) => c.id === category.id)!;
    const readItem = read.items.find((i) => i.id === item.id)!;
    const readGroup = read.optionGroups.find((g) => g.id === group.id)!;
    expect(readCategory).toEqual(category);
    expect(readItem).toEqual({ ...item, photo: null });
    expect(readGroup).toMatchObject({ id: group.id, itemId: item.id, version: 1, options: [{ name: 'Rye', priceDeltaMinor: 0, isDefault: false }] });

    // Each version read is the one its update accepts.
    const renamed = await as(manager).menu.categories.update({ categoryId: category.id, version: readCategory.version, name: unique('Renamed') });
    const repriced = await as(manager).menu.items.update({ itemId: item.id, version: readItem.version, priceMinor: 1300 });
    await as(manager).menu.optionGroups.update({ optionGroupId: group.id, version: readGroup.version, name: 'Bread choice' });
    const again = await as(manager).menu.forEdit({ locationId: centrale.id });
    expect(again.categories.find((c) => c.id === category.id)).toEqual(renamed);
    expect(again.items.find((i) => i.id === item.id)).toEqual({ ...repriced, photo: null });
    expect(again.optionGroups.find((g) => g.id === group.id)).toMatchObject({ name: 'Bread choice', version: readGroup.version + 1 });

    // Archived entries are gone from it; other locations' entries never appear.
    await as(manager).menu.items.archive({ itemId: item.id, version: repriced.version });
    const after = await as(manager).menu.forEdit({ locationId: centrale.id });
    expect(after.items.some((i) => i.id === item.id)).toBe(false);
    const harborRead = await as(harborManager).menu.forEdit({ locationId: harbor.id });
    expect(harborRead.categories.some((c) => c.id === category.id)).toBe(false);
  });

  it('is refused to staff and to managers of another location (NOT_FOUND)', async () => {
    expect((await refusal(as(staff).menu.forEdit({ locationId: centrale.id }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(harborManager).menu.forEdit({ locationId: centrale.id }))).bistroCode).toBe('NOT_FOUND');
  });
});
