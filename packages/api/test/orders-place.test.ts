import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { MAX_CART_LINES } from '@bistro/domain';
import { DataKeys, Limiter, type Services } from '../src/index.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { ALWAYS_OPEN, footprint, orderingLocation, type OrderingFixture } from './order-fixtures.js';
import { outcome, refusal } from './procedures.js';

let tdb: TestDatabase;
let services: Services & { dataKeys: DataKeys };
let kitchen: OrderingFixture;
let customer: TestUser;

/** Wednesday 2 December 2026, 12:00 in Paris. */
const NOON = new Date('2026-12-02T11:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  services = { ...testServices(), dataKeys: new DataKeys([{ id: 'k1', key: Buffer.alloc(32, 7) }]) };
  kitchen = await orderingLocation(tdb.db, { closures: ['2026-12-09'] });
  customer = await createUser(tdb.db);
});
afterAll(() => tdb?.drop());

let guests = 0;
/** A guest from an address of their own (guests are throttled per IP; the throttle has its own test). */
const guest = (now = NOON) => {
  guests += 1;
  return callerFor(tdb.db, { now, services, ip: `10.${(guests >> 16) & 255}.${(guests >> 8) & 255}.${guests & 255}` });
};
/** A signed-in caller with counters of its own (customers are throttled per account; the throttle has its own test). */
const signedIn = (user: TestUser, now = NOON) => callerFor(tdb.db, { token: user.token, now, services: { ...services, limiter: new Limiter() } });

const contact = { name: 'Ada Lovelace', phone: '+44 20 7946 0958', email: 'ada@example.com' };
const key = () => randomUUID();

function burgerLine(fixture: OrderingFixture, extra: Partial<{ options: string[]; quantity: number; note: string }> = {}) {
  return { itemId: fixture.items.burger, quantity: 1, options: [fixture.options.medium], ...extra };
}

type Line = { itemId: string; quantity: number; options: string[]; note?: string };

function order(fixture: OrderingFixture, lines: Line[], extra: Record<string, unknown> = {}) {
  return { locationSlug: fixture.slug, type: 'pickup' as const, lines, contact, idempotencyKey: key(), ...extra };
}

async function stockOf(ingredientId: string): Promise<number> {
  return (await tdb.db.selectFrom('ingredients').select('on_hand').where('id', '=', ingredientId).executeTakeFirstOrThrow()).on_hand;
}

describe('orders.quote', () => {
  it('prices lines with option deltas (nested too), tax rounded half up once, and a percentage tip', async () => {
    const { options, items } = kitchen;
    const quote = await guest().orders.quote({
      locationSlug: kitchen.slug,
      type: 'pickup',
      lines: [
        { itemId: items.burger, quantity: 2, options: [options.rare, options.cheese, options.bacon, options.smoky], note: ' no pickles ' },
        { itemId: items.fries, quantity: 3, options: [] },
      ],
      tip: { percent: 15 },
    });
    expect(quote.lines).toEqual([
      {
        lineIndex: 0,
        itemId: items.burger,
        name: 'Burger',
        quantity: 2,
        unitPriceMinor: 1250 + 100 + 150 + 30,
        options: [
          { optionId: options.rare, name: 'Rare', groupName: 'Doneness', priceDeltaMinor: 0 },
          { optionId: options.cheese, name: 'Cheese', groupName: 'Extras', priceDeltaMinor: 100 },
          { optionId: options.bacon, name: 'Bacon', groupName: 'Extras', priceDeltaMinor: 150 },
          { optionId: options.smoky, name: 'Smoky', groupName: 'Bacon style', priceDeltaMinor: 30 },
        ],
        note: 'no pickles',
        lineTotalMinor: 3060,
      },
      { lineIndex: 1, itemId: items.fries, name: 'Fries', quantity: 3, unitPriceMinor: 400, options: [], note: null, lineTotalMinor: 1200 },
    ]);
    expect(quote).toMatchObject({ currency: 'EUR', problems: [], subtotalMinor: 4260, taxMinor: 426, tipMinor: 639, totalMinor: 5325 });
  });

  it('rounds tax half up on the subtotal: 10 % of 6.55 is 0.66', async () => {
    const taxed = await orderingLocation(tdb.db, { taxRateBp: 1000 });
    await tdb.db.updateTable('menu_items').set({ price_minor: 655 }).where('id', '=', taxed.items.soup).execute();
    const quote = await guest().orders.quote({ locationSlug: taxed.slug, type: 'pickup', lines: [{ itemId: taxed.items.soup, quantity: 1, options: [] }], tip: { amountMinor: 100 } });
    expect(quote).toMatchObject({ subtotalMinor: 655, taxMinor: 66, tipMinor: 100, totalMinor: 821 });
  });

  it('lists lines that cannot be ordered with their reason instead of failing, and leaves them out of the total', async () => {
    const short = await orderingLocation(tdb.db, { stock: { soup: 0 } });
    const quote = await guest().orders.quote({
      locationSlug: short.slug,
      type: 'pickup',
      lines: [
        { itemId: short.items.soup, quantity: 1, options: [] },
        { itemId: short.items.pie, quantity: 1, options: [] },
        { itemId: short.items.burger, quantity: 1, options: [] },
        { itemId: short.items.burger, quantity: 1, options: [short.options.rare, kitchen.options.cheese] },
        { itemId: short.items.fries, quantity: 2, options: [] },
      ],
    });
    expect(quote.problems.map((p) => [p.lineIndex, p.code])).toEqual([
      [0, 'SOLD_OUT'],
      [1, 'CART_ITEM_UNKNOWN'],
      [2, 'CART_OPTION_RULES'],
      [3, 'CART_OPTION_INVALID'],
    ]);
    expect(quote.problems[0]!.message).toContain('Soup');
    expect(quote.lines.map((l) => l.name)).toEqual(['Fries']);
    expect(quote.subtotalMinor).toBe(800);
  });

  it('answers NOT_FOUND for an unknown location', async () => {
    const error = await refusal(guest().orders.quote({ locationSlug: 'nowhere-at-all', type: 'pickup', lines: [burgerLine(kitchen)] }));
    expect(error.bistroCode).toBe('NOT_FOUND');
  });
});

describe('orders.slots', () => {
  it('offers 15-minute slots inside opening hours from prep time on, with what each has left', async () => {
    const { slots, timeZone } = await guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-12-02' });
    expect(timeZone).toBe('Europe/Paris');
    // 12:00 now + 20 minutes prep → the first slot is 12:30 (12:20 is not a quarter hour), the last 21:45.
    expect(slots[0]!.startsAt).toEqual(new Date('2026-12-02T11:30:00Z'));
    expect(slots.at(-1)!.startsAt).toEqual(new Date('2026-12-02T20:45:00Z'));
    expect(slots).toHaveLength((21.75 - 12.5) * 4 + 1);
    expect(slots.every((s) => s.remaining === 1000)).toBe(true);
  });

  it('shows a whole day ahead, a range running past midnight on the day its slots fall, and nothing on a closure', async () => {
    const friday = await guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-12-04' });
    expect(friday.slots[0]!.startsAt).toEqual(new Date('2026-12-04T07:00:00Z'));
    expect(friday.slots).toHaveLength(14 * 4);
    const saturday = await guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-12-05' });
    expect(saturday.slots.map((s) => s.startsAt)).toHaveLength(6 * 4);
    expect(saturday.slots[0]!.startsAt).toEqual(new Date('2026-12-05T17:00:00Z'));
    // Sunday is closed, but Saturday night runs to 02:00 Sunday.
    const sunday = await guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-12-06' });
    expect(sunday.slots.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-12-05T23:00:00.000Z',
      '2026-12-05T23:15:00.000Z',
      '2026-12-05T23:30:00.000Z',
      '2026-12-05T23:45:00.000Z',
      '2026-12-06T00:00:00.000Z',
      '2026-12-06T00:15:00.000Z',
      '2026-12-06T00:30:00.000Z',
      '2026-12-06T00:45:00.000Z',
    ]);
    expect((await guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-12-09' })).slots).toEqual([]);
    expect((await guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-12-01' })).slots).toEqual([]);
  });

  it('follows the wall clock across a daylight-saving change', async () => {
    const now = new Date('2026-10-20T00:00:00Z');
    const before = await guest(now).orders.slots({ locationSlug: kitchen.slug, date: '2026-10-23' });
    const after = await guest(now).orders.slots({ locationSlug: kitchen.slug, date: '2026-10-26' });
    // 08:00 in Paris is 06:00Z in summer time and 07:00Z after the clocks go back.
    expect(before.slots[0]!.startsAt).toEqual(new Date('2026-10-23T06:00:00Z'));
    expect(after.slots[0]!.startsAt).toEqual(new Date('2026-10-26T07:00:00Z'));
    expect(after.slots).toHaveLength(56);
  });

  it('counts placed orders against their slot and drops a full one', async () => {
    const small = await orderingLocation(tdb.db, { slotCapacity: 2 });
    const wantedAt = new Date('2026-12-02T17:00:00Z');
    await guest().orders.place(order(small, [burgerLine(small)], { wantedAt }));
    let slots = (await guest().orders.slots({ locationSlug: small.slug, date: '2026-12-02' })).slots;
    expect(slots.find((s) => s.startsAt.getTime() === wantedAt.getTime())!.remaining).toBe(1);
    await guest().orders.place(order(small, [burgerLine(small)], { wantedAt }));
    slots = (await guest().orders.slots({ locationSlug: small.slug, date: '2026-12-02' })).slots;
    expect(slots.some((s) => s.startsAt.getTime() === wantedAt.getTime())).toBe(false);
    expect(slots).toHaveLength((21.75 - 12.5) * 4);
  });

  it('answers NOT_FOUND for an unknown location and INVALID_INPUT for a bad date', async () => {
    expect((await refusal(guest().orders.slots({ locationSlug: 'nowhere-at-all', date: '2026-12-02' }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(guest().orders.slots({ locationSlug: kitchen.slug, date: '2026-13-02' }))).bistroCode).toBe('INVALID_INPUT');
  });
});

describe('orders.place', () => {
  it('places a pickup order: the daily number, the lines as sold, stock taken, contact encrypted, history and event', async () => {
    const fixture = await orderingLocation(tdb.db, { prefix: 'B' });
    const before = await stockOf(fixture.ingredients.patty);
    const placed = await guest().orders.place(
      order(fixture, [
        { itemId: fixture.items.burger, quantity: 2, options: [fixture.options.well, fixture.options.bacon, fixture.options.crispy], note: 'cut in half' },
        { itemId: fixture.items.fries, quantity: 1, options: [] },
      ]),
    );
    expect(placed).toMatchObject({ number: '#B-001', status: 'placed', totalMinor: 3520, currency: 'EUR' });
    expect(placed.trackingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await stockOf(fixture.ingredients.patty)).toBe(before - 2);
    expect(await stockOf(fixture.ingredients.bacon)).toBe(998);
    expect(await stockOf(fixture.ingredients.potato)).toBe(100_000 - 200);

    const row = await tdb.db.selectFrom('orders').selectAll().where('id', '=', placed.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'placed', type: 'pickup', customer_user_id: null, contact_name: 'Ada Lovelace', local_date: '2026-12-02', total_minor: 3520 });
    expect(row.slot_start).toEqual(new Date('2026-12-02T11:15:00Z'));
    expect(services.dataKeys.decrypt(row.contact_phone_enc!, `orders.contact_phone:${placed.id}`)).toBe(contact.phone);
    expect(services.dataKeys.decrypt(row.contact_email_enc!, `orders.contact_email:${placed.id}`)).toBe(contact.email);

    const lines = await tdb.db.selectFrom('order_lines').selectAll().where('order_id', '=', placed.id).orderBy('line_index').execute();
    expect(lines.map((l) => [l.name, l.quantity, l.unit_price_minor, l.line_total_minor, l.note])).toEqual([
      ['Burger', 2, 1400, 2800, 'cut in half'],
      ['Fries', 1, 400, 400, null],
    ]);
    expect(lines[0]!.options).toEqual([
      { optionId: fixture.options.well, name: 'Well done', groupName: 'Doneness', priceDeltaMinor: 0 },
      { optionId: fixture.options.bacon, name: 'Bacon', groupName: 'Extras', priceDeltaMinor: 150 },
      { optionId: fixture.options.crispy, name: 'Crispy', groupName: 'Bacon style', priceDeltaMinor: 0 },
    ]);
    const history = await tdb.db.selectFrom('order_history').selectAll().where('order_id', '=', placed.id).execute();
    expect(history.map((h) => [h.from_status, h.to_status, h.action, h.actor])).toEqual([[null, 'placed', 'place', 'orderer']]);
    const events = await tdb.db.selectFrom('order_events').selectAll().where('order_id', '=', placed.id).execute();
    expect(events.map((e) => [e.type, e.status, e.location_id])).toEqual([['order.placed', 'placed', fixture.locationId]]);
    const movements = await tdb.db.selectFrom('stock_movements').select(['reason', 'delta']).where('order_id', '=', placed.id).execute();
    expect(movements).toHaveLength(3);
    expect(movements.every((m) => m.reason === 'sale' && m.delta < 0)).toBe(true);

    // A later menu edit does not rewrite what was sold.
    await tdb.db.updateTable('menu_items').set({ name: 'Smash burger', price_minor: 9999 }).where('id', '=', fixture.items.burger).execute();
    const again = await tdb.db.selectFrom('order_lines').select(['name', 'unit_price_minor']).where('order_id', '=', placed.id).where('line_index', '=', 0).executeTakeFirstOrThrow();
    expect(again).toEqual({ name: 'Burger', unit_price_minor: 1400 });
  });

  it("gives a signed-in customer's order to their account, and lets them order dine-in", async () => {
    const placed = await signedIn(customer).orders.place(order(kitchen, [burgerLine(kitchen)], { type: 'dine_in', table: '12' }));
    const row = await tdb.db.selectFrom('orders').select(['customer_user_id', 'table_label', 'type']).where('id', '=', placed.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ customer_user_id: customer.id, table_label: '12', type: 'dine_in' });
  });

  it('marks the menu changed when an order takes the last portion, and the item shows sold out', async () => {
    const fixture = await orderingLocation(tdb.db, { stock: { soup: 1 } });
    const version = async () => (await tdb.db.selectFrom('locations').select('menu_version').where('id', '=', fixture.locationId).executeTakeFirstOrThrow()).menu_version;
    const v0 = await version();
    await guest().orders.place(order(fixture, [burgerLine(fixture)]));
    expect(await version()).toBe(v0);
    await guest().orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 1, options: [] }]));
    expect(await version()).toBe(v0 + 1);
    const menu = await guest().menu.get({ locationSlug: fixture.slug });
    expect(menu.categories[0]!.items.find((i) => i.name === 'Soup')).toMatchObject({ available: false, unavailableReason: 'outOfStock' });
  });

  it('numbers orders per location and local day, restarting at local midnight rather than UTC midnight', async () => {
    const ny = await orderingLocation(tdb.db, { timeZone: 'America/New_York', hours: ALWAYS_OPEN, prefix: 'N', prepMinutes: 0 });
    const other = await orderingLocation(tdb.db, { timeZone: 'America/New_York', hours: ALWAYS_OPEN, prefix: 'N', prepMinutes: 0 });
    const at = (iso: string) => guest(new Date(iso));
    // 23:30 and 23:50 on 1 December in New York are already 2 December in UTC.
    expect((await at('2026-12-02T04:30:00Z').orders.place(order(ny, [burgerLine(ny)]))).number).toBe('#N-001');
    expect((await at('2026-12-02T04:50:00Z').orders.place(order(ny, [burgerLine(ny)]))).number).toBe('#N-002');
    expect((await at('2026-12-02T04:55:00Z').orders.place(order(other, [burgerLine(other)]))).number).toBe('#N-001');
    // 00:10 on 2 December in New York.
    expect((await at('2026-12-02T05:10:00Z').orders.place(order(ny, [burgerLine(ny)]))).number).toBe('#N-001');
    expect((await at('2026-12-02T05:20:00Z').orders.place(order(ny, [burgerLine(ny)]))).number).toBe('#N-002');
    const days = await tdb.db.selectFrom('orders').select(['local_date', 'number']).where('location_id', '=', ny.locationId).orderBy('created_at').execute();
    expect(days).toEqual([
      { local_date: '2026-12-01', number: 1 },
      { local_date: '2026-12-01', number: 2 },
      { local_date: '2026-12-02', number: 1 },
      { local_date: '2026-12-02', number: 2 },
    ]);
  });

  it('keeps phone and email unreadable in the database, each value under its own nonce', async () => {
    const fixture = await orderingLocation(tdb.db);
    for (let i = 0; i < 5; i += 1) await guest().orders.place(order(fixture, [burgerLine(fixture)]));
    const { rows } = await sql<{ row: string; phone: Buffer; email: Buffer }>`
      select o::text as row, contact_phone_enc as phone, contact_email_enc as email from orders o where location_id = ${fixture.locationId}`.execute(tdb.db);
    expect(rows).toHaveLength(5);
    for (const { row, phone, email } of rows) {
      for (const secret of [contact.phone, contact.email, '7946 0958', 'ada@']) {
        expect(row).not.toContain(secret);
        expect(row).not.toContain(Buffer.from(secret).toString('hex'));
      }
      expect(phone.includes(Buffer.from('7946'))).toBe(false);
      expect(email.includes(Buffer.from('ada@'))).toBe(false);
    }
    // version | key id length | key id "k1" | 12-byte nonce …
    const nonces = rows.flatMap((r) => [r.phone, r.email]).map((blob) => blob.subarray(4, 16).toString('hex'));
    expect(new Set(nonces).size).toBe(10);
  });

  it('never sells more than is in stock when guests race for the last portions', async () => {
    const fixture = await orderingLocation(tdb.db, { stock: { soup: 3 } });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => outcome(signedIn(customer).orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 1, options: [] }])))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refused = results.flatMap((r) => (r.ok ? [] : [r.data]));
    expect(refused).toHaveLength(17);
    expect(refused.every((d) => d.bistroCode === 'SOLD_OUT')).toBe(true);
    expect(await stockOf(fixture.ingredients.soup)).toBe(0);
    const orders = await tdb.db.selectFrom('orders').select('number').where('location_id', '=', fixture.locationId).orderBy('number').execute();
    expect(orders.map((o) => o.number)).toEqual([1, 2, 3]);
  });

  it('refuses a cart whose lines together need more than the stock, naming the item', async () => {
    const fixture = await orderingLocation(tdb.db, { stock: { beans: 2 } });
    const before = await footprint(tdb.db, fixture.locationId);
    const error = await refusal(
      guest().orders.place(
        order(fixture, [
          { itemId: fixture.items.chili, quantity: 1, options: [] },
          { itemId: fixture.items.stew, quantity: 1, options: [] },
        ]),
      ),
    );
    expect(error.bistroCode).toBe('SOLD_OUT');
    expect(error.fieldErrors).toEqual({ 'lines.0': ['“Chili” is sold out'] });
    expect(await footprint(tdb.db, fixture.locationId)).toEqual(before);
  });

  it('refuses dine-in and delivery orders from guests (guests order pickup)', async () => {
    const error = await refusal(guest().orders.place(order(kitchen, [burgerLine(kitchen)], { type: 'dine_in', table: '4' })));
    expect(error.bistroCode).toBe('UNAUTHORIZED');
  });

  it('throttles guests placing orders from one IP, but not signed-in customers from it (they count per account)', async () => {
    const own = { ...services, limiter: new Limiter() };
    const ip = '203.0.113.99';
    const tooSoon = new Date(NOON.getTime() + 5 * 60_000);
    for (let i = 0; i < 30; i += 1) {
      const error = await refusal(callerFor(tdb.db, { now: NOON, services: own, ip }).orders.place(order(kitchen, [burgerLine(kitchen)], { wantedAt: tooSoon })));
      expect(error.bistroCode).toBe('WANTED_AT_INVALID');
    }
    const error = await refusal(callerFor(tdb.db, { now: NOON, services: own, ip }).orders.place(order(kitchen, [burgerLine(kitchen)])));
    expect(error.bistroCode).toBe('TOO_MANY_REQUESTS');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    const placed = await callerFor(tdb.db, { now: NOON, services: own, ip, token: customer.token }).orders.place(order(kitchen, [burgerLine(kitchen)]));
    expect(placed.status).toBe('placed');
  });

  it('throttles a signed-in customer after 30 orders in 10 minutes, whatever the IP; other customers and guests go on', async () => {
    const own = { ...services, limiter: new Limiter() };
    const busy = await createUser(tdb.db);
    const tooSoon = new Date(NOON.getTime() + 5 * 60_000);
    // Attempts count whether or not they place an order; each from a new address.
    for (let i = 0; i < 30; i += 1) {
      const error = await refusal(callerFor(tdb.db, { now: NOON, services: own, ip: `198.18.0.${i + 1}`, token: busy.token }).orders.place(order(kitchen, [burgerLine(kitchen)], { wantedAt: tooSoon })));
      expect(error.bistroCode).toBe('WANTED_AT_INVALID');
    }
    const ordersBefore = await tdb.db.selectFrom('orders').select('id').where('customer_user_id', '=', busy.id).execute();
    const error = await refusal(callerFor(tdb.db, { now: NOON, services: own, ip: '198.18.1.1', token: busy.token }).orders.place(order(kitchen, [burgerLine(kitchen)])));
    expect(error.bistroCode).toBe('TOO_MANY_REQUESTS');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(10 * 60);
    expect(await tdb.db.selectFrom('orders').select('id').where('customer_user_id', '=', busy.id).execute()).toEqual(ordersBefore);

    const other = await createUser(tdb.db);
    const theirs = await callerFor(tdb.db, { now: NOON, services: own, ip: '198.18.1.1', token: other.token }).orders.place(order(kitchen, [burgerLine(kitchen)]));
    expect(theirs.status).toBe('placed');
    const guests = await callerFor(tdb.db, { now: NOON, services: own, ip: '198.18.1.1' }).orders.place(order(kitchen, [burgerLine(kitchen)]));
    expect(guests.status).toBe('placed');
  });

  it('does not count retries of one idempotency key against the throttle, for customers and guests', async () => {
    const own = { ...services, limiter: new Limiter() };
    const user = await createUser(tdb.db);
    const tooSoon = new Date(NOON.getTime() + 5 * 60_000);
    for (const token of [user.token, null]) {
      const as = () => callerFor(tdb.db, { now: NOON, services: own, ip: '198.18.2.1', token });
      const input = order(kitchen, [burgerLine(kitchen)]);
      // Ten submits racing each other (retries while the first is still running), then 40 retries
      // of the answered key all at once: one order, the same answer every time.
      const racing = await Promise.all(Array.from({ length: 10 }, () => as().orders.place(input)));
      const retries = await Promise.all(Array.from({ length: 40 }, () => as().orders.place(input)));
      expect(new Set([...racing, ...retries].map((r) => r.id)).size).toBe(1);
      // The order used one of 30 attempts: 29 more are allowed, then the 31st is refused.
      for (let i = 0; i < 29; i += 1) {
        const error = await refusal(as().orders.place(order(kitchen, [burgerLine(kitchen)], { wantedAt: tooSoon })));
        expect(error.bistroCode, `attempt ${i + 2}`).toBe('WANTED_AT_INVALID');
      }
      expect((await refusal(as().orders.place(order(kitchen, [burgerLine(kitchen)])))).bistroCode).toBe('TOO_MANY_REQUESTS');
    }
  });
});

describe('orders.place prices before its transaction and re-checks inside it', () => {
  /** Holds the lock `orders.place` takes for the slot (with its key) until `release` is called; resolves once it holds it. */
  async function holdSlot(locationId: string, slotStart: Date) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const done = tdb.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`orders.slot:${locationId}:${slotStart.toISOString()}`}, 0))`.execute(trx);
      held();
      await released;
    });
    await holding;
    return { release: async () => (release(), await done) };
  }

  /** Resolves once some session waits for an advisory lock (the order is between its plan and its writes). */
  async function someoneWaitsForALock() {
    for (;;) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`.execute(tdb.db);
      if (Number(rows[0]!.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('an item 86ed after the cart was priced is refused SOLD_OUT, and nothing is written', async () => {
    const fixture = await orderingLocation(tdb.db);
    const wantedAt = new Date('2026-12-02T17:30:00Z');
    const slot = await holdSlot(fixture.locationId, wantedAt);
    const before = await footprint(tdb.db, fixture.locationId);
    const placing = outcome(guest().orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 1, options: [] }], { wantedAt })));
    await someoneWaitsForALock();
    // What kitchen.set86 does: the flag and the menu's version, committed while the order waits.
    await tdb.db.transaction().execute(async (trx) => {
      await trx.updateTable('menu_items').set({ eighty_sixed: true }).where('id', '=', fixture.items.soup).execute();
      await trx.updateTable('locations').set((eb) => ({ menu_version: eb('menu_version', '+', 1) })).where('id', '=', fixture.locationId).execute();
    });
    await slot.release();
    const result = await placing;
    expect(result.ok ? 'placed' : result.data.bistroCode).toBe('SOLD_OUT');
    const after = await footprint(tdb.db, fixture.locationId);
    expect({ ...after, keys: before.keys }).toEqual(before);
  });

  it('never fills a slot beyond its capacity when guests race for its last places', async () => {
    const fixture = await orderingLocation(tdb.db, { slotCapacity: 3 });
    const wantedAt = new Date('2026-12-02T18:00:00Z');
    const results = await Promise.all(Array.from({ length: 12 }, () => outcome(guest().orders.place(order(fixture, [burgerLine(fixture)], { wantedAt })))));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.flatMap((r) => (r.ok ? [] : [r.data.bistroCode]))).toEqual(Array.from({ length: 9 }, () => 'SLOT_FULL'));
    const inSlot = await tdb.db.selectFrom('orders').select('number').where('location_id', '=', fixture.locationId).orderBy('number').execute();
    expect(inSlot.map((o) => o.number)).toEqual([1, 2, 3]);
  });

  it('a price changed after the cart was priced is charged as it is when the order is written', async () => {
    const fixture = await orderingLocation(tdb.db);
    const wantedAt = new Date('2026-12-02T17:45:00Z');
    const slot = await holdSlot(fixture.locationId, wantedAt);
    const placing = guest().orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 1, options: [] }], { wantedAt }));
    await someoneWaitsForALock();
    await tdb.db.transaction().execute(async (trx) => {
      await trx.updateTable('menu_items').set({ price_minor: 700 }).where('id', '=', fixture.items.soup).execute();
      await trx.updateTable('locations').set((eb) => ({ menu_version: eb('menu_version', '+', 1) })).where('id', '=', fixture.locationId).execute();
    });
    await slot.release();
    // 7.00 and 10 % tax.
    expect((await placing).totalMinor).toBe(770);
    const lines = await tdb.db.selectFrom('order_lines').select('unit_price_minor').where('item_id', '=', fixture.items.soup).execute();
    expect(lines).toEqual([{ unit_price_minor: 700 }]);
  });
});

describe('orders.place with an idempotency key', () => {
  it('answers 20 concurrent submits of one key with one order and 20 identical answers', async () => {
    const fixture = await orderingLocation(tdb.db);
    const input = order(fixture, [burgerLine(fixture, { quantity: 2 })]);
    const answers = await Promise.all(Array.from({ length: 20 }, () => guest().orders.place(input)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const orders = await tdb.db.selectFrom('orders').select('id').where('location_id', '=', fixture.locationId).execute();
    expect(orders).toEqual([{ id: answers[0]!.id }]);
    expect(await stockOf(fixture.ingredients.patty)).toBe(998);
    // And a retry long after (another tick, same key) still answers the same.
    expect(await guest().orders.place(input)).toEqual(answers[0]);
  });

  it('refuses the same key with a different cart, and changes nothing', async () => {
    const fixture = await orderingLocation(tdb.db);
    const input = order(fixture, [burgerLine(fixture)]);
    await signedIn(customer).orders.place(input);
    const before = await footprint(tdb.db, fixture.locationId);
    const error = await refusal(signedIn(customer).orders.place({ ...input, lines: [burgerLine(fixture, { quantity: 3 })] }));
    expect(error.bistroCode).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await footprint(tdb.db, fixture.locationId)).toEqual(before);
  });

  it("scopes keys to the caller: another customer's identical key places their own order", async () => {
    const fixture = await orderingLocation(tdb.db);
    const other = await createUser(tdb.db);
    const input = order(fixture, [burgerLine(fixture)]);
    const mine = await signedIn(customer).orders.place(input);
    const theirs = await signedIn(other).orders.place(input);
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.trackingToken).not.toBe(mine.trackingToken);
  });

  it('keeps no readable tracking token with the stored answer', async () => {
    const fixture = await orderingLocation(tdb.db);
    const placed = await guest().orders.place(order(fixture, [burgerLine(fixture)]));
    const { rows } = await sql<{ row: string }>`select k::text as row from idempotency_keys k where order_id = ${placed.id}`.execute(tdb.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).toContain(placed.number);
    expect(rows[0]!.row).not.toContain(placed.trackingToken);
  });
});

describe('orders.place rolls back everything when a late write fails', () => {
  it('leaves stock, orders, numbers and events as they were, and a later valid order works', async () => {
    const fixture = await orderingLocation(tdb.db, { stock: { soup: 4 } });
    await guest().orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 1, options: [] }]));
    const before = await footprint(tdb.db, fixture.locationId);
    // A constraint that only this note breaks: the lines are written after the stock is taken.
    await sql`alter table order_lines add constraint test_refuse_boom check (note is distinct from 'boom')`.execute(tdb.db);
    try {
      const error = await refusal(guest().orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 2, options: [], note: 'boom' }])));
      expect(error.bistroCode).toBe('INTERNAL');
      expect(await footprint(tdb.db, fixture.locationId)).toEqual(before);
    } finally {
      await sql`alter table order_lines drop constraint test_refuse_boom`.execute(tdb.db);
    }
    const next = await guest().orders.place(order(fixture, [{ itemId: fixture.items.soup, quantity: 3, options: [] }]));
    expect(next.number).toBe('#A-002');
    expect(await stockOf(fixture.ingredients.soup)).toBe(0);
  });
});

describe('orders.place refuses bad input and changes nothing', () => {
  let fixture: OrderingFixture;
  let other: OrderingFixture;
  beforeAll(async () => {
    fixture = await orderingLocation(tdb.db, { closures: ['2026-12-09'], slotCapacity: 1 });
    other = await orderingLocation(tdb.db);
    // Fill the 18:00 slot.
    await guest().orders.place(order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-02T17:00:00Z') }));
  });

  const cases: [string, () => Record<string, unknown>, string][] = [
    ['an unknown item', () => order(fixture, [{ itemId: randomUUID(), quantity: 1, options: [] }]), 'CART_ITEM_UNKNOWN'],
    ['an archived item', () => order(fixture, [{ itemId: fixture.items.pie, quantity: 1, options: [] }]), 'CART_ITEM_UNKNOWN'],
    ["another location's item", () => order(fixture, [{ itemId: other.items.soup, quantity: 1, options: [] }]), 'CART_ITEM_UNKNOWN'],
    ['an option from another item', () => order(fixture, [burgerLine(fixture, { options: [fixture.options.medium, other.options.cheese] })]), 'CART_OPTION_INVALID'],
    ['a nested option without its parent', () => order(fixture, [burgerLine(fixture, { options: [fixture.options.medium, fixture.options.crispy] })]), 'CART_OPTION_INVALID'],
    ['too few options', () => order(fixture, [burgerLine(fixture, { options: [] })]), 'CART_OPTION_RULES'],
    ['too many options', () => order(fixture, [burgerLine(fixture, { options: [fixture.options.rare, fixture.options.well] })]), 'CART_OPTION_RULES'],
    ['the same option twice', () => order(fixture, [burgerLine(fixture, { options: [fixture.options.rare, fixture.options.rare] })]), 'CART_OPTION_RULES'],
    ['quantity 0', () => order(fixture, [burgerLine(fixture, { quantity: 0 })]), 'INVALID_INPUT'],
    ['quantity -1', () => order(fixture, [burgerLine(fixture, { quantity: -1 })]), 'INVALID_INPUT'],
    ['quantity 1.5', () => order(fixture, [burgerLine(fixture, { quantity: 1.5 })]), 'INVALID_INPUT'],
    ['quantity 10^9', () => order(fixture, [burgerLine(fixture, { quantity: 1e9 })]), 'INVALID_INPUT'],
    ['a wanted-at in the past', () => order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-02T09:00:00Z') }), 'WANTED_AT_INVALID'],
    ['a wanted-at sooner than the prep time', () => order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-02T11:15:00Z') }), 'WANTED_AT_INVALID'],
    ['a wanted-at between slots', () => order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-02T15:10:00Z') }), 'WANTED_AT_INVALID'],
    ['a wanted-at while closed (night)', () => order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-02T22:00:00Z') }), 'LOCATION_CLOSED'],
    ['a wanted-at on a closure day', () => order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-09T11:00:00Z') }), 'LOCATION_CLOSED'],
    ['a full slot', () => order(fixture, [burgerLine(fixture)], { wantedAt: new Date('2026-12-02T17:00:00Z') }), 'SLOT_FULL'],
    ['an unknown location', () => ({ ...order(fixture, [burgerLine(fixture)]), locationSlug: 'no-such-place' }), 'NOT_FOUND'],
    ['a price in a line', () => order(fixture, [{ ...burgerLine(fixture), unitPriceMinor: 1 } as Line]), 'INVALID_INPUT'],
    ['a total in the order', () => ({ ...order(fixture, [burgerLine(fixture)]), totalMinor: 1 }), 'INVALID_INPUT'],
    ['an oversized cart', () => order(fixture, Array.from({ length: MAX_CART_LINES + 1 }, () => burgerLine(fixture))), 'INVALID_INPUT'],
    ['a 10 kB note', () => order(fixture, [burgerLine(fixture, { note: 'x'.repeat(10_000) })]), 'INVALID_INPUT'],
    ['a short idempotency key', () => ({ ...order(fixture, [burgerLine(fixture)]), idempotencyKey: 'abc' }), 'INVALID_INPUT'],
  ];

  // Each later order takes a slot of its own: this location's slots hold one order.
  let laterSlot = new Date('2026-12-03T06:45:00Z').getTime();

  it.each(cases)('%s', async (_name, input, code) => {
    const before = await footprint(tdb.db, fixture.locationId);
    const error = await refusal(guest().orders.place(input() as never));
    expect(error.bistroCode).toBe(code);
    expect(await footprint(tdb.db, fixture.locationId)).toEqual(before);
    laterSlot += 15 * 60_000;
    const later = await guest().orders.place(order(fixture, [burgerLine(fixture)], { wantedAt: new Date(laterSlot) }));
    expect(later.status).toBe('placed');
  });

  it('refuses a location that is not taking orders, and one that is closed now', async () => {
    const paused = await orderingLocation(tdb.db);
    await tdb.db.updateTable('locations').set({ accepting_orders: false }).where('id', '=', paused.locationId).execute();
    const before = await footprint(tdb.db, paused.locationId);
    expect((await refusal(guest().orders.place(order(paused, [burgerLine(paused)])))).bistroCode).toBe('LOCATION_CLOSED');
    // 23:30 in Paris on a Wednesday.
    expect((await refusal(guest(new Date('2026-12-02T22:30:00Z')).orders.place(order(fixture, [burgerLine(fixture)])))).bistroCode).toBe('LOCATION_CLOSED');
    expect(await footprint(tdb.db, paused.locationId)).toEqual(before);
  });
});

describe('orders.quote and orders.place agree', () => {
  it('on every total, for random carts', async () => {
    const fixture = await orderingLocation(tdb.db, { taxRateBp: 775, stock: { patty: 1e6, cheese: 1e6, bacon: 1e6, soup: 1e6, beans: 1e6, potato: 1e8 } });
    const { options: o, items } = fixture;
    const line = fc.oneof(
      fc.record({
        itemId: fc.constant(items.burger),
        quantity: fc.integer({ min: 1, max: 9 }),
        options: fc.tuple(fc.constantFrom(o.rare, o.medium, o.well), fc.subarray([o.cheese, o.bacon]), fc.constantFrom(o.crispy, o.smoky)).map(([done, extras, style]) =>
          extras.includes(o.bacon) ? [done, ...extras, style] : [done, ...extras],
        ),
      }),
      fc.record({ itemId: fc.constantFrom(items.fries, items.soup, items.stew, items.chili), quantity: fc.integer({ min: 1, max: 9 }), options: fc.constant<string[]>([]) }),
    );
    const tip = fc.option(fc.oneof(fc.record({ percent: fc.integer({ min: 0, max: 100 }) }), fc.record({ amountMinor: fc.integer({ min: 0, max: 10_000 }) })), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), tip, async (lines, tipValue) => {
        const cart = { locationSlug: fixture.slug, type: 'pickup' as const, lines, ...(tipValue ? { tip: tipValue } : {}) };
        const quote = await signedIn(customer).orders.quote(cart);
        expect(quote.problems).toEqual([]);
        const placed = await signedIn(customer).orders.place({ ...cart, contact, idempotencyKey: key() });
        expect(placed.totalMinor).toBe(quote.totalMinor);
        const row = await tdb.db.selectFrom('orders').select(['subtotal_minor', 'tax_minor', 'tip_minor', 'total_minor']).where('id', '=', placed.id).executeTakeFirstOrThrow();
        expect(row).toEqual({ subtotal_minor: quote.subtotalMinor, tax_minor: quote.taxMinor, tip_minor: quote.tipMinor, total_minor: quote.totalMinor });
        const sold = await tdb.db.selectFrom('order_lines').select(['line_total_minor']).where('order_id', '=', placed.id).orderBy('line_index').execute();
        expect(sold.map((l) => l.line_total_minor)).toEqual(quote.lines.map((l) => l.lineTotalMinor));
      }),
      { numRuns: 40 },
    );
  });
});
