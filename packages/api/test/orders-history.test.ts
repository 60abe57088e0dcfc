import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { DataKeyError, DataKeys } from '../src/index.js';
import { callerFor, createUser } from './helpers.js';
import { kitchenLocation, pickupOrder } from './kitchen-fixtures.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ seed: false });
});
afterAll(() => tdb?.drop());

describe('an order keeps what was sold', () => {
  it('shows the names and prices it was placed with after the item is repriced, renamed and archived', async () => {
    const kitchen = await kitchenLocation(tdb.db);
    const customer = await createUser(tdb.db);
    const manager = await createUser(tdb.db, { roles: [{ locationId: kitchen.locationId, role: 'manager' }] });
    const placed = await callerFor(tdb.db, { token: customer.token }).orders.place(pickupOrder(kitchen));

    const editor = callerFor(tdb.db, { token: manager.token });
    const burger = await editor.menu.items.update({ itemId: kitchen.items.burger, version: 1, name: 'Smash burger', priceMinor: 1900 });
    await editor.menu.items.archive({ itemId: kitchen.items.burger, version: burger.version });

    const order = await callerFor(tdb.db, { token: customer.token }).orders.get({ orderId: placed.id });
    const line = order.lines.find((l) => l.name === 'Burger');
    expect(line).toMatchObject({ name: 'Burger', unitPriceMinor: 1350, quantity: 1 });
    expect(line?.options.map((o) => o.name)).toEqual(['Cheese']);
    expect(order.totalMinor).toBe(placed.totalMinor);
    // The menu moved on without it.
    const menu = await callerFor(tdb.db).menu.get({ locationSlug: kitchen.slug });
    expect(menu.categories.flatMap((c) => c.items.map((i) => i.name))).toEqual(['Soup']);
  });
});

describe('personal data keys', () => {
  const keys = new DataKeys([{ id: 'k2', key: Buffer.alloc(32, 2) }, { id: 'k1', key: Buffer.alloc(32, 1) }]);

  it('uses a fresh nonce per value and binds each value to its place', () => {
    const a = keys.encrypt('+351 912 345 678', 'orders.contact_phone:1');
    const b = keys.encrypt('+351 912 345 678', 'orders.contact_phone:1');
    expect(a.equals(b)).toBe(false);
    expect(keys.decrypt(a, 'orders.contact_phone:1')).toBe('+351 912 345 678');
    expect(() => keys.decrypt(a, 'orders.contact_phone:2')).toThrow(DataKeyError);
  });

  it('refuses tampered ciphertext instead of returning garbage', () => {
    const blob = keys.encrypt('ana@example.test', 'aad');
    for (const index of [blob.length - 1, blob.length - 20, 5]) {
      const tampered = Buffer.from(blob);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => keys.decrypt(tampered, 'aad')).toThrow(DataKeyError);
    }
    expect(() => keys.decrypt(blob.subarray(0, 10), 'aad')).toThrow(DataKeyError);
  });

  it('reads values written with an older key after rotation, and writes with the newest', () => {
    const old = new DataKeys([{ id: 'k1', key: Buffer.alloc(32, 1) }]).encrypt('old value', 'aad');
    expect(keys.decrypt(old, 'aad')).toBe('old value');
    expect(keys.encrypt('new', 'aad').subarray(2, 4).toString()).toBe('k2');
    expect(() => new DataKeys([{ id: 'k3', key: Buffer.alloc(32, 3) }]).decrypt(old, 'aad')).toThrow(/No data key "k1"/);
  });
});
