import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { InProcessBus, MenuCache } from '../src/index.js';
import { orderEventsTopic } from '../src/orders/events.js';
import { changeOrderStatus, returnStock } from '../src/orders/transition.js';
import { callerFor, createUser, testServices, type TestServices, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder, stockOf } from './kitchen-fixtures.js';
import { errorData, refusal } from './procedures.js';

/**
 * What each change of an order's state does to the pantry, the menu and the kitchen screens.
 * pickupOrder takes 2 soup portions, 1 patty and 1 cheese slice.
 */

let tdb: TestDatabase;
let ips = 0;
const clock = new Date('2026-11-27T12:00:00.000Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

function as(user: TestUser | null, services: TestServices, now?: Date) {
  ips += 1;
  return callerFor(tdb.db, { token: user?.token ?? null, services, ip: `2001:db8:7::${ips.toString(16)}`, ...(now ? { now } : {}) });
}

async function kitchen(stock: { soup?: number; patty?: number; cheese?: number }, services = testServices({ bus: new InProcessBus() })) {
  const fixture = await kitchenLocation(tdb.db, stock);
  const cook = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
  return { fixture, cook, services };
}

async function ledger(orderId: string) {
  const rows = await tdb.db.selectFrom('stock_movements').select(['reason', 'delta', 'ingredient_id']).where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => `${r.reason} ${r.delta}`).sort();
}

describe('stock after each step of an order’s life', () => {
  it('placed → preparing → ready → completed leaves the stock taken at every bump; nothing comes back', async () => {
    const { fixture, cook, services } = await kitchen({ soup: 10, patty: 5, cheese: 3 });
    const taken = { 'Cheese slice': 2, Patty: 4, 'Soup portion': 8 };
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual(taken);
    for (const from of ['placed', 'preparing', 'ready'] as const) {
      await as(cook, services).kitchen.bump({ orderId: order.id, from });
      expect(await stockOf(tdb.db, fixture.locationId), `after bumping from ${from}`).toEqual(taken);
    }
    expect(await ledger(order.id)).toEqual(['sale -1', 'sale -1', 'sale -2']);
  });

  it.each(['placed', 'preparing', 'ready'] as const)('the kitchen rejecting a ticket that is %s gives the stock back exactly once', async (status) => {
    const { fixture, cook, services } = await kitchen({ soup: 10, patty: 5, cheese: 3 });
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    for (const from of ['placed', 'preparing', 'ready'] as const) {
      if (from === status) break;
      await as(cook, services).kitchen.bump({ orderId: order.id, from });
    }
    await as(cook, services).kitchen.reject({ orderId: order.id, reason: 'out of gas' });
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual({ 'Cheese slice': 3, Patty: 5, 'Soup portion': 10 });
    // A second reject or a cancel is refused and gives nothing back again.
    expect((await refusal(as(cook, services).kitchen.reject({ orderId: order.id, reason: 'again' }))).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
    expect((await refusal(as(null, services).orders.cancel({ trackingToken: order.trackingToken }))).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual({ 'Cheese slice': 3, Patty: 5, 'Soup portion': 10 });
    expect(await ledger(order.id)).toEqual(['return 1', 'return 1', 'return 2', 'sale -1', 'sale -1', 'sale -2']);
  });

  it('a guest cancelling gives the stock back once; cancelling again is refused and gives nothing more', async () => {
    const { fixture, services } = await kitchen({ soup: 10, patty: 5, cheese: 3 });
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    await as(null, services).orders.cancel({ trackingToken: order.trackingToken });
    expect((await refusal(as(null, services).orders.cancel({ trackingToken: order.trackingToken }))).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual({ 'Cheese slice': 3, Patty: 5, 'Soup portion': 10 });
  });

  it('giving an order’s stock back a second time by mistake returns nothing more', async () => {
    const { fixture, services } = await kitchen({ soup: 10, patty: 5, cheese: 3 });
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    await as(null, services).orders.cancel({ trackingToken: order.trackingToken });
    const before = await ledger(order.id);
    expect(await tdb.db.transaction().execute((trx) => returnStock(trx, order.id, fixture.locationId, null, new Date('2026-11-27T12:00:00Z')))).toBe(false);
    expect(await ledger(order.id)).toEqual(before);
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual({ 'Cheese slice': 3, Patty: 5, 'Soup portion': 10 });
  });

  it('the returned stock is booked to the cook who rejected, with a note', async () => {
    const { fixture, cook, services } = await kitchen({});
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    await as(cook, services).kitchen.reject({ orderId: order.id, reason: 'no more soup' });
    const returns = await tdb.db
      .selectFrom('stock_movements')
      .select(['actor_user_id', 'note', 'location_id'])
      .where('order_id', '=', order.id)
      .where('reason', '=', 'return')
      .execute();
    expect(returns).toHaveLength(3);
    for (const row of returns) expect(row).toEqual({ actor_user_id: cook.id, note: 'order cancelled', location_id: fixture.locationId });
  });
});

describe('the menu after a cancel', () => {
  it('an item that sold out is available again on a cached menu.get right after the order is cancelled', async () => {
    const services = testServices({ bus: new InProcessBus(), menuCache: new MenuCache(new InProcessBus()) });
    const { fixture } = await kitchen({ soup: 2 }, services);
    const soupOnMenu = async () => {
      const menu = await as(null, services).menu.get({ locationSlug: fixture.slug });
      return menu.categories.flatMap((c) => c.items).find((i) => i.id === fixture.items.soup)!;
    };
    expect(await soupOnMenu()).toMatchObject({ available: true });
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    expect(await soupOnMenu()).toMatchObject({ available: false, unavailableReason: 'outOfStock' });
    await as(null, services).orders.cancel({ trackingToken: order.trackingToken });
    expect(await soupOnMenu()).toMatchObject({ available: true, unavailableReason: null });
  });

  it('a bump changes no stock and leaves the menu’s version alone; a cancel moves it on', async () => {
    const { fixture, cook, services } = await kitchen({});
    const version = async () => (await tdb.db.selectFrom('locations').select('menu_version').where('id', '=', fixture.locationId).executeTakeFirstOrThrow()).menu_version;
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    const placed = await version();
    await as(cook, services).kitchen.bump({ orderId: order.id, from: 'placed' });
    expect(await version()).toBe(placed);
    await as(cook, services).kitchen.reject({ orderId: order.id, reason: 'closing early' });
    expect(await version()).toBeGreaterThan(placed);
  });
});

describe('a kitchen screen that is behind', () => {
  it('a bump from the status the screen showed, after the ticket moved on, is refused without naming a status the screen never saw', async () => {
    const { fixture, cook, services } = await kitchen({});
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    await as(cook, services).kitchen.bump({ orderId: order.id, from: 'placed' });
    const error = await as(cook, services)
      .kitchen.bump({ orderId: order.id, from: 'placed' })
      .then(() => null, (e: unknown) => e as Error);
    expect(errorData(error).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
    expect(error?.message).toBe('The order can\'t be changed by "accept" now');
    expect((await tdb.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow()).status).toBe('preparing');
  });

  it('a bump leaves the cached menu in place: only a change that gives stock back refreshes it', async () => {
    const services = testServices({ bus: new InProcessBus(), menuCache: new MenuCache(new InProcessBus()) });
    const { fixture, cook } = await kitchen({}, services);
    const soupPrice = async () => (await as(null, services).menu.get({ locationSlug: fixture.slug })).categories.flatMap((c) => c.items).find((i) => i.id === fixture.items.soup)!.priceMinor;
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    expect(await soupPrice()).toBe(650);
    // Written behind the cache's back: the cached menu keeps the old price until something refreshes it.
    await tdb.db.updateTable('menu_items').set({ price_minor: 700 }).where('id', '=', fixture.items.soup).execute();
    await as(cook, services).kitchen.bump({ orderId: order.id, from: 'placed' });
    expect(await soupPrice()).toBe(650);
    await as(cook, services).kitchen.reject({ orderId: order.id, reason: 'sorry' });
    expect(await soupPrice()).toBe(700);
  });
});

describe('kitchen screens and trackers are told', () => {
  it('every change of state is announced once on the location’s topic, after it is saved', async () => {
    const { fixture, cook, services } = await kitchen({});
    const heard: string[] = [];
    const stop = services.bus!.subscribe(orderEventsTopic(fixture.locationId), (message) => heard.push(message));
    try {
      const order = await as(null, services).orders.place(pickupOrder(fixture));
      const afterPlace = heard.length;
      await as(cook, services).kitchen.bump({ orderId: order.id, from: 'placed' });
      expect(heard.length).toBe(afterPlace + 1);
      await as(cook, services).kitchen.reject({ orderId: order.id, reason: 'sorry' });
      expect(heard.length).toBe(afterPlace + 2);
      expect(heard.slice(afterPlace)).toEqual([fixture.locationId, fixture.locationId]);
    } finally {
      stop();
    }
  });

  it('the change is stamped with the request’s clock, in the order, its history and its event', async () => {
    const { fixture, cook, services } = await kitchen({});
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    const result = await as(cook, services, clock).kitchen.bump({ orderId: order.id, from: 'placed' });
    const row = await tdb.db.selectFrom('orders').select('updated_at').where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(row.updated_at.toISOString()).toBe(clock.toISOString());
    const history = await tdb.db.selectFrom('order_history').select(['at', 'actor_user_id']).where('order_id', '=', order.id).where('action', '=', 'accept').executeTakeFirstOrThrow();
    expect(history).toEqual({ at: clock, actor_user_id: cook.id });
    const event = await tdb.db.selectFrom('order_events').select(['id', 'at', 'status']).where('order_id', '=', order.id).where('type', '=', 'order.accept').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ at: clock, status: 'preparing' });
    expect(result).toMatchObject({ status: 'preparing' });
  });
});

describe('an order that does not exist', () => {
  it('is refused (ORDER_TRANSITION_REFUSED, a 409), never a server error, with or without the status the screen showed', async () => {
    const services = testServices();
    const ctx = { db: tdb.db, services, now: () => clock };
    const unknown = randomUUID();
    for (const from of [undefined, 'placed' as const]) {
      const error = await changeOrderStatus(ctx, { orderId: unknown, action: 'cancel', actor: 'orderer', actorUserId: null, ...(from ? { from } : {}) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(errorData(error)).toMatchObject({ bistroCode: 'ORDER_TRANSITION_REFUSED', httpStatus: 409 });
      expect((error as Error).message).toBe('The order can\'t be changed by "cancel" now');
    }
    const written = await tdb.db.selectFrom('order_history').select('id').where('order_id', '=', unknown).execute();
    expect(written).toEqual([]);
  });

  it('a refusal names the status the order is in, in words', async () => {
    const { fixture, services } = await kitchen({});
    const order = await as(null, services).orders.place(pickupOrder(fixture));
    await tdb.db.updateTable('orders').set({ status: 'pending_payment' }).where('id', '=', order.id).execute();
    const ctx = { db: tdb.db, services, now: () => clock };
    const error = await changeOrderStatus(ctx, { orderId: order.id, action: 'accept', actor: 'kitchen', actorUserId: null }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe('An order that is pending payment can\'t be changed by "accept"');
  });
});
