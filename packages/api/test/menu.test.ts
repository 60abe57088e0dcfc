import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { BistroError } from '../src/index.js';
import { callerFor, countingStatements } from './helpers.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

describe('menu.get', () => {
  it('returns the location and its categories → items → option groups → options in one SQL statement', async () => {
    const counted = countingStatements(tdb.db);
    const menu = await callerFor(counted.db).menu.get({ locationSlug: 'bistro-centrale' });
    expect(counted.count()).toBe(1);
    expect(menu.location).toMatchObject({ slug: 'bistro-centrale', currency: 'EUR', timeZone: 'Europe/Paris', taxRateBp: 1000 });
    expect(menu.categories.map((c) => c.name)).toEqual(['Starters', 'Mains', 'Desserts', 'Drinks']);
    const items = menu.categories.flatMap((c) => c.items);
    expect(items.length).toBeGreaterThanOrEqual(15);
    const steak = items.find((i) => i.name === 'Steak frites');
    expect(steak?.priceMinor).toBe(2450);
    expect(Number.isInteger(steak?.priceMinor)).toBe(true);
    expect(steak?.optionGroups.map((g) => [g.name, g.minSelections, g.maxSelections])).toEqual([
      ['Cooking', 1, 1],
      ['Extras', 0, 3],
    ]);
    expect(steak?.optionGroups[1]?.options.map((o) => o.priceDeltaMinor)).toEqual([250, 250, 350]);
  });

  it('leaves archived categories, items, option groups and options out', async () => {
    const location = await tdb.db.selectFrom('locations').select('id').where('slug', '=', 'harbor-bistro').executeTakeFirstOrThrow();
    const archive = { archived_at: new Date() };
    await tdb.db.updateTable('menu_categories').set(archive).where('location_id', '=', location.id).where('name', '=', 'Desserts').execute();
    await tdb.db.updateTable('menu_items').set(archive).where('location_id', '=', location.id).where('name', '=', 'Burrata').execute();
    await tdb.db.updateTable('option_groups').set(archive).where('location_id', '=', location.id).where('name', '=', 'Extras').execute();
    const fries = await tdb.db
      .selectFrom('options as o')
      .innerJoin('option_groups as g', 'g.id', 'o.option_group_id')
      .select('o.id')
      .where('g.location_id', '=', location.id)
      .where('o.name', '=', 'Sweet potato fries')
      .executeTakeFirstOrThrow();
    await tdb.db.updateTable('options').set(archive).where('id', '=', fries.id).execute();

    const menu = await callerFor(tdb.db).menu.get({ locationSlug: 'harbor-bistro' });
    expect(menu.categories.map((c) => c.name)).toEqual(['Starters', 'Mains', 'Drinks']);
    const items = menu.categories.flatMap((c) => c.items);
    expect(items.map((i) => i.name)).not.toContain('Burrata');
    const groups = items.flatMap((i) => i.optionGroups);
    expect(groups.map((g) => g.name)).not.toContain('Extras');
    expect(groups.flatMap((g) => g.options.map((o) => o.name))).not.toContain('Sweet potato fries');
    // The other location's menu is untouched.
    const centrale = await callerFor(tdb.db).menu.get({ locationSlug: 'bistro-centrale' });
    expect(centrale.categories.map((c) => c.name)).toContain('Desserts');
  });

  it('answers NOT_FOUND with a stable code for an unknown slug', async () => {
    const error = await callerFor(tdb.db).menu.get({ locationSlug: 'no-such-place' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BistroError);
    expect((error as BistroError).code).toBe('NOT_FOUND');
    expect((error as BistroError).bistroCode).toBe('NOT_FOUND');
  });

  it.each([
    ['a number', { locationSlug: 42 }],
    ['a missing slug', {}],
    ['an unknown key', { locationSlug: 'harbor-bistro', price: 1 }],
    ['a 10 kB string', { locationSlug: 'a'.repeat(10_000) }],
    ['upper case and spaces', { locationSlug: 'Harbor Bistro' }],
  ])('refuses %s as BAD_REQUEST', async (_, input) => {
    const error = await callerFor(tdb.db)
      .menu.get(input as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
  });

  it('shows whether the location is open on its own clock', async () => {
    // Wednesday 2026-11-25 13:00 in Paris (12:00Z): lunch service.
    const lunch = await callerFor(tdb.db, { now: new Date('2026-11-25T12:00:00Z') }).menu.get({ locationSlug: 'bistro-centrale' });
    expect(lunch.location.isOpenNow).toBe(true);
    // Monday: closed all day.
    const monday = await callerFor(tdb.db, { now: new Date('2026-11-23T12:00:00Z') }).menu.get({ locationSlug: 'bistro-centrale' });
    expect(monday.location.isOpenNow).toBe(false);
  });
});
