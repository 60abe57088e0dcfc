import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { callerFor, createUser, type TestUser } from './helpers.js';
import { ALWAYS_OPEN, orderingLocation, type OrderingFixture } from './order-fixtures.js';
import { refusal } from './procedures.js';

/**
 * Reports read the orders Bistro itself wrote: every order here is placed through
 * `orders.place` at a fixed instant (the request's clock), moved on by the kitchen's own
 * procedures, and read back through `reports.*` as the location's manager.
 */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

interface Place {
  at: string;
  soups?: number;
  fries?: number;
  tipMinor?: number;
  type?: 'pickup' | 'dine_in';
  promoCode?: string;
}

/** Places one order at `at` (an ISO instant): Soup 6.50 and Fries 4.00, 10 % tax. */
let placed = 0;
let diner: Promise<TestUser> | undefined;
async function place(fixture: OrderingFixture, order: Place): Promise<string> {
  return (await placeOrder(fixture, order)).id;
}

async function placeOrder(fixture: OrderingFixture, order: Place) {
  placed += 1;
  // A dine-in order needs a signed-in guest; each order from its own address (no rate limit).
  const token = order.type === 'dine_in' ? (await (diner ??= createUser(tdb.db))).token : null;
  const lines = [
    ...(order.soups ? [{ itemId: fixture.items.soup, quantity: order.soups, options: [] }] : []),
    ...(order.fries ? [{ itemId: fixture.items.fries, quantity: order.fries, options: [] }] : []),
  ];
  const answer = await callerFor(tdb.db, { now: new Date(order.at), token, ip: `2001:db8::${placed.toString(16)}` }).orders.place({
    locationSlug: fixture.slug,
    type: order.type ?? 'pickup',
    ...(order.type === 'dine_in' ? { table: 'T1' } : {}),
    lines: lines.length ? lines : [{ itemId: fixture.items.soup, quantity: 1, options: [] }],
    contact: { name: 'Report Guest' },
    tip: { amountMinor: order.tipMinor ?? 0 },
    ...(order.promoCode ? { promoCode: order.promoCode } : {}),
    idempotencyKey: randomUUID(),
  });
  return answer;
}

async function managerOf(locationId: string): Promise<TestUser> {
  return createUser(tdb.db, { roles: [{ locationId, role: 'manager' }] });
}

describe('reports.sales in the location’s time zone', () => {
  it('New York’s 25-hour day (clocks back on 2026-11-01) holds its own orders, from local midnight to local midnight', async () => {
    const ny = await orderingLocation(tdb.db, { timeZone: 'America/New_York', hours: ALWAYS_OPEN });
    await place(ny, { at: '2026-11-01T03:59:00Z', soups: 1 }); // Oct 31, 23:59 EDT
    await place(ny, { at: '2026-11-01T04:00:00Z', soups: 1 }); // Nov 1, 00:00 EDT
    await place(ny, { at: '2026-11-01T05:30:00Z', soups: 1 }); // 01:30 EDT
    await place(ny, { at: '2026-11-01T06:30:00Z', soups: 1 }); // 01:30 EST, the hour again
    await place(ny, { at: '2026-11-02T04:59:00Z', soups: 1 }); // Nov 1, 23:59 EST (a fixed -4 h would call it Nov 2)
    await place(ny, { at: '2026-11-02T05:00:00Z', soups: 1 }); // Nov 2, 00:00 EST
    const manager = callerFor(tdb.db, { token: (await managerOf(ny.locationId)).token });

    const days = await manager.reports.sales({ locationId: ny.locationId, from: '2026-10-31', to: '2026-11-02', groupBy: 'day' });
    expect(days.rows.map((r) => [r.key, r.orders])).toEqual([
      ['2026-10-31', 1],
      ['2026-11-01', 4],
      ['2026-11-02', 1],
    ]);

    const hours = await manager.reports.sales({ locationId: ny.locationId, from: '2026-11-01', to: '2026-11-01', groupBy: 'hour' });
    expect(hours.rows.map((r) => [r.key, r.orders])).toEqual([
      ['2026-11-01T00:00:00-04:00', 1],
      ['2026-11-01T01:00:00-04:00', 1],
      ['2026-11-01T01:00:00-05:00', 1],
      ['2026-11-01T23:00:00-05:00', 1],
    ]);
    expect(hours.totals.orders).toBe(4);
    expect(hours.location.timeZone).toBe('America/New_York');

    const weekdays = await manager.reports.sales({ locationId: ny.locationId, from: '2026-10-31', to: '2026-11-02', groupBy: 'weekday' });
    expect(weekdays.rows.map((r) => [r.label, r.orders])).toEqual([
      ['Monday', 1],
      ['Saturday', 1],
      ['Sunday', 4],
    ]);
  });

  it('New York’s 23-hour day (clocks forward on 2026-03-08) has no 02:00 and ends at 23:59 EDT', async () => {
    const ny = await orderingLocation(tdb.db, { timeZone: 'America/New_York', hours: ALWAYS_OPEN });
    await place(ny, { at: '2026-03-08T04:59:00Z', soups: 1 }); // Mar 7, 23:59 EST
    await place(ny, { at: '2026-03-08T05:00:00Z', soups: 1 }); // Mar 8, 00:00 EST
    await place(ny, { at: '2026-03-08T06:59:00Z', soups: 1 }); // 01:59 EST
    await place(ny, { at: '2026-03-08T07:00:00Z', soups: 1 }); // 03:00 EDT
    await place(ny, { at: '2026-03-09T03:59:00Z', soups: 1 }); // Mar 8, 23:59 EDT
    await place(ny, { at: '2026-03-09T04:00:00Z', soups: 1 }); // Mar 9, 00:00 EDT
    const manager = callerFor(tdb.db, { token: (await managerOf(ny.locationId)).token });
    const day = await manager.reports.sales({ locationId: ny.locationId, from: '2026-03-08', to: '2026-03-08', groupBy: 'day' });
    expect(day.rows.map((r) => [r.key, r.orders])).toEqual([['2026-03-08', 4]]);
    const hours = await manager.reports.sales({ locationId: ny.locationId, from: '2026-03-08', to: '2026-03-08', groupBy: 'hour' });
    expect(hours.rows.map((r) => r.key)).toEqual([
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T23:00:00-04:00',
    ]);
  });

  it('Rome’s transitions (2026-03-29 forward, 2026-10-25 back) count each local day exactly', async () => {
    const rome = await orderingLocation(tdb.db, { timeZone: 'Europe/Rome', hours: ALWAYS_OPEN });
    await place(rome, { at: '2026-03-28T22:59:00Z', soups: 1 }); // Mar 28, 23:59 CET
    await place(rome, { at: '2026-03-28T23:00:00Z', soups: 1 }); // Mar 29, 00:00 CET
    await place(rome, { at: '2026-03-29T21:59:00Z', soups: 1 }); // Mar 29, 23:59 CEST
    await place(rome, { at: '2026-03-29T22:00:00Z', soups: 1 }); // Mar 30, 00:00 CEST
    await place(rome, { at: '2026-10-24T22:00:00Z', soups: 1 }); // Oct 25, 00:00 CEST
    await place(rome, { at: '2026-10-25T00:30:00Z', soups: 1 }); // 02:30 CEST
    await place(rome, { at: '2026-10-25T01:30:00Z', soups: 1 }); // 02:30 CET, the hour again
    await place(rome, { at: '2026-10-25T22:59:00Z', soups: 1 }); // Oct 25, 23:59 CET
    await place(rome, { at: '2026-10-25T23:00:00Z', soups: 1 }); // Oct 26, 00:00 CET
    const manager = callerFor(tdb.db, { token: (await managerOf(rome.locationId)).token });
    const march = await manager.reports.sales({ locationId: rome.locationId, from: '2026-03-28', to: '2026-03-30', groupBy: 'day' });
    expect(march.rows.map((r) => [r.key, r.orders])).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 2],
      ['2026-03-30', 1],
    ]);
    const october = await manager.reports.sales({ locationId: rome.locationId, from: '2026-10-25', to: '2026-10-25', groupBy: 'hour' });
    expect(october.rows.map((r) => [r.key, r.orders])).toEqual([
      ['2026-10-25T00:00:00+02:00', 1],
      ['2026-10-25T02:00:00+02:00', 1],
      ['2026-10-25T02:00:00+01:00', 1],
      ['2026-10-25T23:00:00+01:00', 1],
    ]);
  });

  it('Kathmandu (+05:45) splits hours and days at its own :00, however the orders are summed by quarter hour first', async () => {
    const ktm = await orderingLocation(tdb.db, { timeZone: 'Asia/Kathmandu', hours: ALWAYS_OPEN });
    await place(ktm, { at: '2026-07-01T07:14:59Z', soups: 1 }); // 12:59:59 local
    await place(ktm, { at: '2026-07-01T07:15:00Z', soups: 1 }); // 13:00:00
    await place(ktm, { at: '2026-07-01T08:14:00Z', soups: 1 }); // 13:59
    await place(ktm, { at: '2026-07-01T18:14:59Z', soups: 1 }); // 23:59:59
    await place(ktm, { at: '2026-07-01T18:15:00Z', soups: 1 }); // Jul 2, 00:00
    const manager = callerFor(tdb.db, { token: (await managerOf(ktm.locationId)).token });
    const range = { locationId: ktm.locationId, from: '2026-07-01', to: '2026-07-02' };
    const byHour = await manager.reports.sales({ ...range, groupBy: 'hour' });
    expect(byHour.rows.map((r) => [r.key, r.orders])).toEqual([
      ['2026-07-01T12:00:00+05:45', 1],
      ['2026-07-01T13:00:00+05:45', 2],
      ['2026-07-01T23:00:00+05:45', 1],
      ['2026-07-02T00:00:00+05:45', 1],
    ]);
    const byDay = await manager.reports.sales({ ...range, groupBy: 'day' });
    expect(byDay.rows.map((r) => [r.key, r.orders, r.grossMinor])).toEqual([
      ['2026-07-01', 4, 4 * 650],
      ['2026-07-02', 1, 650],
    ]);
    expect(byDay.totals).toMatchObject({ orders: 5, grossMinor: 5 * 650 });
    const byWeekday = await manager.reports.sales({ ...range, groupBy: 'weekday' });
    expect(byWeekday.rows.map((r) => [r.label, r.orders])).toEqual([
      ['Wednesday', 4],
      ['Thursday', 1],
    ]);
  });

  it('money is separate figures in minor units: gross, discounts, refunds, net, tax, tips; by order type, item and category', async () => {
    const loc = await orderingLocation(tdb.db, { timeZone: 'Europe/Paris', hours: ALWAYS_OPEN });
    await place(loc, { at: '2026-06-10T10:00:00Z', soups: 2, fries: 1, tipMinor: 150 }); // 1300 + 400 = 1700, tax 170
    await place(loc, { at: '2026-06-10T11:00:00Z', fries: 3, type: 'dine_in' }); // 1200, tax 120
    const manager = callerFor(tdb.db, { token: (await managerOf(loc.locationId)).token });
    const byType = await manager.reports.sales({ locationId: loc.locationId, from: '2026-06-10', to: '2026-06-10', groupBy: 'orderType' });
    expect(byType.totals).toEqual({ orders: 2, grossMinor: 2900, discountMinor: 0, refundMinor: 0, netMinor: 2900, taxMinor: 290, tipMinor: 150 });
    expect(byType.rows).toEqual([
      { key: 'dine_in', label: 'Dine-in', orders: 1, grossMinor: 1200, discountMinor: 0, refundMinor: 0, netMinor: 1200, taxMinor: 120, tipMinor: 0 },
      { key: 'pickup', label: 'Pickup', orders: 1, grossMinor: 1700, discountMinor: 0, refundMinor: 0, netMinor: 1700, taxMinor: 170, tipMinor: 150 },
    ]);
    const byItem = await manager.reports.sales({ locationId: loc.locationId, from: '2026-06-10', to: '2026-06-10', groupBy: 'item' });
    expect(byItem.rows.map((r) => [r.label, r.orders, 'quantity' in r ? r.quantity : null, r.grossMinor, r.taxMinor])).toEqual([
      ['Fries', 2, 4, 1600, null],
      ['Soup', 1, 2, 1300, null],
    ]);
    const byCategory = await manager.reports.sales({ locationId: loc.locationId, from: '2026-06-10', to: '2026-06-10', groupBy: 'category' });
    expect(byCategory.rows.map((r) => [r.label, r.grossMinor])).toEqual([
      ['Sides', 1600],
      ['Mains', 1300],
    ]);
    expect(byCategory.totals.grossMinor).toBe(2900);
  });

  it('a discount code and a refund made the next day count on the order’s own day: net = gross − discount − refunds', async () => {
    const loc = await orderingLocation(tdb.db, { timeZone: 'Europe/Paris', hours: ALWAYS_OPEN });
    const user = await managerOf(loc.locationId);
    const at = (iso: string) => callerFor(tdb.db, { token: user.token, now: new Date(iso) });
    await at('2026-06-11T09:00:00Z').promos.create({ locationId: loc.locationId, code: 'SUMMER10', discount: { percentBp: 1000 } });
    // 2 soups + 1 fries = 1700, 10 % off = 170, tax 10 % of 1530 = 153: 1683, paid in cash at the
    // counter, 500 given back the next day. Then 3 fries = 1200 + 120 tax.
    const discounted = await placeOrder(loc, { at: '2026-06-12T10:00:00Z', soups: 2, fries: 1, promoCode: 'SUMMER10' });
    expect(discounted.totalMinor).toBe(1683);
    const plain = await placeOrder(loc, { at: '2026-06-12T21:59:00Z', fries: 3 }); // 23:59 in Paris: still the 12th
    expect(plain.totalMinor).toBe(1320);
    const cook = await createUser(tdb.db, { roles: [{ locationId: loc.locationId, role: 'staff' }] });
    const cash = await callerFor(tdb.db, { token: cook.token, now: new Date('2026-06-12T10:05:00Z') }).orders.tender({
      orderId: discounted.id,
      method: 'cash',
      amountMinor: discounted.totalMinor,
      idempotencyKey: randomUUID(),
    });
    const day = { locationId: loc.locationId, from: '2026-06-12', to: '2026-06-12', groupBy: 'day' as const };
    const before = await at('2026-06-13T08:00:00Z').reports.sales(day);
    expect(before.totals).toEqual({
      orders: 2,
      grossMinor: 2900,
      discountMinor: 170,
      refundMinor: 0,
      netMinor: 2730,
      taxMinor: 273,
      tipMinor: 0,
    });

    const refund = await at('2026-06-13T09:00:00Z').orders.refund({ orderId: discounted.id, tenderId: cash.tenderId, amountMinor: 500, reason: 'cold soup', idempotencyKey: randomUUID() });
    expect(refund).toMatchObject({ amountMinor: 500, refunds: [{ status: 'succeeded' }] });
    const after = await at('2026-06-13T09:01:00Z').reports.sales(day);
    expect(after.totals).toEqual({ ...before.totals, refundMinor: 500, netMinor: 2230 });
    expect(after.rows).toEqual([{ key: '2026-06-12', label: expect.any(String), ...after.totals }]);
    // The refund's own day holds no order and no refund.
    expect((await at('2026-06-13T09:01:00Z').reports.sales({ ...day, from: '2026-06-13', to: '2026-06-13' })).totals).toMatchObject({ orders: 0, refundMinor: 0, netMinor: 0 });
    // The overview reads the same figures, live: asked on the 12th after the refund was written, it counts it.
    const overview = await at('2026-06-12T21:59:30Z').reports.overview({ locationId: loc.locationId });
    expect(overview.todaySoFar).toMatchObject({ orders: 2, grossMinor: 2900, discountMinor: 170, refundMinor: 500, netMinor: 2230 });
  });

  it('an order rejected after the fact leaves the sales at once, and shows among the kitchen’s rejects', async () => {
    const loc = await orderingLocation(tdb.db, { timeZone: 'Europe/Paris', hours: ALWAYS_OPEN });
    const kept = await place(loc, { at: '2026-06-11T10:00:00Z', soups: 1 });
    const late = await place(loc, { at: '2026-06-11T10:05:00Z', fries: 1 });
    const user = await managerOf(loc.locationId);
    const manager = callerFor(tdb.db, { token: user.token, now: new Date('2026-06-11T11:00:00Z') });
    const range = { locationId: loc.locationId, from: '2026-06-11', to: '2026-06-11' };
    const before = await manager.reports.sales({ ...range, groupBy: 'day' });
    expect(before.totals.orders).toBe(2);
    expect(before.totals.grossMinor).toBe(1050);
    await manager.kitchen.bump({ orderId: late, from: 'placed' });
    await manager.kitchen.reject({ orderId: late, reason: 'Fryer broke' });
    const after = await manager.reports.sales({ ...range, groupBy: 'day' });
    expect(after.totals).toMatchObject({ orders: 1, grossMinor: 650, taxMinor: 65 });
    const kitchen = await manager.reports.kitchen(range);
    expect(kitchen.rejects).toEqual({ total: 1, reasons: [{ reason: 'Fryer broke', count: 1 }] });
    expect(kept).not.toBe(late);
  });

  it('an empty range answers zeros, not an error', async () => {
    const loc = await orderingLocation(tdb.db, { hours: ALWAYS_OPEN });
    await place(loc, { at: '2026-06-12T10:00:00Z', soups: 1 });
    const manager = callerFor(tdb.db, { token: (await managerOf(loc.locationId)).token });
    const empty = await manager.reports.sales({ locationId: loc.locationId, from: '2026-06-13', to: '2026-06-13', groupBy: 'hour' });
    expect(empty.rows).toEqual([]);
    expect(empty.totals).toEqual({ orders: 0, grossMinor: 0, discountMinor: 0, refundMinor: 0, netMinor: 0, taxMinor: 0, tipMinor: 0 });
    const kitchen = await manager.reports.kitchen({ locationId: loc.locationId, from: '2026-06-13', to: '2026-06-13' });
    expect(kitchen.overall).toEqual({ tickets: 0, medianSeconds: null, p90Seconds: null, overPrepTime: 0 });
    expect(kitchen.byHour).toEqual([]);
  });

  it('a range that ends before it starts, or longer than 400 days, is INVALID_INPUT on `to`', async () => {
    const loc = await orderingLocation(tdb.db);
    const manager = callerFor(tdb.db, { token: (await managerOf(loc.locationId)).token });
    const backwards = await refusal(manager.reports.sales({ locationId: loc.locationId, from: '2026-06-13', to: '2026-06-12', groupBy: 'day' }));
    expect(backwards.bistroCode).toBe('INVALID_INPUT');
    expect(Object.keys(backwards.fieldErrors ?? {})).toEqual(['to']);
    const tooLong = await refusal(manager.reports.sales({ locationId: loc.locationId, from: '2025-01-01', to: '2026-02-05', groupBy: 'day' }));
    expect(tooLong.fieldErrors?.to).toEqual(['A report covers at most 400 days']);
    // 400 days exactly is allowed.
    await expect(manager.reports.sales({ locationId: loc.locationId, from: '2025-01-01', to: '2026-02-04', groupBy: 'day' })).resolves.toBeDefined();
  });

  it('a location that does not exist, or is not the caller’s, answers NOT_FOUND; staff may not read reports; an admin may', async () => {
    const loc = await orderingLocation(tdb.db, { hours: ALWAYS_OPEN });
    const other = await orderingLocation(tdb.db);
    await place(loc, { at: '2026-06-14T10:00:00Z', soups: 1 });
    const range = { from: '2026-06-14', to: '2026-06-14', groupBy: 'day' as const };
    const otherManager = callerFor(tdb.db, { token: (await managerOf(other.locationId)).token });
    expect((await refusal(otherManager.reports.sales({ locationId: loc.locationId, ...range }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(otherManager.reports.sales({ locationId: randomUUID(), ...range }))).bistroCode).toBe('NOT_FOUND');
    const staff = callerFor(tdb.db, { token: (await createUser(tdb.db, { roles: [{ locationId: loc.locationId, role: 'staff' }] })).token });
    expect((await refusal(staff.reports.sales({ locationId: loc.locationId, ...range }))).bistroCode).toBe('NOT_FOUND');
    const admin = callerFor(tdb.db, { token: (await createUser(tdb.db, { isAdmin: true })).token });
    expect((await admin.reports.sales({ locationId: loc.locationId, ...range })).totals.orders).toBe(1);
  });
});

describe('reports.kitchen', () => {
  it('times tickets from placed to ready out of the order history: median, p90, by hour, over the prep time', async () => {
    const loc = await orderingLocation(tdb.db, { timeZone: 'Europe/Paris', hours: ALWAYS_OPEN, prepMinutes: 20 });
    const user = await managerOf(loc.locationId);
    // The soup is cooked at the pot station (routed before it was sold); the fries at none.
    const pot = await tdb.db.insertInto('stations').values({ location_id: loc.locationId, name: 'Pot', created_at: new Date(), updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    await tdb.db.updateTable('menu_items').set({ station_id: pot.id }).where('id', '=', loc.items.soup).execute();
    // Ten tickets placed at 12:00 local (10:00Z), ready after 1..9 minutes and one after 25 (over the prep time);
    // one more placed at 13:00 local and never made ready.
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 25];
    let slowest: { id: string; totalMinor: number } | undefined;
    for (const [i, m] of minutes.entries()) {
      const placedAt = new Date(Date.UTC(2026, 5, 15, 10, 0, i));
      const order = await placeOrder(loc, { at: placedAt.toISOString(), soups: 1 });
      const id = order.id;
      slowest = order;
      const kitchen = callerFor(tdb.db, { token: user.token, now: new Date(placedAt.getTime() + 30_000) });
      await kitchen.kitchen.bump({ orderId: id, from: 'placed' });
      await callerFor(tdb.db, { token: user.token, now: new Date(placedAt.getTime() + m * 60_000) }).kitchen.bump({ orderId: id, from: 'preparing' });
    }
    // The slowest ticket paid in cash and partly refunded once ready: the refund's history note repeats
    // 'ready', and the ticket still counts once.
    const cash = await callerFor(tdb.db, { token: user.token, now: new Date('2026-06-15T10:30:00Z') }).orders.tender({ orderId: slowest!.id, method: 'cash', amountMinor: slowest!.totalMinor, idempotencyKey: randomUUID() });
    await callerFor(tdb.db, { token: user.token, now: new Date('2026-06-15T10:40:00Z') }).orders.refund({ orderId: slowest!.id, tenderId: cash.tenderId, amountMinor: 100, reason: 'slow', idempotencyKey: randomUUID() });
    expect((await tdb.db.selectFrom('order_history').select('to_status').where('order_id', '=', slowest!.id).where('action', '=', 'refund').execute()).map((h) => h.to_status)).toEqual(['ready']);
    await place(loc, { at: '2026-06-15T11:00:00Z', soups: 1 });
    // And fries alone (no station) placed at 13:30 local, ready after 21 minutes: over the prep time in its hour only.
    const late = await place(loc, { at: '2026-06-15T11:30:00Z', fries: 1 });
    await callerFor(tdb.db, { token: user.token, now: new Date('2026-06-15T11:31:00Z') }).kitchen.bump({ orderId: late, from: 'placed' });
    await callerFor(tdb.db, { token: user.token, now: new Date('2026-06-15T11:51:00Z') }).kitchen.bump({ orderId: late, from: 'preparing' });
    const report = await callerFor(tdb.db, { token: user.token }).reports.kitchen({ locationId: loc.locationId, from: '2026-06-15', to: '2026-06-15' });
    expect(report.prepMinutes).toBe(20);
    // Eleven tickets: 1..9, 21 and 25 minutes; nearest rank: the 6th is the median, the 10th the p90.
    expect(report.overall).toEqual({ tickets: 11, medianSeconds: 6 * 60, p90Seconds: 21 * 60, overPrepTime: 2 });
    expect(report.byHour).toEqual([
      { hour: 12, tickets: 10, medianSeconds: 300, p90Seconds: 540, overPrepTime: 1 },
      { hour: 13, tickets: 1, medianSeconds: 21 * 60, p90Seconds: 21 * 60, overPrepTime: 1 },
    ]);
    expect(report.byStation).toEqual([{ stationId: pot.id, station: 'Pot', tickets: 10, medianSeconds: 300, p90Seconds: 540, overPrepTime: 1 }]);
    expect(report.rejects).toEqual({ total: 0, reasons: [] });
  });
});

describe('reports.items', () => {
  it('lists best and worst sellers, hand 86s and their duration, and stock used against recipes', async () => {
    const loc = await orderingLocation(tdb.db, { timeZone: 'UTC', hours: ALWAYS_OPEN });
    const user = await managerOf(loc.locationId);
    await place(loc, { at: '2026-06-16T10:00:00Z', soups: 3, fries: 1 });
    await place(loc, { at: '2026-06-16T11:00:00Z', fries: 1 });
    // Burgers with different choices (the report sums lines by item and choices before the recipes
    // multiply): 2 with cheese, then 1 with cheese and bacon, then 1 plain: 4 patties, 3 cheese, 1 bacon.
    const { items: menu, options: o } = loc;
    const burgers = [
      [2, [o.medium, o.cheese]],
      [1, [o.rare, o.cheese, o.bacon, o.smoky]],
      [1, [o.well]],
    ] as const;
    for (const [i, [quantity, options]] of burgers.entries()) {
      await callerFor(tdb.db, { now: new Date(Date.UTC(2026, 5, 16, 13, i)), ip: `2001:db8::b${i}` }).orders.place({
        locationSlug: loc.slug,
        type: 'pickup',
        lines: [{ itemId: menu.burger, quantity, options: [...options] }],
        contact: { name: 'Report Guest' },
        tip: { amountMinor: 0 },
        idempotencyKey: randomUUID(),
      });
    }
    // Fries 86'd from 12:00 to 12:30, and again from 23:00 (still 86'd at the end of the day).
    const at = (iso: string) => callerFor(tdb.db, { token: user.token, now: new Date(iso) });
    await at('2026-06-16T12:00:00Z').kitchen.set86({ itemId: loc.items.fries, eightySixed: true, reason: 'No oil' });
    await at('2026-06-16T12:30:00Z').kitchen.set86({ itemId: loc.items.fries, eightySixed: false });
    await at('2026-06-16T23:00:00Z').kitchen.set86({ itemId: loc.items.fries, eightySixed: true });
    const report = await at('2026-06-18T00:00:00Z').reports.items({ locationId: loc.locationId, from: '2026-06-16', to: '2026-06-16', limit: 2 });
    expect(report.best.map((i) => [i.name, i.quantity])).toEqual([
      ['Burger', 4],
      ['Soup', 3],
    ]);
    expect(report.best[1]!.grossMinor).toBe(1950);
    // Stew and Chili sold nothing (the archived Pie is not on the menu).
    expect(report.worst.map((i) => [i.name, i.quantity])).toEqual([
      ['Chili', 0],
      ['Stew', 0],
    ]);
    expect(report.eightySixed).toEqual([{ itemId: loc.items.fries, name: 'Fries', times: 2, seconds: 30 * 60 + 60 * 60 }]);
    const stock = Object.fromEntries(report.stock.map((s) => [s.name, [s.used, s.expected, s.waste]]));
    expect(stock['Soup portion']).toEqual([3, 3, 0]);
    expect(stock['Potato']).toEqual([400, 400, 0]);
    expect(stock['Patty']).toEqual([4, 4, 0]);
    expect(stock['Cheese slice']).toEqual([3, 3, 0]);
    expect(stock['Bacon rasher']).toEqual([1, 1, 0]);
  });
});

describe('reports.overview', () => {
  it('compares today so far with the same weekday last week up to the same local time, in one call', async () => {
    const loc = await orderingLocation(tdb.db, { timeZone: 'America/New_York', hours: ALWAYS_OPEN });
    // Now: Wednesday 2026-11-04, 12:00 EST. Last week's Wednesday was 2026-10-28, in EDT.
    await place(loc, { at: '2026-11-04T05:00:00Z', soups: 1 }); // today 00:00 EST
    await place(loc, { at: '2026-11-04T16:59:00Z', soups: 2 }); // today 11:59
    await place(loc, { at: '2026-11-04T04:59:00Z', soups: 5 }); // yesterday 23:59: not today
    await place(loc, { at: '2026-10-28T15:59:00Z', fries: 1 }); // last week 11:59 EDT
    await place(loc, { at: '2026-10-28T16:01:00Z', fries: 4 }); // last week 12:01 EDT: after the same time
    const user = await managerOf(loc.locationId);
    const now = new Date('2026-11-04T17:00:00Z');
    const overview = await callerFor(tdb.db, { token: user.token, now }).reports.overview({ locationId: loc.locationId });
    expect(overview.today).toBe('2026-11-04');
    expect(overview.lastWeekDay).toBe('2026-10-28');
    expect(overview.todaySoFar).toMatchObject({ orders: 2, grossMinor: 3 * 650 });
    expect(overview.lastWeekSoFar).toMatchObject({ orders: 1, grossMinor: 400 });
    // Every order placed above is still open (placed).
    expect(overview.openTickets).toBe(5);
  });
});
