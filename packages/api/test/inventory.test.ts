import { getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { appRouter, InProcessBus, MenuCache } from '../src/index.js';
import { callerFor, createUser, demoLocationIds, testServices, type TestUser } from './helpers.js';

let tdb: TestDatabase;
let centrale: string;
let harbor: string;
let managerA: TestUser;
let staffA: TestUser;
let managerB: TestUser;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ centrale, harbor } = await demoLocationIds(tdb.db));
  managerA = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
  staffA = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'staff' }] });
  managerB = await createUser(tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] });
});
afterAll(() => tdb?.drop());

const as = (user: TestUser, services = testServices()) => callerFor(tdb.db, { token: user.token, services });

let n = 0;
async function newIngredient(user: TestUser, locationId: string, unit: 'g' | 'ml' | 'piece' = 'g', lowStockThreshold = 0) {
  n += 1;
  return as(user).inventory.ingredients.upsert({ locationId, name: `Ingredient ${n}`, unit, lowStockThreshold });
}

async function itemAt(locationId: string, name: string) {
  return (await tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** What the database holds: on_hand and the ledger's sum and row count. */
async function ledger(ingredientId: string) {
  const { on_hand } = await tdb.db.selectFrom('ingredients').select('on_hand').where('id', '=', ingredientId).executeTakeFirstOrThrow();
  const sum = await tdb.db
    .selectFrom('stock_movements')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('delta'), eb.lit(0)).as('total'), eb.fn.countAll<number>().as('rows')])
    .where('ingredient_id', '=', ingredientId)
    .executeTakeFirstOrThrow();
  return { onHand: on_hand, sum: Number(sum.total), rows: Number(sum.rows) };
}

/** What a client would see of a refused call: tRPC's code, the Bistro code and field errors, by the router's own formatter. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to be refused');
  const shape = getTRPCErrorShape({ config: appRouter._def._config, error: getTRPCErrorFromUnknown(error), type: 'unknown', path: undefined, input: undefined, ctx: undefined });
  const data = shape.data;
  return { code: data.code, bistroCode: data.bistroCode, fieldErrors: data.fieldErrors };
}

describe('inventory.adjust: the stock ledger', () => {
  type Step = { reason: 'delivery' | 'waste' | 'correction'; delta: number } | { reason: 'count'; counted: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ reason: fc.constant('delivery' as const), delta: fc.integer({ min: 1, max: 500 }) }),
    fc.record({ reason: fc.constant('waste' as const), delta: fc.integer({ min: -500, max: -1 }) }),
    fc.record({ reason: fc.constant('correction' as const), delta: fc.integer({ min: -500, max: 500 }).filter((d) => d !== 0) }),
    fc.record({ reason: fc.constant('count' as const), counted: fc.integer({ min: 0, max: 800 }) }),
  );

  it('keeps on-hand equal to the sum of its movements and never below zero, whatever the sequence of adjustments', async () => {
    const caller = as(managerA);
    let refusedSomewhere = false;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), async (steps) => {
        const ingredient = await newIngredient(managerA, centrale);
        let model = 0;
        for (const s of steps) {
          const before = await ledger(ingredient.id);
          const delta = s.reason === 'count' ? s.counted - model : s.delta;
          if (model + delta < 0) {
            const error = await refusal(caller.inventory.adjust({ ingredientId: ingredient.id, ...s }));
            expect(error.bistroCode).toBe('STOCK_WOULD_GO_NEGATIVE');
            expect(await ledger(ingredient.id)).toEqual(before); // nothing written
            refusedSomewhere = true;
          } else {
            const result = await caller.inventory.adjust({ ingredientId: ingredient.id, ...s });
            model += delta;
            expect(result.onHand).toBe(model);
            expect(result.movementId === null).toBe(delta === 0);
          }
          const after = await ledger(ingredient.id);
          expect(after.onHand).toBe(after.sum);
          expect(after.onHand).toBe(model);
          expect(after.onHand).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 25 },
    );
    // The generator did reach the refusal path, so the property covered it.
    expect(refusedSomewhere).toBe(true);
  });

  it('adjustments racing on the same ingredient never take it below zero: exactly the stock on hand is handed out', async () => {
    const ingredient = await newIngredient(managerA, centrale, 'piece');
    await as(managerA).inventory.adjust({ ingredientId: ingredient.id, reason: 'delivery', delta: 7 });
    const callers = Array.from({ length: 20 }, () => as(managerA));
    const results = await Promise.allSettled(callers.map((c) => c.inventory.adjust({ ingredientId: ingredient.id, reason: 'waste', delta: -1 })));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    expect(refused).toHaveLength(13);
    for (const r of refused) expect((r.reason as { bistroCode: string }).bistroCode).toBe('STOCK_WOULD_GO_NEGATIVE');
    expect(await ledger(ingredient.id)).toEqual({ onHand: 0, sum: 0, rows: 8 });
  });

  it('a count records the difference to what was on hand, and a matching count records nothing', async () => {
    const ingredient = await newIngredient(managerA, centrale, 'ml');
    const caller = as(managerA);
    await caller.inventory.adjust({ ingredientId: ingredient.id, reason: 'delivery', delta: 1000 });
    const counted = await caller.inventory.adjust({ ingredientId: ingredient.id, reason: 'count', counted: 940, note: 'Friday count' });
    expect(counted.onHand).toBe(940);
    const { movements } = await caller.inventory.movements.list({ ingredientId: ingredient.id });
    expect(movements[0]).toMatchObject({ delta: -60, reason: 'count', note: 'Friday count', actorUserId: managerA.id });
    const same = await caller.inventory.adjust({ ingredientId: ingredient.id, reason: 'count', counted: 940 });
    expect(same).toMatchObject({ onHand: 940, movementId: null });
    expect(await ledger(ingredient.id)).toEqual({ onHand: 940, sum: 940, rows: 2 });
  });

  it('refuses fractions, a delivery that takes away and waste that adds, writing nothing', async () => {
    const ingredient = await newIngredient(managerA, centrale);
    const caller = as(managerA);
    for (const input of [
      { reason: 'delivery', delta: 1.5 },
      { reason: 'delivery', delta: -5 },
      { reason: 'waste', delta: 5 },
      { reason: 'correction', delta: 0 },
      { reason: 'correction', delta: '5' },
      { reason: 'count', counted: -1 },
      { reason: 'sale', delta: -1 },
    ]) {
      const error = await refusal(caller.inventory.adjust({ ingredientId: ingredient.id, ...input } as never));
      expect(error.code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    expect(await ledger(ingredient.id)).toEqual({ onHand: 0, sum: 0, rows: 0 });
  });
});

describe('inventory.ingredients', () => {
  it('lists the location’s ingredients with stock, and lowStock those at or below their threshold', async () => {
    const flour = await newIngredient(managerA, centrale, 'g', 500);
    const eggs = await newIngredient(managerA, centrale, 'piece', 12);
    await as(managerA).inventory.adjust({ ingredientId: flour.id, reason: 'delivery', delta: 2000 });
    await as(managerA).inventory.adjust({ ingredientId: eggs.id, reason: 'delivery', delta: 12 });
    const list = await as(staffA).inventory.ingredients.list({ locationId: centrale });
    expect(list.find((i) => i.id === flour.id)).toEqual({ id: flour.id, name: flour.name, unit: 'g', onHand: 2000, lowStockThreshold: 500, version: 1, isLow: false });
    const low = await as(staffA).inventory.lowStock({ locationId: centrale });
    expect(low.map((i) => i.id)).toContain(eggs.id); // 12 is at the threshold of 12
    expect(low.map((i) => i.id)).not.toContain(flour.id);
    expect(Object.keys(low[0]!).sort()).toEqual(['id', 'lowStockThreshold', 'name', 'onHand', 'unit']);
  });

  it('renames with the version last seen; a stale version is STALE_VERSION and changes nothing', async () => {
    const butter = await newIngredient(managerA, centrale);
    const renamed = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, id: butter.id, version: 1, name: 'Butter', unit: 'g', lowStockThreshold: 250 });
    expect(renamed).toMatchObject({ name: 'Butter', version: 2, lowStockThreshold: 250 });
    const error = await refusal(
      as(managerA).inventory.ingredients.upsert({ locationId: centrale, id: butter.id, version: 1, name: 'Salted butter', unit: 'g', lowStockThreshold: 0 }),
    );
    expect(error).toMatchObject({ code: 'CONFLICT', bistroCode: 'STALE_VERSION' });
    const row = await tdb.db.selectFrom('ingredients').select(['name', 'version']).where('id', '=', butter.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Butter', version: 2 });
    const audit = await tdb.db.selectFrom('audit_log').select('details').where('action', '=', 'inventory.ingredient_updated').where('target_id', '=', butter.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ before: { name: butter.name, version: 1 }, after: { name: 'Butter', version: 2 } });
  });

  it('keeps the unit once stock has moved in it', async () => {
    const milk = await newIngredient(managerA, centrale, 'ml');
    // No movement yet: the unit may still change.
    const changed = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, id: milk.id, version: 1, name: milk.name, unit: 'g', lowStockThreshold: 0 });
    expect(changed.unit).toBe('g');
    await as(managerA).inventory.adjust({ ingredientId: milk.id, reason: 'delivery', delta: 100 });
    const error = await refusal(as(managerA).inventory.ingredients.upsert({ locationId: centrale, id: milk.id, version: 2, name: milk.name, unit: 'ml', lowStockThreshold: 0 }));
    expect(error.bistroCode).toBe('INGREDIENT_UNIT_LOCKED');
    expect((await tdb.db.selectFrom('ingredients').select('unit').where('id', '=', milk.id).executeTakeFirstOrThrow()).unit).toBe('g');
  });

  it('refuses a negative or fractional threshold, an unknown unit and a taken name, storing nothing', async () => {
    const count = async () => (await tdb.db.selectFrom('ingredients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    for (const input of [
      { name: 'Salt', unit: 'g', lowStockThreshold: -1 },
      { name: 'Salt', unit: 'g', lowStockThreshold: 2.5 },
      { name: 'Salt', unit: 'kg', lowStockThreshold: 0 },
      { name: '   ', unit: 'g', lowStockThreshold: 0 },
      { name: 'Salt', unit: 'g', lowStockThreshold: 0, onHand: 100 },
    ]) {
      const error = await refusal(as(managerA).inventory.ingredients.upsert({ locationId: centrale, ...input } as never));
      expect(error.code, JSON.stringify(input)).toBe('BAD_REQUEST');
      expect(error.bistroCode).toBe('INVALID_INPUT');
      expect(Object.keys(error.fieldErrors ?? {})).toHaveLength(1);
    }
    const salt = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, name: 'Salt', unit: 'g', lowStockThreshold: 0 });
    const taken = await refusal(as(managerA).inventory.ingredients.upsert({ locationId: centrale, name: 'Salt', unit: 'g', lowStockThreshold: 0 }));
    expect(taken.bistroCode).toBe('ALREADY_EXISTS');
    expect(await count()).toBe(Number(before) + 1);
    expect(salt.onHand).toBe(0);
  });

  it('pages the ledger newest first by cursor', async () => {
    const ingredient = await newIngredient(managerA, centrale);
    for (let i = 1; i <= 5; i++) await as(managerA).inventory.adjust({ ingredientId: ingredient.id, reason: 'delivery', delta: i });
    const first = await as(staffA).inventory.movements.list({ locationId: centrale, ingredientId: ingredient.id, limit: 2 });
    expect(first.movements.map((m) => m.delta)).toEqual([5, 4]);
    const second = await as(staffA).inventory.movements.list({ locationId: centrale, ingredientId: ingredient.id, limit: 2, cursor: first.nextCursor! });
    expect(second.movements.map((m) => m.delta)).toEqual([3, 2]);
    const third = await as(staffA).inventory.movements.list({ ingredientId: ingredient.id, limit: 2, cursor: second.nextCursor! });
    expect(third).toMatchObject({ movements: [{ delta: 1 }], nextCursor: null });
  });
});

describe('inventory.recipes.set', () => {
  it('replaces an item’s recipe, and refuses another location’s ingredient without storing anything', async () => {
    const soup = await itemAt(centrale, 'French onion soup');
    const onions = await newIngredient(managerA, centrale);
    const broth = await newIngredient(managerA, centrale, 'ml');
    const harborOnions = await newIngredient(managerB, harbor);
    const admin = await createUser(tdb.db, { isAdmin: true });
    const set = await as(managerA).inventory.recipes.set({ itemId: soup, lines: [{ ingredientId: onions.id, quantity: 200 }, { ingredientId: broth.id, quantity: 300 }] });
    expect(set.lines).toHaveLength(2);
    for (const caller of [as(managerA), as(admin)]) {
      const error = await refusal(
        caller.inventory.recipes.set({ itemId: soup, lines: [{ ingredientId: onions.id, quantity: 100 }, { ingredientId: harborOnions.id, quantity: 100 }] }),
      );
      expect(error).toMatchObject({ code: 'BAD_REQUEST', bistroCode: 'INVALID_INPUT', fieldErrors: { 'lines.1.ingredientId': ['No such ingredient at this location'] } });
      expect(Object.keys(error.fieldErrors!)).toEqual(['lines.1.ingredientId']);
      const lines = await tdb.db.selectFrom('recipe_lines').select(['ingredient_id', 'quantity']).where('item_id', '=', soup).orderBy('quantity').execute();
      expect(lines).toEqual([
        { ingredient_id: onions.id, quantity: 200 },
        { ingredient_id: broth.id, quantity: 300 },
      ]);
    }
  });

  it('refuses a zero or fractional quantity, the same ingredient twice, and both an item and an option', async () => {
    const soup = await itemAt(centrale, 'French onion soup');
    const onions = await newIngredient(managerA, centrale);
    const option = await tdb.db
      .selectFrom('options as o')
      .innerJoin('option_groups as g', 'g.id', 'o.option_group_id')
      .select('o.id')
      .where('g.location_id', '=', centrale)
      .executeTakeFirstOrThrow();
    for (const input of [
      { itemId: soup, lines: [{ ingredientId: onions.id, quantity: 0 }] },
      { itemId: soup, lines: [{ ingredientId: onions.id, quantity: 2.5 }] },
      { itemId: soup, lines: [{ ingredientId: onions.id, quantity: 1 }, { ingredientId: onions.id, quantity: 2 }] },
      { itemId: soup, optionId: option.id, lines: [] },
    ]) {
      const error = await refusal(as(managerA).inventory.recipes.set(input));
      expect(error.code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
  });
});

describe('inventory.recipes.get', () => {
  /** A new item of Bistro Centrale with Side (Fries, Salad), Fries opening Fries size (Large). */
  async function itemWithNestedChoice() {
    n += 1;
    const categoryId = (await tdb.db.selectFrom('menu_categories').select('id').where('location_id', '=', centrale).executeTakeFirstOrThrow()).id;
    const item = await as(managerA).menu.items.create({ categoryId, name: `Recipe burger ${n}`, description: '', priceMinor: 1200, allergens: [] });
    const side = await as(managerA).menu.optionGroups.create({
      itemId: item.id,
      name: 'Side',
      minSelections: 1,
      maxSelections: 1,
      options: [{ name: 'Fries', priceDeltaMinor: 0 }, { name: 'Salad', priceDeltaMinor: 0 }],
    });
    const fries = side.options.find((o) => o.name === 'Fries')!.id;
    const salad = side.options.find((o) => o.name === 'Salad')!.id;
    const size = await as(managerA).menu.optionGroups.create({ optionId: fries, name: 'Fries size', minSelections: 0, maxSelections: 1, options: [{ name: 'Large', priceDeltaMinor: 150 }] });
    return { item: item.id, side, fries, salad, large: size.options[0]!.id };
  }

  it('an item without a recipe answers empty lists, for its manager and its staff', async () => {
    const { item } = await itemWithNestedChoice();
    for (const user of [managerA, staffA]) expect(await as(user).inventory.recipes.get({ itemId: item })).toEqual({ itemId: item, lines: [], options: [] });
  });

  it('answers what recipes.set stored: the item’s lines and each option’s, nested choices included, by ingredient name', async () => {
    const { item, fries, salad, large } = await itemWithNestedChoice();
    const beef = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, name: `Beef ${n}`, unit: 'g', lowStockThreshold: 0 });
    const buns = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, name: `Bun ${n}`, unit: 'piece', lowStockThreshold: 0 });
    const potatoes = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, name: `Potatoes ${n}`, unit: 'g', lowStockThreshold: 0 });
    await as(managerA).inventory.recipes.set({ itemId: item, lines: [{ ingredientId: buns.id, quantity: 1 }, { ingredientId: beef.id, quantity: 180 }] });
    await as(managerA).inventory.recipes.set({ optionId: fries, lines: [{ ingredientId: potatoes.id, quantity: 150 }] });
    await as(managerA).inventory.recipes.set({ optionId: large, lines: [{ ingredientId: potatoes.id, quantity: 100 }] });
    // Another item's recipe stays out of this one's.
    await as(managerA).inventory.recipes.set({ itemId: await itemAt(centrale, 'Garlic bread'), lines: [{ ingredientId: buns.id, quantity: 2 }] });

    const got = await as(staffA).inventory.recipes.get({ itemId: item });
    expect(got.lines).toEqual([
      { ingredientId: beef.id, ingredientName: beef.name, unit: 'g', quantity: 180 },
      { ingredientId: buns.id, ingredientName: buns.name, unit: 'piece', quantity: 1 },
    ]);
    const byOption = new Map(got.options.map((o) => [o.optionId, o.lines]));
    expect(byOption.get(fries)).toEqual([{ ingredientId: potatoes.id, ingredientName: potatoes.name, unit: 'g', quantity: 150 }]);
    expect(byOption.get(large)).toEqual([{ ingredientId: potatoes.id, ingredientName: potatoes.name, unit: 'g', quantity: 100 }]);
    // Salad has no recipe: not listed.
    expect(byOption.has(salad)).toBe(false);
    expect(got.options).toHaveLength(2);

    // An emptied recipe goes; the rest stays.
    await as(managerA).inventory.recipes.set({ optionId: fries, lines: [] });
    const after = await as(managerA).inventory.recipes.get({ itemId: item });
    expect(after.options.map((o) => o.optionId)).toEqual([large]);
    expect(after.lines).toHaveLength(2);
  });

  it('leaves out the recipes of archived choices', async () => {
    const { item, side, fries } = await itemWithNestedChoice();
    const oil = await as(managerA).inventory.ingredients.upsert({ locationId: centrale, name: `Oil ${n}`, unit: 'ml', lowStockThreshold: 0 });
    await as(managerA).inventory.recipes.set({ optionId: fries, lines: [{ ingredientId: oil.id, quantity: 20 }] });
    expect((await as(managerA).inventory.recipes.get({ itemId: item })).options).toHaveLength(1);
    await as(managerA).menu.optionGroups.archive({ optionGroupId: side.id, version: side.version });
    expect((await as(managerA).inventory.recipes.get({ itemId: item })).options).toEqual([]);
  });

  it('another location’s item, or an unknown one, is not found, and so is the item for a customer', async () => {
    const harborSoup = await itemAt(harbor, 'French onion soup');
    const customer = await createUser(tdb.db);
    expect(await refusal(as(managerA).inventory.recipes.get({ itemId: harborSoup }))).toMatchObject({ code: 'NOT_FOUND', bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(staffA).inventory.recipes.get({ itemId: harborSoup }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(managerA).inventory.recipes.get({ itemId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(customer).inventory.recipes.get({ itemId: await itemAt(centrale, 'Garlic bread') }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(managerA).inventory.recipes.get({ itemId: 'soup' }))).toMatchObject({ code: 'BAD_REQUEST', bistroCode: 'INVALID_INPUT' });
    // Its manager reads it.
    expect((await as(managerB).inventory.recipes.get({ itemId: harborSoup })).itemId).toBe(harborSoup);
  });
});

describe('who may touch the pantry', () => {
  it('staff may read stock and 86 an item by hand, but not adjust stock or change recipes', async () => {
    const onions = await newIngredient(managerA, centrale);
    const soup = await itemAt(centrale, 'Moules marinières');
    const staff = as(staffA);
    expect(await staff.inventory.ingredients.list({ locationId: centrale })).not.toHaveLength(0);
    expect((await refusal(staff.inventory.adjust({ ingredientId: onions.id, reason: 'delivery', delta: 10 }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(staff.inventory.recipes.set({ itemId: soup, lines: [] }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(staff.inventory.ingredients.upsert({ locationId: centrale, name: 'Pepper', unit: 'g', lowStockThreshold: 0 }))).bistroCode).toBe('NOT_FOUND');
    expect((await ledger(onions.id)).rows).toBe(0);

    const menuSoup = async () =>
      (await callerFor(tdb.db).menu.get({ locationSlug: 'bistro-centrale' })).categories.flatMap((c) => c.items).find((i) => i.id === soup)!;
    expect(await staff.kitchen.set86({ itemId: soup, eightySixed: true, reason: 'Out of gruyère' })).toEqual({ itemId: soup, eightySixed: true, reason: 'Out of gruyère' });
    expect(await menuSoup()).toMatchObject({ available: false, unavailableReason: 'eightySixed' });
    await staff.kitchen.set86({ itemId: soup, eightySixed: false });
    expect(await menuSoup()).toMatchObject({ available: true, unavailableReason: null });
    const audit = await tdb.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'details']).where('target_id', '=', soup).where('action', 'in', ['kitchen.item_86ed', 'kitchen.item_un86ed']).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor_user_id])).toEqual([
      ['kitchen.item_86ed', staffA.id],
      ['kitchen.item_un86ed', staffA.id],
    ]);
    expect(audit[0]!.details).toMatchObject({ before: { eightySixed: false }, after: { eightySixed: true, reason: 'Out of gruyère' } });
  });

  it('a manager of one location gets NOT_FOUND for anything of another, and nothing there changes', async () => {
    const harborFlour = await newIngredient(managerB, harbor);
    await as(managerB).inventory.adjust({ ingredientId: harborFlour.id, reason: 'delivery', delta: 100 });
    const harborSoup = await itemAt(harbor, 'French onion soup');
    const a = as(managerA);
    const attempts: (() => Promise<unknown>)[] = [
      () => a.inventory.adjust({ ingredientId: harborFlour.id, reason: 'waste', delta: -100 }),
      () => a.inventory.ingredients.upsert({ locationId: centrale, id: harborFlour.id, version: 1, name: 'Mine now', unit: 'g', lowStockThreshold: 0 }),
      () => a.inventory.ingredients.upsert({ locationId: harbor, id: harborFlour.id, version: 1, name: 'Mine now', unit: 'g', lowStockThreshold: 0 }),
      () => a.inventory.ingredients.list({ locationId: harbor }),
      () => a.inventory.lowStock({ locationId: harbor }),
      () => a.inventory.movements.list({ ingredientId: harborFlour.id }),
      () => a.inventory.recipes.set({ itemId: harborSoup, lines: [] }),
      () => a.kitchen.set86({ itemId: harborSoup, eightySixed: true }),
    ];
    for (const attempt of attempts) expect((await refusal(attempt())).bistroCode).toBe('NOT_FOUND');
    expect(await ledger(harborFlour.id)).toEqual({ onHand: 100, sum: 100, rows: 1 });
    const row = await tdb.db.selectFrom('ingredients').select('name').where('id', '=', harborFlour.id).executeTakeFirstOrThrow();
    expect(row.name).toBe(harborFlour.name);
    const soup = await tdb.db.selectFrom('menu_items').select('eighty_sixed').where('id', '=', harborSoup).executeTakeFirstOrThrow();
    expect(soup.eighty_sixed).toBe(false);
  });
});

describe('availability follows stock', () => {
  it('an item goes unavailable when stock falls below its recipe’s need and comes back with a delivery, through a cached menu.get', async () => {
    const services = testServices({ menuCache: new MenuCache(new InProcessBus()) });
    const manager = as(managerA, services);
    const menu = () => callerFor(tdb.db, { services }).menu.get({ locationSlug: 'bistro-centrale' });
    const bread = await itemAt(centrale, 'Garlic bread');
    const sourdough = await newIngredient(managerA, centrale);
    const breadOnMenu = async () => {
      const m = await menu();
      return { version: m.location.version, item: m.categories.flatMap((c) => c.items).find((i) => i.id === bread)! };
    };

    await manager.inventory.adjust({ ingredientId: sourdough.id, reason: 'delivery', delta: 150 });
    await manager.inventory.recipes.set({ itemId: bread, lines: [{ ingredientId: sourdough.id, quantity: 100 }] });
    const start = await breadOnMenu();
    expect(start.item).toMatchObject({ available: true, unavailableReason: null });

    await manager.inventory.adjust({ ingredientId: sourdough.id, reason: 'waste', delta: -60 }); // 90 left, 100 needed
    const out = await breadOnMenu();
    expect(out.item).toMatchObject({ available: false, unavailableReason: 'outOfStock' });
    expect(out.version).not.toBe(start.version);

    await manager.inventory.adjust({ ingredientId: sourdough.id, reason: 'delivery', delta: 10 }); // exactly one portion
    const back = await breadOnMenu();
    expect(back.item).toMatchObject({ available: true, unavailableReason: null });
    expect(back.version).not.toBe(out.version);
  });
});
