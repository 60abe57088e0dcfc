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
    const fixture = await kitchenLocation(tdb.db);
    const boss = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
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
    const fixture = await kitchenLocation(tdb.db);
    const boss = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
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
    const fixture = await kitchenLocation(tdb.db);
    const boss = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
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
    const fixture = await kitchenLocation(tdb.db);
    const boss = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const grill = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Grill' });
    const cold = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Cold' });
    await as(boss).menu.items.update({ itemId: fixture.items.burger, version: 1, stationId: grill.id });
    await as(boss).menu.items.update({ itemId: fixture.items.soup, version: 1, stationId: cold.id });
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
    const fixture = await kitchenLocation(tdb.db);
    const boss = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'manager' }] });
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const grill = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Grill' });
    const cold = await as(boss).stations.create({ locationId: fixture.locationId, name: 'Cold' });
    await as(boss).menu.items.update({ itemId: fixture.items.burger, version: 1, stationId: grill.id });
    await as(boss).menu.items.update({ itemId: fixture.items.soup, version: 1, stationId: cold.id });
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
