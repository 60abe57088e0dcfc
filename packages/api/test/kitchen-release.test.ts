import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { InProcessBus } from '../src/index.js';
import { releaseDueOrders } from '../src/kitchen/release.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from './kitchen-fixtures.js';

/**
 * Orders wanted later reach the kitchen at wanted-at minus the location's prep time (20 minutes
 * here): not in `kitchen.queue`, not announced on `kitchen.onTickets` before, and announced once
 * (`order.released`) by the release job after. Every "now" is given: the job's and the callers'.
 */

let tdb: TestDatabase;
let here: KitchenFixture;
let cook: TestUser;
const services = testServices({ bus: new InProcessBus() });
let ips = 0;

function as(user: TestUser | null, now: Date) {
  ips += 1;
  return callerFor(tdb.db, { token: user?.token ?? null, services, now, ip: `2001:db8:15::${ips.toString(16)}` });
}
const job = (now: Date) => releaseDueOrders({ db: tdb.db, services, now: () => now });
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

/** Tomorrow at 10:00 UTC: every time in these tests counts from it (the location is open around the clock, in UTC). */
function tomorrowAtTen(): Date {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 1);
  day.setUTCHours(10, 0, 0, 0);
  return day;
}

async function queued(now: Date): Promise<string[]> {
  return (await as(cook, now).kitchen.queue({ locationId: here.locationId })).tickets.map((t) => t.orderId);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  here = await kitchenLocation(tdb.db, { soup: 1000, patty: 1000, cheese: 1000 });
  await tdb.db.updateTable('locations').set({ prep_minutes: 20 }).where('id', '=', here.locationId).execute();
  cook = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'staff' }] });
});
afterAll(() => tdb?.drop());

describe('an order wanted later', () => {
  it('reaches the kitchen at wanted-at minus the prep time: not queued or announced before, announced once after', async () => {
    const ten = tomorrowAtTen();
    const { lastEventId } = await as(cook, ten).kitchen.queue({ locationId: here.locationId });
    const feed = await as(cook, ten).kitchen.onTickets({ locationId: here.locationId, lastEventId });
    const iterator = feed[Symbol.asyncIterator]();
    // In-process, the feed yields tracked envelopes: [id, event].
    const news = async () => ((await iterator.next()).value as unknown as [string, unknown])[1];
    try {
      // Wanted at 13:00: the kitchen gets it at 12:40.
      const later = await as(null, ten).orders.place(pickupOrder(here, { name: 'Lou Later', wantedAt: minutes(ten, 180) }));
      const soon = await as(null, ten).orders.place(pickupOrder(here, { name: 'Sam Soon' }));
      // The feed's first news is the order for now: the later one was placed before it, unannounced.
      expect(await news()).toMatchObject({ type: 'order.placed', ticket: { orderId: soon.id } });
      expect(await queued(ten)).toEqual([soon.id]);
      // Its guest sees it placed all along.
      expect((await as(null, ten).orders.track({ trackingToken: later.trackingToken })).status).toBe('placed');

      const release = minutes(ten, 160);
      expect(await queued(new Date(release.getTime() - 1_000))).toEqual([soon.id]);
      expect(await job(new Date(release.getTime() - 1_000))).toBe(0);
      // At 12:40 the queue has it, and the job's run announces it, once.
      expect(await queued(release)).toEqual([soon.id, later.id]);
      expect(await job(minutes(release, 0.5))).toBe(1);
      expect(await news()).toMatchObject({ type: 'order.released', status: 'placed', ticket: { orderId: later.id, guestFirstName: 'Lou' } });
      expect(await job(minutes(release, 1))).toBe(0);
      // Bumped like any ticket.
      await as(cook, minutes(release, 2)).kitchen.bump({ orderId: later.id, from: 'placed' });
      expect(await news()).toMatchObject({ type: 'order.accept', ticket: { orderId: later.id } });
    } finally {
      await iterator.return?.();
    }
  });

  it('for the first slot the prep time allows goes to the kitchen at once', async () => {
    // At 10:10 with 20 minutes of prep, 10:30 is the earliest slot: its release time is now.
    const now = minutes(tomorrowAtTen(), 10);
    const order = await as(null, now).orders.place(pickupOrder(here, { wantedAt: minutes(now, 20) }));
    expect(await queued(now)).toContain(order.id);
    const row = await tdb.db.selectFrom('orders').select('kitchen_at').where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(row.kitchen_at).toBeNull();
  });

  it('cancelled before its time is never announced to the kitchen, and the job stamps it done', async () => {
    const ten = tomorrowAtTen();
    // A location of its own: the job's count is this order's alone.
    const there = await kitchenLocation(tdb.db, { soup: 10, patty: 10, cheese: 10 });
    await tdb.db.updateTable('locations').set({ prep_minutes: 20 }).where('id', '=', there.locationId).execute();
    const order = await as(null, ten).orders.place(pickupOrder(there, { wantedAt: minutes(ten, 240) }));
    await as(null, minutes(ten, 5)).orders.cancel({ trackingToken: order.trackingToken, reason: 'plans changed' });
    const release = minutes(ten, 220);
    expect(await job(release)).toBe(0);
    const staff = await createUser(tdb.db, { roles: [{ locationId: there.locationId, role: 'staff' }] });
    expect((await as(staff, release).kitchen.queue({ locationId: there.locationId })).tickets).toEqual([]);
    const events = await tdb.db.selectFrom('order_events').select('type').where('order_id', '=', order.id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['order.placed', 'order.cancel']);
    const row = await tdb.db.selectFrom('orders').select(['kitchen_at', 'kitchen_released_at']).where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(row.kitchen_released_at).toEqual(release);
  });
});
