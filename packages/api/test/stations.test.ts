import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { InProcessBus } from '../src/index.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from './kitchen-fixtures.js';
import { refusal } from './procedures.js';

/**
 * Stations: managers add, rename, reorder and archive them and route items to them; each order
 * line keeps the station of its item at the time of sale; a station's display (kitchen.queue and
 * kitchen.onTickets with `stationId`) shows only its lines, expo whole orders.
 */

let tdb: TestDatabase;
let here: KitchenFixture;
let elsewhere: KitchenFixture;
let manager: TestUser;
let cook: TestUser;
let otherManager: TestUser;
const services = testServices({ bus: new InProcessBus() });
let ips = 0;

function as(user: TestUser | null) {
  ips += 1;
  return callerFor(tdb.db, { token: user?.token ?? null, services, ip: `2001:db8:5::${ips.toString(16)}` });
}

async function versionOf(itemId: string): Promise<number> {
  return (await tdb.db.selectFrom('menu_items').select('version').where('id', '=', itemId).executeTakeFirstOrThrow()).version;
}

async function route(itemId: string, stationId: string | null) {
  return as(manager).menu.items.update({ itemId, version: await versionOf(itemId), stationId });
}

/** An order of soup only (no burger). */
function soupOnly(fixture: KitchenFixture, name: string) {
  const order = pickupOrder(fixture, { name });
  return { ...order, lines: [order.lines[0]!] };
}

/** A fresh location with a manager and a cook of its own. */
async function freshKitchen() {
  const fixture = await kitchenLocation(tdb.db);
  const boss = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
  const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
  return { fixture, boss, staff };
}

/** A fresh location with a grill (burgers routed to it) and a cold station (soups), in that order. */
async function grillAndCold() {
  const kitchen = await freshKitchen();
  const { fixture, boss } = kitchen;
  const grill = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Grill' });
  const cold = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Cold' });
  await as(boss).menu.items.update({ itemId: fixture.items.burger, version: 1, stationId: grill.id });
  await as(boss).menu.items.update({ itemId: fixture.items.soup, version: 1, stationId: cold.id });
  return { ...kitchen, grill, cold };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  here = await kitchenLocation(tdb.db);
  elsewhere = await kitchenLocation(tdb.db);
  manager = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'manager' }] });
  cook = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'staff' }] });
  otherManager = await createUser(tdb.db, { roles: [{ locationId: elsewhere.locationId, role: 'manager' }] });
});
afterAll(() => tdb?.drop());

describe('editing stations', () => {
  it('a manager adds stations at the end, renames, moves and archives them; staff read the list', async () => {
    const { fixture, boss, staff } = await freshKitchen();
    const grill = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Grill' });
    const fryer = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Fryer' });
    const cold = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Cold' });
    expect([grill.sortOrder, fryer.sortOrder, cold.sortOrder]).toEqual([0, 1, 2]);
    expect(Object.keys(grill).sort()).toEqual(['id', 'name', 'sortOrder']);

    await as(boss).stations.update({ stationId: fryer.id, name: 'Fry station', sortOrder: 5 });
    await as(boss).stations.update({ stationId: cold.id, sortOrder: 0 });
    await as(boss).stations.update({ stationId: grill.id, sortOrder: 1 });
    expect((await as(staff).stations.list({ locationId: fixture.locationId })).map((s) => s.name)).toEqual(['Cold', 'Grill', 'Fry station']);

    // Archiving un-routes its items; the list no longer shows it; it can't be changed any more.
    await as(boss).menu.items.update({ itemId: fixture.items.burger, version: 1, stationId: grill.id });
    const archived = await as(boss).stations.update({ stationId: grill.id, archived: true });
    expect(archived).toMatchObject({ archived: true, unroutedItems: 1 });
    expect((await as(staff).stations.list({ locationId: fixture.locationId })).map((s) => s.name)).toEqual(['Cold', 'Fry station']);
    const burger = await tdb.db.selectFrom('menu_items').select('station_id').where('id', '=', fixture.items.burger).executeTakeFirstOrThrow();
    expect(burger.station_id).toBeNull();
    expect(await refusal(as(boss).stations.update({ stationId: grill.id, name: 'Grill again' }))).toMatchObject({ bistroCode: 'MENU_ENTRY_ARCHIVED' });
    // Its name is free again.
    await expect(as(boss).stations.create({ locationId: fixture.locationId, name: 'grill' })).resolves.toMatchObject({ name: 'grill' });
    // Staff read, but do not edit.
    expect(await refusal(as(staff).stations.create({ locationId: fixture.locationId, name: 'Bar' }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
  });

  it('a name already used at the location (in any case) is ALREADY_EXISTS on the name; another location may use it', async () => {
    const { fixture, boss } = await freshKitchen();
    const bar = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Bar' });
    const pass = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Pass' });
    const taken = await refusal(as(boss).stations.create({ locationId: fixture.locationId, name: 'BAR' }));
    expect(taken).toMatchObject({ bistroCode: 'ALREADY_EXISTS', fieldErrors: { name: ['Already taken'] } });
    expect(await refusal(as(boss).stations.update({ stationId: pass.id, name: 'bar' }))).toMatchObject({ bistroCode: 'ALREADY_EXISTS' });
    expect((await as(boss).stations.list({ locationId: fixture.locationId })).map((s) => s.id)).toEqual([bar.id, pass.id]);
    await expect(as(otherManager).stations.create({ locationId: elsewhere.locationId, name: 'Bar' })).resolves.toMatchObject({ name: 'Bar' });
  });

  it('a station update with nothing to change, a blank or control-character name is INVALID_INPUT', async () => {
    const station = await as(manager).stations.create({ locationId: here.locationId, name: 'Expo shelf' });
    for (const input of [{ stationId: station.id }, { stationId: station.id, name: '' }, { stationId: station.id, name: 'Gr\u0000ill' }]) {
      expect(await refusal(as(manager).stations.update(input))).toMatchObject({ bistroCode: 'INVALID_INPUT' });
    }
  });
});

describe('routing items', () => {
  it('an item routed to another location’s station is NOT_FOUND, to an archived one MENU_ENTRY_ARCHIVED; nothing changes', async () => {
    const theirs = await as(otherManager).stations.create({ locationId: elsewhere.locationId, name: 'Their grill' });
    const gone = await as(manager).stations.create({ locationId: here.locationId, name: 'Old bar' });
    await as(manager).stations.update({ stationId: gone.id, archived: true });
    const version = await versionOf(here.items.soup);
    expect(await refusal(as(manager).menu.items.update({ itemId: here.items.soup, version, stationId: theirs.id }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(manager).menu.items.update({ itemId: here.items.soup, version, stationId: gone.id }))).toMatchObject({ bistroCode: 'MENU_ENTRY_ARCHIVED' });
    const category = await tdb.db.selectFrom('menu_items').select('category_id').where('id', '=', here.items.soup).executeTakeFirstOrThrow();
    expect(await refusal(as(manager).menu.items.create({ categoryId: category.category_id, name: 'Stew', priceMinor: 900, stationId: theirs.id }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await versionOf(here.items.soup)).toBe(version);
    expect((await tdb.db.selectFrom('menu_items').select('station_id').where('id', '=', here.items.soup).executeTakeFirstOrThrow()).station_id).toBeNull();
  });

  it('the database itself refuses an item pointing at another location’s station', async () => {
    const theirs = await as(otherManager).stations.create({ locationId: elsewhere.locationId, name: 'Their fryer' });
    await expect(tdb.db.updateTable('menu_items').set({ station_id: theirs.id }).where('id', '=', here.items.burger).execute()).rejects.toMatchObject({
      code: '23503',
      constraint: 'menu_items_station_fk',
    });
  });

  it('routing goes through the item’s version: a stale one is STALE_VERSION; the editor’s read shows the station', async () => {
    const { fixture, boss } = await freshKitchen();
    const grill = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Grill' });
    const routed = await as(boss).menu.items.update({ itemId: fixture.items.burger, version: 1, stationId: grill.id });
    expect(routed).toMatchObject({ stationId: grill.id, version: 2 });
    expect(await refusal(as(boss).menu.items.update({ itemId: fixture.items.burger, version: 1, stationId: null }))).toMatchObject({ bistroCode: 'STALE_VERSION' });
    const menu = await as(boss).menu.forEdit({ locationId: fixture.locationId });
    const burger = menu.items.find((i) => i.id === fixture.items.burger);
    expect(burger).toMatchObject({ stationId: grill.id });
    await expect(as(boss).menu.items.update({ itemId: fixture.items.burger, version: 2, stationId: null })).resolves.toMatchObject({ stationId: null });
  });
});

describe('station displays', () => {
  it('a line keeps the station it was sold at after its item is re-routed; the grill sees only grill lines, expo the whole order', async () => {
    const { fixture, boss, staff, grill, cold } = await grillAndCold();
    const both = await as(null).orders.place(pickupOrder(fixture, { name: 'Ada Both' }));
    const soup = await as(null).orders.place(soupOnly(fixture, 'Sol Soup'));
    // The burger moves to the cold station: the order already sold keeps its grill line.
    await as(boss).menu.items.update({ itemId: fixture.items.burger, version: 2, stationId: cold.id });
    const after = await as(null).orders.place(pickupOrder(fixture, { name: 'Ari After' }));

    const expo = await as(staff).kitchen.queue({ locationId: fixture.locationId });
    expect(expo.tickets.map((t) => t.orderId)).toEqual([both.id, soup.id, after.id]);
    expect(expo.tickets[0]!.lines.map((l) => [l.name, l.station?.name])).toEqual([
      ['Soup', 'Cold'],
      ['Burger', 'Grill'],
    ]);
    expect(expo.tickets[2]!.lines.map((l) => l.station?.name)).toEqual(['Cold', 'Cold']);

    const grillView = await as(staff).kitchen.queue({ locationId: fixture.locationId, stationId: grill.id });
    expect(grillView.tickets.map((t) => t.orderId)).toEqual([both.id]);
    expect(grillView.tickets[0]!.lines).toEqual([{ station: { id: grill.id, name: 'Grill' }, name: 'Burger', quantity: 1, options: [{ name: 'Cheese', groupName: 'Extras' }], note: null }]);
    const coldView = await as(staff).kitchen.queue({ locationId: fixture.locationId, stationId: cold.id });
    expect(coldView.tickets.map((t) => [t.orderId, t.lines.map((l) => l.name)])).toEqual([
      [both.id, ['Soup']],
      [soup.id, ['Soup']],
      [after.id, ['Soup', 'Burger']],
    ]);
    // Archiving the grill: its sold line still shows on a grill display.
    await as(boss).stations.update({ stationId: grill.id, archived: true });
    expect((await as(staff).kitchen.queue({ locationId: fixture.locationId, stationId: grill.id })).tickets.map((t) => t.orderId)).toEqual([both.id]);
  });

  it('a station filter never shows another location’s tickets: another location’s station is NOT_FOUND, in the queue and the feed', async () => {
    const grillHere = await as(manager).stations.create({ locationId: here.locationId, name: 'Grill' });
    const grillThere = await as(otherManager).stations.create({ locationId: elsewhere.locationId, name: 'Grill' });
    await route(here.items.burger, grillHere.id);
    await tdb.db.updateTable('menu_items').set({ station_id: grillThere.id }).where('id', '=', elsewhere.items.burger).execute();
    const mine = await as(null).orders.place(pickupOrder(here, { name: 'Hal Here' }));
    const theirs = await as(null).orders.place(pickupOrder(elsewhere, { name: 'Tom There' }));
    const grill = await as(cook).kitchen.queue({ locationId: here.locationId, stationId: grillHere.id });
    expect(grill.tickets.map((t) => t.orderId)).toContain(mine.id);
    expect(grill.tickets.map((t) => t.orderId)).not.toContain(theirs.id);
    expect(await refusal(as(cook).kitchen.queue({ locationId: here.locationId, stationId: grillThere.id }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(cook).kitchen.onTickets({ locationId: here.locationId, stationId: grillThere.id }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
  });

  it('a station’s live feed sends only tickets with its lines (with only those lines), and resumes after the last one it sent', async () => {
    const { fixture, staff, grill } = await grillAndCold();
    const { lastEventId } = await as(staff).kitchen.queue({ locationId: fixture.locationId, stationId: grill.id });
    const feed = await as(staff).kitchen.onTickets({ locationId: fixture.locationId, stationId: grill.id, lastEventId });
    const expoFeed = await as(staff).kitchen.onTickets({ locationId: fixture.locationId, lastEventId });
    const iterator = feed[Symbol.asyncIterator]();
    const expo = expoFeed[Symbol.asyncIterator]();
    const soup = await as(null).orders.place(soupOnly(fixture, 'Sol Soup'));
    const both = await as(null).orders.place(pickupOrder(fixture, { name: 'Ada Both' }));
    type Event = [string, { orderId: string; type: string; ticket: { lines: { name: string; station: { name: string } | null }[] } | null }];
    const first = (await iterator.next()).value as unknown as Event;
    // The soup-only order is passed over: the grill's first event is the order with a burger.
    expect(first[1]).toMatchObject({ orderId: both.id, type: 'order.placed' });
    expect(first[1].ticket!.lines.map((l) => l.name)).toEqual(['Burger']);
    const expoFirst = (await expo.next()).value as unknown as Event;
    const expoSecond = (await expo.next()).value as unknown as Event;
    expect([expoFirst[1].orderId, expoSecond[1].orderId]).toEqual([soup.id, both.id]);
    expect(expoSecond[1].ticket!.lines.map((l) => [l.name, l.station?.name])).toEqual([
      ['Soup', 'Cold'],
      ['Burger', 'Grill'],
    ]);
    await as(staff).kitchen.bump({ orderId: soup.id, from: 'placed' });
    await as(staff).kitchen.bump({ orderId: both.id, from: 'placed' });
    const second = (await iterator.next()).value as unknown as Event;
    expect(second[1]).toMatchObject({ orderId: both.id, type: 'order.accept' });
    await iterator.return?.();
    await expo.return?.();

    // Resuming after the first grill event replays exactly the grill's second one, not the soup's bump.
    const resumed = await as(staff).kitchen.onTickets({ locationId: fixture.locationId, stationId: grill.id, lastEventId: first[0] });
    const again = resumed[Symbol.asyncIterator]();
    const replayed = (await again.next()).value as unknown as Event;
    await again.return?.();
    expect(replayed[0]).toBe(second[0]);
  });
});

describe('a station marks its lines of a ticket done', () => {
  type Event = [string, { orderId: string; type: string; status: string; ticket: { lines: { name: string }[]; stations: { name: string; done: boolean }[] } | null }];

  async function eventsOf(orderId: string): Promise<string[]> {
    const rows = await tdb.db.selectFrom('order_events').select('type').where('order_id', '=', orderId).orderBy('id').execute();
    return rows.map((r) => r.type);
  }

  it('done and undone show on every view of the ticket; asking again for the same state changes nothing and sends no event', async () => {
    const { fixture, staff, grill, cold } = await grillAndCold();
    const order = await as(null).orders.place(pickupOrder(fixture, { name: 'Dee Done' }));
    const expoBefore = await as(staff).kitchen.queue({ locationId: fixture.locationId });
    // Each station with lines on the ticket, in the stations' order, none done yet.
    expect(expoBefore.tickets[0]!.stations).toEqual([
      { id: grill.id, name: 'Grill', done: false },
      { id: cold.id, name: 'Cold', done: false },
    ]);

    await expect(as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: true })).resolves.toEqual({ orderId: order.id, stationId: grill.id, done: true });
    await expect(as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: true })).resolves.toEqual({ orderId: order.id, stationId: grill.id, done: true });
    expect(await eventsOf(order.id)).toEqual(['order.placed', 'order.station_done']);
    const expo = await as(staff).kitchen.queue({ locationId: fixture.locationId });
    expect(expo.tickets[0]!.stations.map((s) => [s.name, s.done])).toEqual([
      ['Grill', true],
      ['Cold', false],
    ]);
    // A station's own view carries only its own "done".
    expect((await as(staff).kitchen.queue({ locationId: fixture.locationId, stationId: grill.id })).tickets[0]!.stations).toEqual([{ id: grill.id, name: 'Grill', done: true }]);
    expect((await as(staff).kitchen.queue({ locationId: fixture.locationId, stationId: cold.id })).tickets[0]!.stations).toEqual([{ id: cold.id, name: 'Cold', done: false }]);
    // Done is not a status: the order is still placed, its history unchanged.
    expect(expo.tickets[0]!.status).toBe('placed');
    expect(await tdb.db.selectFrom('order_history').select('to_status').where('order_id', '=', order.id).execute()).toHaveLength(1);

    // The recall: undone, once; again is a no-op.
    await expect(as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: false })).resolves.toMatchObject({ done: false });
    await expect(as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: false })).resolves.toMatchObject({ done: false });
    await expect(as(staff).kitchen.stationDone({ orderId: order.id, stationId: cold.id, done: false })).resolves.toMatchObject({ done: false });
    expect(await eventsOf(order.id)).toEqual(['order.placed', 'order.station_done', 'order.station_undone']);
    expect((await as(staff).kitchen.queue({ locationId: fixture.locationId })).tickets[0]!.stations.map((s) => s.done)).toEqual([false, false]);
    const row = await tdb.db.selectFrom('order_station_done').select('order_id').where('order_id', '=', order.id).executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('while preparing it may change; once ready or cancelled it is ORDER_TRANSITION_REFUSED and nothing is written', async () => {
    const { fixture, staff, grill, cold } = await grillAndCold();
    const order = await as(null).orders.place(pickupOrder(fixture, { name: 'Sam State' }));
    await as(staff).kitchen.bump({ orderId: order.id, from: 'placed' });
    await expect(as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: true })).resolves.toMatchObject({ done: true });
    await as(staff).kitchen.bump({ orderId: order.id, from: 'preparing' });
    const before = await eventsOf(order.id);
    for (const input of [
      { stationId: grill.id, done: false },
      { stationId: cold.id, done: true },
    ]) {
      const refused = await refusal(as(staff).kitchen.stationDone({ orderId: order.id, ...input }));
      expect(refused).toMatchObject({ bistroCode: 'ORDER_TRANSITION_REFUSED' });
    }
    expect(await eventsOf(order.id)).toEqual(before);
    expect((await tdb.db.selectFrom('order_station_done').select('station_id').where('order_id', '=', order.id).execute()).map((r) => r.station_id)).toEqual([grill.id]);

    const rejected = await as(null).orders.place(pickupOrder(fixture, { name: 'Rae Rejected' }));
    await as(staff).kitchen.reject({ orderId: rejected.id, reason: 'No gas' });
    expect(await refusal(as(staff).kitchen.stationDone({ orderId: rejected.id, stationId: grill.id, done: true }))).toMatchObject({ bistroCode: 'ORDER_TRANSITION_REFUSED' });
  });

  it('another location’s station, an unknown station or order is NOT_FOUND; a station without lines on the ticket is STATION_NOT_ON_TICKET', async () => {
    const { fixture, boss, staff, grill } = await grillAndCold();
    const soup = await as(null).orders.place(soupOnly(fixture, 'Sol Soup'));
    const both = await as(null).orders.place(pickupOrder(fixture, { name: 'Ada Both' }));
    const theirs = await as(otherManager).stations.create({ locationId: elsewhere.locationId, name: 'Their hob' });
    const bar = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Bar' });
    expect(await refusal(as(staff).kitchen.stationDone({ orderId: both.id, stationId: theirs.id, done: true }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(staff).kitchen.stationDone({ orderId: both.id, stationId: '00000000-0000-4000-8000-000000000000', done: true }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(staff).kitchen.stationDone({ orderId: '00000000-0000-4000-8000-000000000000', stationId: grill.id, done: true }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(staff).kitchen.stationDone({ orderId: soup.id, stationId: grill.id, done: true }))).toMatchObject({
      bistroCode: 'STATION_NOT_ON_TICKET',
      fieldErrors: { stationId: ['No lines on this ticket'] },
    });
    expect(await refusal(as(staff).kitchen.stationDone({ orderId: both.id, stationId: bar.id, done: true }))).toMatchObject({ bistroCode: 'STATION_NOT_ON_TICKET' });
    // Staff of another location don't see the order at all.
    const outsider = await createUser(tdb.db, { roles: [{ locationId: elsewhere.locationId, role: 'staff' }] });
    expect(await refusal(as(outsider).kitchen.stationDone({ orderId: both.id, stationId: grill.id, done: true }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await eventsOf(both.id)).toEqual(['order.placed']);
    expect(await tdb.db.selectFrom('order_station_done').select('order_id').where('order_id', 'in', [soup.id, both.id]).execute()).toEqual([]);
  });

  it('reaches expo’s and the station’s own live feed (not the guest’s), and a feed resumed after it replays what followed', async () => {
    const { fixture, staff, grill } = await grillAndCold();
    const { lastEventId } = await as(staff).kitchen.queue({ locationId: fixture.locationId });
    const order = await as(null).orders.place(pickupOrder(fixture, { name: 'Fay Feed' }));
    const expo = (await as(staff).kitchen.onTickets({ locationId: fixture.locationId, lastEventId }))[Symbol.asyncIterator]();
    const grillFeed = (await as(staff).kitchen.onTickets({ locationId: fixture.locationId, stationId: grill.id, lastEventId }))[Symbol.asyncIterator]();
    const placedOnExpo = (await expo.next()).value as unknown as Event;
    const placedOnGrill = (await grillFeed.next()).value as unknown as Event;
    expect([placedOnExpo[1].type, placedOnGrill[1].type]).toEqual(['order.placed', 'order.placed']);

    await as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: true });
    const doneOnExpo = (await expo.next()).value as unknown as Event;
    const doneOnGrill = (await grillFeed.next()).value as unknown as Event;
    expect(doneOnExpo[1]).toMatchObject({ orderId: order.id, type: 'order.station_done', status: 'placed' });
    expect(doneOnExpo[1].ticket!.stations.map((s) => [s.name, s.done])).toEqual([
      ['Grill', true],
      ['Cold', false],
    ]);
    expect(doneOnGrill[1]).toMatchObject({ orderId: order.id, type: 'order.station_done' });
    expect(doneOnGrill[1].ticket!.stations).toEqual([{ id: grill.id, name: 'Grill', done: true }]);
    expect(doneOnGrill[0]).toBe(doneOnExpo[0]);

    await as(staff).kitchen.stationDone({ orderId: order.id, stationId: grill.id, done: false });
    const undone = (await expo.next()).value as unknown as Event;
    expect(undone[1]).toMatchObject({ type: 'order.station_undone' });
    expect(undone[1].ticket!.stations.map((s) => s.done)).toEqual([false, false]);
    await expo.return?.();
    await grillFeed.return?.();

    // Resumed after the placing: the done event, then the undone, nothing repeated.
    const resumed = (await as(staff).kitchen.onTickets({ locationId: fixture.locationId, stationId: grill.id, lastEventId: placedOnGrill[0] }))[Symbol.asyncIterator]();
    const first = (await resumed.next()).value as unknown as Event;
    const second = (await resumed.next()).value as unknown as Event;
    await resumed.return?.();
    expect([first[0], first[1].type, second[0], second[1].type]).toEqual([doneOnGrill[0], 'order.station_done', undone[0], 'order.station_undone']);

    // The guest's own feed follows the order's lifecycle only: the kitchen's station work is not on it.
    await as(staff).kitchen.bump({ orderId: order.id, from: 'placed' });
    const guest = (await as(null).orders.onStatus({ trackingToken: order.trackingToken, lastEventId: null }))[Symbol.asyncIterator]();
    const seen = [((await guest.next()).value as unknown as Event)[1].type, ((await guest.next()).value as unknown as Event)[1].type];
    await guest.return?.();
    expect(seen).toEqual(['order.placed', 'order.accept']);
  });
});

describe('reordering stations', () => {
  it('a manager puts every active station in a new order at once; a stale, partial or padded list is MENU_ORDER_MISMATCH and changes nothing', async () => {
    const { fixture, boss, staff, grill, cold } = await grillAndCold();
    const bar = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Bar' });
    const gone = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Old pass' });
    await as(boss).stations.update({ stationId: gone.id, archived: true });
    const theirs = await as(otherManager).stations.create({ locationId: elsewhere.locationId, name: 'Their bar' });

    const reordered = await as(boss).stations.reorder({ locationId: fixture.locationId, stationIds: [bar.id, cold.id, grill.id] });
    expect(reordered.map((s) => [s.name, s.sortOrder])).toEqual([
      ['Bar', 0],
      ['Cold', 1],
      ['Grill', 2],
    ]);
    expect((await as(staff).stations.list({ locationId: fixture.locationId })).map((s) => s.id)).toEqual([bar.id, cold.id, grill.id]);
    const audit = await tdb.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'station.reordered').where('location_id', '=', fixture.locationId).executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ before: [grill.id, cold.id, bar.id], after: [bar.id, cold.id, grill.id] });

    for (const stationIds of [
      [cold.id, grill.id],
      [bar.id, cold.id, grill.id, gone.id],
      [bar.id, cold.id, grill.id, theirs.id],
      [bar.id, bar.id, cold.id, grill.id],
    ]) {
      const refused = await refusal(as(boss).stations.reorder({ locationId: fixture.locationId, stationIds }));
      expect(refused).toMatchObject({ bistroCode: 'MENU_ORDER_MISMATCH' });
      expect(refused.fieldErrors?.stationIds?.length).toBeGreaterThan(0);
    }
    expect((await as(staff).stations.list({ locationId: fixture.locationId })).map((s) => s.id)).toEqual([bar.id, cold.id, grill.id]);
    // Staff may not; another location's manager doesn't see the location.
    expect(await refusal(as(staff).stations.reorder({ locationId: fixture.locationId, stationIds: [grill.id, cold.id, bar.id] }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(otherManager).stations.reorder({ locationId: fixture.locationId, stationIds: [grill.id, cold.id, bar.id] }))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect(await refusal(as(boss).stations.reorder({ locationId: fixture.locationId, stationIds: [] }))).toMatchObject({ bistroCode: 'INVALID_INPUT' });
  });
});
