import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { applyMovement } from '../src/inventory/stock.js';
import { callerFor, createUser } from './helpers.js';
import { kitchenLocation } from './kitchen-fixtures.js';

/** The pantry's ledger (inventory/stock.ts): what one movement writes, and when the menu must be told. */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

async function menuVersion(locationId: string) {
  return (await tdb.db.selectFrom('locations').select('menu_version').where('id', '=', locationId).executeTakeFirstOrThrow()).menu_version;
}

/** The request's clock, which every movement is stamped with. */
const AT = new Date('2026-11-27T12:00:00Z');

describe('a stock movement', () => {
  it('without a note, a user or an order is stored with an empty note and neither, and returns what is on hand', async () => {
    const fixture = await kitchenLocation(tdb.db, { patty: 4 });
    const moved = await tdb.db.transaction().execute((trx) => applyMovement(trx, { ingredientId: fixture.ingredients.patty, locationId: fixture.locationId, delta: -4, reason: 'waste', at: AT }));
    expect(moved?.onHand).toBe(0);
    const row = await tdb.db.selectFrom('stock_movements').select(['note', 'actor_user_id', 'order_id', 'delta', 'reason', 'created_at']).where('id', '=', moved!.movementId).executeTakeFirstOrThrow();
    expect(row).toEqual({ note: '', actor_user_id: null, order_id: null, delta: -4, reason: 'waste', created_at: AT });
    // Nothing left: one more is refused and writes nothing.
    const refused = await tdb.db.transaction().execute((trx) => applyMovement(trx, { ingredientId: fixture.ingredients.patty, locationId: fixture.locationId, delta: -1, reason: 'waste', at: AT }));
    expect(refused).toBeNull();
    const rows = await tdb.db.selectFrom('stock_movements').select('id').where('ingredient_id', '=', fixture.ingredients.patty).execute();
    expect(rows).toHaveLength(1);
  });

  it('of an ingredient of another location is refused', async () => {
    const here = await kitchenLocation(tdb.db);
    const there = await kitchenLocation(tdb.db);
    const moved = await tdb.db.transaction().execute((trx) => applyMovement(trx, { ingredientId: here.ingredients.soup, locationId: there.locationId, delta: 5, reason: 'delivery', at: AT }));
    expect(moved).toBeNull();
  });
});

describe('the menu follows only the stock it depends on', () => {
  it('adjusting an ingredient no recipe uses leaves the menu’s version alone; one a dish uses moves it on', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const manager = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
    const as = callerFor(tdb.db, { token: manager.token });
    const { id: napkins } = await tdb.db
      .insertInto('ingredients')
      .values({ location_id: fixture.locationId, name: 'Napkins', unit: 'piece', on_hand: 10 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const before = await menuVersion(fixture.locationId);
    await as.inventory.adjust({ ingredientId: napkins, reason: 'delivery', delta: 100 });
    expect(await menuVersion(fixture.locationId)).toBe(before);
    await as.inventory.adjust({ ingredientId: fixture.ingredients.soup, reason: 'delivery', delta: 10 });
    expect(await menuVersion(fixture.locationId)).toBeGreaterThan(before);
  });
});
