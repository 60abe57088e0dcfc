import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { BUMP_ACTION, findTransition, ORDER_STATUSES, type OrderStatus } from '@bistro/domain';
import { InProcessBus, SessionCache } from '../src/index.js';
import { feedPolling } from '../src/orders/fan-out.js';
import { followKitchen } from '../src/orders/tickets.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { kitchenLocation, orderFootprint, pickupOrder, stockOf, type KitchenFixture } from './kitchen-fixtures.js';
import { errorData, refusal } from './procedures.js';

let tdb: TestDatabase;
let here: KitchenFixture;
let elsewhere: KitchenFixture;
let customer: TestUser;
let otherCustomer: TestUser;
let cook: TestUser;
let secondCook: TestUser;
let manager: TestUser;
let otherCook: TestUser;
const services = testServices({ bus: new InProcessBus() });
let ips = 0;

/** A caller with its own client IP, so guests placing orders never meet the per-IP limit. */
function as(user: TestUser | null) {
  ips += 1;
  return callerFor(tdb.db, { token: user?.token ?? null, services, ip: `2001:db8:1::${ips.toString(16)}` });
}

/** Places an order (as `user`, or as a guest) and returns its id and tracking token. */
async function place(user: TestUser | null, overrides: Parameters<typeof pickupOrder>[1] = {}, fixture = here) {
  const placed = await as(user).orders.place(pickupOrder(fixture, overrides));
  return { id: placed.id, trackingToken: placed.trackingToken, number: placed.number };
}

/** Puts an order straight into a status (a test's shortcut past the steps before it). */
async function force(orderId: string, status: OrderStatus) {
  await tdb.db.updateTable('orders').set({ status }).where('id', '=', orderId).execute();
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  here = await kitchenLocation(tdb.db);
  elsewhere = await kitchenLocation(tdb.db);
  customer = await createUser(tdb.db);
  otherCustomer = await createUser(tdb.db);
  cook = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'staff' }] });
  secondCook = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'staff' }] });
  manager = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'manager' }] });
  otherCook = await createUser(tdb.db, { roles: [{ locationId: elsewhere.locationId, role: 'staff' }] });
});
afterAll(() => tdb?.drop());

describe('the kitchen queue', () => {
  it('shows open tickets in cooking order (wanted-at, then placed) with lines, options and notes, and only the guest’s first name', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const slot = (minutes: number) => new Date(Math.ceil((Date.now() + minutes * 60_000) / 900_000) * 900_000);
    const later = await place(null, { name: 'Zoe Later', wantedAt: slot(90) }, fixture);
    const asap = await place(customer, { name: 'Bea  Soon', note: 'no croutons' }, fixture);
    const sooner = await place(null, { name: 'Carl Sooner', wantedAt: slot(45) }, fixture);
    const done = await place(null, { name: 'Dan Done' }, fixture);
    await force(done.id, 'completed');

    // Read when both later orders have reached the kitchen (at their wanted-at: no prep time here).
    const queue = await callerFor(tdb.db, { token: staff.token, services, now: slot(90) }).kitchen.queue({ locationId: fixture.locationId });
    expect(queue.tickets.map((t) => t.orderId)).toEqual([asap.id, sooner.id, later.id]);
    expect(queue.tickets.map((t) => t.guestFirstName)).toEqual(['Bea', 'Carl', 'Zoe']);
    const first = queue.tickets[0]!;
    expect(first).toMatchObject({ number: asap.number, status: 'placed', type: 'pickup', table: null, wantedAt: null });
    expect(first.lines).toEqual([
      { station: null, name: 'Soup', quantity: 2, options: [], note: 'no croutons' },
      { station: null, name: 'Burger', quantity: 1, options: [{ name: 'Cheese', groupName: 'Extras' }], note: null },
    ]);
    const wire = JSON.stringify(queue);
    expect(wire).not.toMatch(/912 345 678|912345678/);
    expect(wire).not.toContain('example.test');
    expect(wire).not.toContain('Lima');
    expect(Number(queue.lastEventId)).toBeGreaterThan(0);
  });
});

describe('every change of state not on the lifecycle picture is refused and changes nothing', () => {
  type Attempt = 'bump' | 'reject' | 'cancelByToken' | 'cancelById';
  const ATTEMPTS: Attempt[] = ['bump', 'reject', 'cancelByToken', 'cancelById'];
  const cases = ORDER_STATUSES.flatMap((status) => ATTEMPTS.map((attempt) => [status, attempt] as const));

  it.each(cases)('an order that is %s, %s', async (status, attempt) => {
    const order = await place(customer);
    await force(order.id, status);
    const expected =
      attempt === 'bump'
        ? BUMP_ACTION[status] && findTransition(status, BUMP_ACTION[status], 'kitchen')
        : attempt === 'reject'
          ? findTransition(status, 'reject', 'kitchen')
          : findTransition(status, 'cancel', 'orderer');
    const call = () => {
      switch (attempt) {
        case 'bump':
          return as(cook).kitchen.bump({ orderId: order.id, from: status });
        case 'reject':
          return as(cook).kitchen.reject({ orderId: order.id, reason: 'out of bread' });
        case 'cancelByToken':
          return as(null).orders.cancel({ trackingToken: order.trackingToken });
        case 'cancelById':
          return as(customer).orders.cancel({ orderId: order.id, reason: 'changed my mind' });
      }
    };
    const before = await orderFootprint(tdb.db, order.id, here.locationId);
    if (!expected) {
      expect((await refusal(call())).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
      expect(await orderFootprint(tdb.db, order.id, here.locationId)).toEqual(before);
      return;
    }
    expect(await call()).toEqual({ id: order.id, status: expected.to });
    const after = await orderFootprint(tdb.db, order.id, here.locationId);
    expect(after.status).toBe(expected.to);
    expect(after.history).toBe(before.history + 1);
    expect(after.events).toBe(before.events + 1);
    const last = await tdb.db
      .selectFrom('order_history')
      .select(['from_status', 'to_status', 'action', 'actor'])
      .where('order_id', '=', order.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ from_status: status, to_status: expected.to, action: expected.action, actor: attempt === 'bump' || attempt === 'reject' ? 'kitchen' : 'orderer' });
  });

  it('a bump from a status the ticket has already left is refused and changes nothing', async () => {
    const order = await place(null);
    await as(cook).kitchen.bump({ orderId: order.id, from: 'placed' });
    const before = await orderFootprint(tdb.db, order.id, here.locationId);
    expect((await refusal(as(cook).kitchen.bump({ orderId: order.id, from: 'placed' }))).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
    expect(await orderFootprint(tdb.db, order.id, here.locationId)).toEqual(before);
  });

  it('walks a ticket placed → preparing → ready → completed with a history row for each step', async () => {
    const order = await place(customer);
    for (const from of ['placed', 'preparing', 'ready'] as const) await as(cook).kitchen.bump({ orderId: order.id, from });
    const detail = await as(customer).orders.get({ orderId: order.id });
    expect(detail.status).toBe('completed');
    expect(detail.history.map((h) => [h.from, h.to, h.action])).toEqual([
      [null, 'placed', 'place'],
      ['placed', 'preparing', 'accept'],
      ['preparing', 'ready', 'ready'],
      ['ready', 'completed', 'complete'],
    ]);
  });
});

describe('two kitchen screens bumping one ticket', () => {
  it('one wins and the other is told ORDER_TRANSITION_REFUSED, every time', async () => {
    for (let round = 0; round < 10; round++) {
      const order = await place(null);
      const results = await Promise.allSettled([
        as(cook).kitchen.bump({ orderId: order.id, from: 'placed' }),
        as(secondCook).kitchen.bump({ orderId: order.id, from: 'placed' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect((await refusal(Promise.reject((lost as PromiseRejectedResult).reason))).bistroCode).toBe('ORDER_TRANSITION_REFUSED');
      const history = await tdb.db.selectFrom('order_history').select('action').where('order_id', '=', order.id).orderBy('id').execute();
      expect(history.map((h) => h.action)).toEqual(['place', 'accept']);
    }
  });
});

describe('stock comes back when an order is cancelled or rejected', () => {
  it('a guest cancelling a placed order returns every portion through ledger rows marked return', async () => {
    const fixture = await kitchenLocation(tdb.db, { soup: 10, patty: 5, cheese: 3 });
    const start = await stockOf(tdb.db, fixture.locationId);
    const order = await place(null, {}, fixture);
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual({ 'Cheese slice': 2, Patty: 4, 'Soup portion': 8 });
    const versionBefore = (await tdb.db.selectFrom('locations').select('menu_version').where('id', '=', fixture.locationId).executeTakeFirstOrThrow()).menu_version;

    expect(await as(null).orders.cancel({ trackingToken: order.trackingToken, reason: 'running late' })).toEqual({ id: order.id, status: 'cancelled' });
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual(start);
    const returns = await tdb.db
      .selectFrom('stock_movements')
      .select(['ingredient_id', 'delta'])
      .where('order_id', '=', order.id)
      .where('reason', '=', 'return')
      .orderBy('ingredient_id')
      .execute();
    expect(Object.fromEntries(returns.map((r) => [r.ingredient_id, r.delta]))).toEqual({
      [fixture.ingredients.soup]: 2,
      [fixture.ingredients.patty]: 1,
      [fixture.ingredients.cheese]: 1,
    });
    const versionAfter = (await tdb.db.selectFrom('locations').select('menu_version').where('id', '=', fixture.locationId).executeTakeFirstOrThrow()).menu_version;
    expect(versionAfter).toBeGreaterThan(versionBefore);
    const history = await as(null).orders.track({ trackingToken: order.trackingToken });
    expect(history.history.at(-1)).toMatchObject({ from: 'placed', to: 'cancelled', action: 'cancel', reason: 'running late' });
  });

  it('the kitchen rejecting a ticket it is already preparing returns the stock, and the last portion can be sold again', async () => {
    const fixture = await kitchenLocation(tdb.db, { soup: 2, patty: 1, cheese: 1 });
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const order = await place(customer, {}, fixture);
    expect((await refusal(as(null).orders.place(pickupOrder(fixture)))).bistroCode).toBe('SOLD_OUT');
    await as(staff).kitchen.bump({ orderId: order.id, from: 'placed' });
    await as(staff).kitchen.reject({ orderId: order.id, reason: 'the grill is down' });
    expect(await stockOf(tdb.db, fixture.locationId)).toEqual({ 'Cheese slice': 1, Patty: 1, 'Soup portion': 2 });
    const again = await place(null, {}, fixture);
    expect(again.id).not.toBe(order.id);
    const mine = await as(customer).orders.get({ orderId: order.id });
    expect(mine.history.at(-1)).toMatchObject({ from: 'preparing', to: 'cancelled', action: 'reject', reason: 'the grill is down' });
  });
});

describe('who may see and change an order', () => {
  it('the customer who placed it and the location’s manager see the contact details; staff see the first name only', async () => {
    const order = await place(customer);
    const mine = await as(customer).orders.get({ orderId: order.id });
    expect(mine.contact).toEqual({ name: 'Ana Lima Costa', phone: '+351 912 345 678', email: 'ana.costa@example.test', address: null });
    expect((await as(manager).orders.get({ orderId: order.id })).contact?.phone).toBe('+351 912 345 678');
    const staffView = await as(cook).orders.get({ orderId: order.id });
    expect(staffView.contact).toBeNull();
    expect(staffView.guestFirstName).toBe('Ana');
    // The phone as written or as digits, the email and the surname appear nowhere in what staff get (ids are random hex, so no bare digit runs are checked).
    expect(JSON.stringify(staffView)).not.toMatch(/912 345 678|912345678|ana\.costa|example\.test|Costa/);
  });

  it('another customer, another location’s staff and a guest get NOT_FOUND for an order that is not theirs', async () => {
    const order = await place(customer);
    expect((await refusal(as(otherCustomer).orders.get({ orderId: order.id }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(otherCook).orders.get({ orderId: order.id }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(otherCustomer).orders.cancel({ orderId: order.id }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(null).orders.cancel({ orderId: order.id }))).bistroCode).toBe('NOT_FOUND');
    // The kitchen may reject, but cancelling is the orderer's.
    expect((await refusal(as(cook).orders.cancel({ orderId: order.id }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(customer).orders.get({ orderId: randomUUID() }))).bistroCode).toBe('NOT_FOUND');
    expect((await as(customer).orders.get({ orderId: order.id })).status).toBe('placed');
  });

  it('another location’s staff get NOT_FOUND for this location’s tickets, queue and feed', async () => {
    const order = await place(null);
    expect((await refusal(as(otherCook).kitchen.bump({ orderId: order.id, from: 'placed' }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(otherCook).kitchen.reject({ orderId: order.id, reason: 'nope' }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(otherCook).kitchen.queue({ locationId: here.locationId }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(otherCook).kitchen.onTickets({ locationId: here.locationId })))).toMatchObject({ bistroCode: 'NOT_FOUND' });
    expect((await refusal(as(customer).kitchen.queue({ locationId: here.locationId }))).bistroCode).toBe('NOT_FOUND');
    expect((await tdb.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow()).status).toBe('placed');
  });

  it('a wrong, mangled or other order’s tracking token answers NOT_FOUND; the right one shows no contact details', async () => {
    const order = await place(null);
    const other = await place(null);
    const raw = Buffer.from(order.trackingToken, 'base64url');
    const wrongSecret = Buffer.concat([raw.subarray(0, 16), randomBytes(16)]).toString('base64url');
    const otherSecret = Buffer.concat([raw.subarray(0, 16), Buffer.from(other.trackingToken, 'base64url').subarray(16)]).toString('base64url');
    for (const trackingToken of [wrongSecret, otherSecret, order.trackingToken.slice(0, 42), `${order.trackingToken}A`, 'not a token', randomBytes(32).toString('base64url')]) {
      expect((await refusal(as(null).orders.track({ trackingToken }))).bistroCode, trackingToken).toBe('NOT_FOUND');
      expect((await refusal(as(null).orders.cancel({ trackingToken }))).bistroCode, trackingToken).toBe('NOT_FOUND');
    }
    const tracked = await as(null).orders.track({ trackingToken: order.trackingToken });
    expect(tracked).toMatchObject({ id: order.id, status: 'placed', contact: null, guestFirstName: null });
    expect(JSON.stringify(tracked)).not.toMatch(/912 345 678|912345678|example\.test|Ana|Costa/);
    expect((await tdb.db.selectFrom('orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow()).status).toBe('placed');
  });
});

describe('my orders', () => {
  it('lists only the caller’s own orders, newest first, a page at a time without skipping or repeating one', async () => {
    const shopper = await createUser(tdb.db);
    const placed: string[] = [];
    for (let i = 0; i < 23; i++) placed.push((await place(shopper)).id);
    await place(otherCustomer);
    // Same instant for several orders: the keyset must still order them by id. The others a second
    // apart in the order they were placed (two placed within one clock tick would tie otherwise).
    await tdb.db.updateTable('orders').set({ created_at: new Date('2026-11-20T12:00:00Z') }).where('id', 'in', placed.slice(0, 5)).execute();
    for (const [i, id] of placed.slice(5).entries()) {
      await tdb.db.updateTable('orders').set({ created_at: new Date(Date.UTC(2026, 10, 21, 12, 0, i)) }).where('id', '=', id).execute();
    }

    const first = await as(shopper).orders.listMine();
    expect(first.orders).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const second = await as(shopper).orders.listMine({ cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const seen = [...first.orders, ...second.orders].map((o) => o.id);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort()).toEqual([...placed].sort());
    expect(seen.slice(0, 18)).toEqual(placed.slice(5).reverse());
    expect(first.orders[0]).toMatchObject({ status: 'placed', currency: 'EUR', itemCount: 3, location: { slug: here.slug } });
    expect((await refusal(as(shopper).orders.listMine({ cursor: 'bogus' }))).fieldErrors).toHaveProperty('cursor');
    expect((await refusal(as(null).orders.listMine())).bistroCode).toBe('UNAUTHORIZED');
  });
});

describe('live feeds in one process', () => {
  it('a kitchen subscriber gets a new ticket, then its bump, each once and in order, and can resume after the last one', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const { lastEventId } = await as(staff).kitchen.queue({ locationId: fixture.locationId });
    const feed = await as(staff).kitchen.onTickets({ locationId: fixture.locationId, lastEventId });
    const iterator = feed[Symbol.asyncIterator]();
    const order = await place(null, { name: 'Eva Mendes' }, fixture);
    const first = await iterator.next();
    await as(staff).kitchen.bump({ orderId: order.id, from: 'placed' });
    const second = await iterator.next();
    await iterator.return?.();
    // In-process, the caller yields the tracked envelope itself: [id, data].
    const [firstId, firstEvent] = first.value as unknown as [string, { type: string; status: string; ticket: { guestFirstName: string; orderId: string } }];
    const [secondId, secondEvent] = second.value as unknown as [string, { type: string; status: string }];
    expect(firstEvent).toMatchObject({ type: 'order.placed', status: 'placed', ticket: { guestFirstName: 'Eva', orderId: order.id } });
    expect(secondEvent).toMatchObject({ type: 'order.accept', status: 'preparing' });
    expect(Number(secondId)).toBeGreaterThan(Number(firstId));
    expect(JSON.stringify(firstEvent)).not.toMatch(/912 345 678|912345678|example\.test/);

    // Resuming after the first event replays exactly the second.
    const resumed = await as(staff).kitchen.onTickets({ locationId: fixture.locationId, lastEventId: firstId });
    const again = resumed[Symbol.asyncIterator]();
    const replayed = await again.next();
    await again.return?.();
    expect((replayed.value as unknown as [string])[0]).toBe(secondId);
  });
});

describe('live feeds sharing reads', () => {
  it('fifty kitchen screens connecting one after another cost at most two reads of the events, and each gets the ticket', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const order = await place(null, { name: 'Nia Long' }, fixture);
    let reads = 0;
    const counted = tdb.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node.from).includes('order_events')) reads += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const controller = new AbortController();
    const screens: ReturnType<typeof followKitchen>[] = [];
    const nexts: Promise<IteratorResult<unknown>>[] = [];
    try {
      // One after another, each once the read of the one before is under way (as screens connect).
      for (let i = 0; i < 50; i++) {
        const screen = followKitchen({ db: counted, services }, { locationId: fixture.locationId, after: 0, signal: controller.signal, access: null });
        screens.push(screen);
        nexts.push(screen.next());
        for (let tick = 0; tick < 10; tick++) await Promise.resolve();
      }
      const first = await Promise.all(nexts);
      expect(first.map((r) => (r.value as unknown as [string, { orderId: string }])[1].orderId)).toEqual(Array.from({ length: 50 }, () => order.id));
      expect(reads).toBeLessThanOrEqual(2);
    } finally {
      controller.abort();
      await Promise.all(screens.map((screen) => screen.return(undefined)));
    }
  });
});

describe('live feeds that must not go quiet or outlive their rights', () => {
  // A server's services: the session cache announces every end or change of a session on the bus.
  const bus = new InProcessBus();
  const live = testServices({ bus, sessionCache: new SessionCache(bus) });
  const on = (user: TestUser | null, over = live) => {
    ips += 1;
    return callerFor(tdb.db, { token: user?.token ?? null, services: over, ip: `2001:db8:2::${ips.toString(16)}` });
  };

  /** Reads a subscription in the background (until it ends, or `stopAfter` events): what it yielded, and how it ended. */
  function drain(feed: AsyncIterable<unknown>, stopAfter = Infinity) {
    const state = { events: [] as { type: string; orderId: string; status: string }[], ended: false, error: undefined as unknown };
    void (async () => {
      try {
        for await (const value of feed) {
          state.events.push((value as [string, (typeof state.events)[number]])[1]);
          if (state.events.length >= stopAfter) break;
        }
      } catch (error) {
        state.error = error;
      } finally {
        state.ended = true;
      }
    })();
    return state;
  }

  it('a kitchen screen gets a ticket whose announcement never went out (the feed checks the table on its own)', async () => {
    const saved = feedPolling.withBusMs;
    feedPolling.withBusMs = 100;
    const fixture = await kitchenLocation(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const { lastEventId } = await on(staff).kitchen.queue({ locationId: fixture.locationId });
    const state = drain(await on(staff).kitchen.onTickets({ locationId: fixture.locationId, lastEventId }), 1);
    try {
      // Placed on an "instance" whose bus message was lost: nothing rings this feed's bell.
      const lost = await on(null, testServices()).orders.place(pickupOrder(fixture, { name: 'Lia Quiet' }));
      await expect.poll(() => state.events.length, { timeout: 10_000 }).toBe(1);
      expect(state.events[0]).toMatchObject({ type: 'order.placed', orderId: lost.id, ticket: { guestFirstName: 'Lia' } });
    } finally {
      feedPolling.withBusMs = saved;
    }
    await expect.poll(() => state.ended).toBe(true);
  });

  it('a kitchen screen’s feed ends when an admin takes the cook’s role away, and not when another cook signs out', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const colleague = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const admin = await createUser(tdb.db, { isAdmin: true });
    const { lastEventId } = await on(staff).kitchen.queue({ locationId: fixture.locationId });
    const state = drain(await on(staff).kitchen.onTickets({ locationId: fixture.locationId, lastEventId }));

    await on(colleague).auth.signOut();
    const first = await on(null).orders.place(pickupOrder(fixture));
    await expect.poll(() => state.events.length, { timeout: 10_000 }).toBe(1);
    expect(state.ended).toBe(false);

    await on(admin).admin.users.setRole({ userId: staff.id, locationId: fixture.locationId, role: null });
    await expect.poll(() => state.ended, { timeout: 10_000 }).toBe(true);
    expect(['UNAUTHORIZED', 'NOT_FOUND']).toContain(errorData(state.error).bistroCode);
    await on(null).orders.place(pickupOrder(fixture));
    expect(state.events.map((e) => e.orderId)).toEqual([first.id]);
  });

  it('signing out ends the kitchen feed running on that session', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const state = drain(await on(staff).kitchen.onTickets({ locationId: fixture.locationId }));
    await on(null).orders.place(pickupOrder(fixture));
    await expect.poll(() => state.events.length, { timeout: 10_000 }).toBe(1);

    await on(staff).auth.signOut();
    await expect.poll(() => state.ended, { timeout: 10_000 }).toBe(true);
    expect(errorData(state.error).bistroCode).toBe('UNAUTHORIZED');
  });

  it('a customer following their order by id stops getting its status once they sign out', async () => {
    const fixture = await kitchenLocation(tdb.db);
    const owner = await createUser(tdb.db);
    const staff = await createUser(tdb.db, { roles: [{ locationId: fixture.locationId, role: 'staff' }] });
    const order = await on(owner).orders.place(pickupOrder(fixture));
    const state = drain(await on(owner).orders.onStatus({ orderId: order.id }));
    await expect.poll(() => state.events.length, { timeout: 10_000 }).toBe(1);

    await on(owner).auth.signOut();
    await expect.poll(() => state.ended, { timeout: 10_000 }).toBe(true);
    expect(errorData(state.error).bistroCode).toBe('UNAUTHORIZED');
    await on(staff).kitchen.bump({ orderId: order.id, from: 'placed' });
    expect(state.events.map((e) => e.status)).toEqual(['placed']);
  });
});
