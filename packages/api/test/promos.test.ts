import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { localDate } from '@bistro/domain';
import { InProcessBus } from '../src/index.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from './kitchen-fixtures.js';
import { refusal } from './procedures.js';

let tdb: TestDatabase;
let here: KitchenFixture;
let elsewhere: KitchenFixture;
let manager: TestUser;
let customer: TestUser;
const services = testServices({ bus: new InProcessBus() });
let ips = 0;
const as = (user: TestUser | null) => callerFor(tdb.db, { token: user?.token ?? null, services, ip: `2001:db8:16::${(ips += 1).toString(16)}` });
let codes = 0;
const fresh = () => `SPRING${(codes += 1)}${randomUUID().slice(0, 6).toUpperCase()}`;

/** The fixture's cart: two soups and a burger with cheese. */
const cart = (f = here) => {
  const { contact, idempotencyKey, ...rest } = pickupOrder(f);
  void contact;
  void idempotencyKey;
  return rest;
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  here = await kitchenLocation(tdb.db, { soup: 10_000, patty: 10_000, cheese: 10_000 });
  elsewhere = await kitchenLocation(tdb.db);
  manager = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'manager' }] });
  customer = await createUser(tdb.db);
});
afterAll(() => tdb?.drop());

describe('a discount code', () => {
  it('shows as the quote’s discount line: the percentage off the subtotal (rounded half up), tax on what is left', async () => {
    const plain = await as(null).orders.quote(cart());
    const code = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code: code.toLowerCase(), discount: { percentBp: 1250 } });
    const quoted = await as(null).orders.quote({ ...cart(), promoCode: code.toLowerCase() });
    const discount = Math.floor((plain.subtotalMinor * 1250 + 5000) / 10_000);
    expect(quoted).toMatchObject({ subtotalMinor: plain.subtotalMinor, discountMinor: discount, promoCode: code });
    expect(quoted.taxMinor).toBe(Math.floor(((plain.subtotalMinor - discount) * 1000 + 5000) / 10_000));
    expect(quoted.totalMinor).toBe(plain.subtotalMinor - discount + quoted.taxMinor);
  });

  it('a fixed amount never takes more than the subtotal', async () => {
    const code = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code, discount: { amountMinor: 1_000_000 } });
    const quoted = await as(null).orders.quote({ ...cart(), promoCode: code });
    expect(quoted).toMatchObject({ discountMinor: quoted.subtotalMinor, taxMinor: 0, totalMinor: 0 });
  });

  it('is refused with its code: unknown, off, another location’s, not yet, expired, minimum not met', async () => {
    const today = localDate('UTC', new Date()); // the fixture's time zone
    const shift = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const off = fresh();
    const offPromo = await as(manager).promos.create({ locationId: here.locationId, code: off, discount: { percentBp: 1000 }, active: false });
    const later = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code: later, discount: { percentBp: 1000 }, validFrom: shift(1) });
    const past = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code: past, discount: { percentBp: 1000 }, validTo: shift(-1) });
    const todayOnly = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code: todayOnly, discount: { percentBp: 1000 }, validFrom: today, validTo: today });
    const big = fresh();
    const plain = await as(null).orders.quote(cart());
    await as(manager).promos.create({ locationId: here.locationId, code: big, discount: { percentBp: 1000 }, minSubtotalMinor: plain.subtotalMinor + 1 });
    const exact = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code: exact, discount: { percentBp: 1000 }, minSubtotalMinor: plain.subtotalMinor });

    const code = async (promoCode: string, f = here) => (await refusal(as(null).orders.quote({ ...cart(f), promoCode }))).bistroCode;
    expect(await code('NOSUCHCODE')).toBe('PROMO_INVALID');
    expect(await code(off)).toBe('PROMO_INVALID');
    expect(await code(later)).toBe('PROMO_EXPIRED');
    expect(await code(past)).toBe('PROMO_EXPIRED');
    expect(await code(big)).toBe('PROMO_MINIMUM_NOT_MET');
    expect((await as(null).orders.quote({ ...cart(), promoCode: todayOnly })).promoCode).toBe(todayOnly);
    expect((await as(null).orders.quote({ ...cart(), promoCode: exact })).promoCode).toBe(exact);
    expect(await code(exact, elsewhere)).toBe('PROMO_INVALID');
    const refused = await refusal(as(null).orders.quote({ ...cart(), promoCode: off }));
    expect(refused.fieldErrors).toEqual({ promoCode: ['This code is not valid here'] });
    await as(manager).promos.setActive({ promoId: offPromo.id, active: true });
    expect((await as(null).orders.quote({ ...cart(), promoCode: off })).discountMinor).toBeGreaterThan(0);
  });

  it('reads its dates in the location’s time zone: at noon UTC on 1 December it is already 2 December in Kiritimati', async () => {
    const far = await kitchenLocation(tdb.db);
    await tdb.db.updateTable('locations').set({ time_zone: 'Pacific/Kiritimati' }).where('id', '=', far.locationId).execute();
    const farManager = await createUser(tdb.db, { roles: [{ locationId: far.locationId, role: 'manager' }, { locationId: here.locationId, role: 'manager' }] });
    const now = new Date('2026-12-01T12:00:00Z');
    const at = () => callerFor(tdb.db, { services, now, ip: `2001:db8:16::f${(ips += 1).toString(16)}` });
    const endsFirst = fresh();
    await as(farManager).promos.create({ locationId: far.locationId, code: endsFirst, discount: { percentBp: 1000 }, validTo: '2026-12-01' });
    expect((await refusal(at().orders.quote({ ...cart(far), promoCode: endsFirst }))).bistroCode).toBe('PROMO_EXPIRED');
    const startsSecond = fresh();
    await as(farManager).promos.create({ locationId: far.locationId, code: startsSecond, discount: { percentBp: 1000 }, validFrom: '2026-12-02' });
    expect((await at().orders.quote({ ...cart(far), promoCode: startsSecond })).promoCode).toBe(startsSecond);
    // The same dates at a UTC location: still the 1st there.
    const utcEndsFirst = fresh();
    await as(farManager).promos.create({ locationId: here.locationId, code: utcEndsFirst, discount: { percentBp: 1000 }, validTo: '2026-12-01' });
    expect((await at().orders.quote({ ...cart(), promoCode: utcEndsFirst })).promoCode).toBe(utcEndsFirst);
  });

  it('place redeems it in the order’s transaction: the order keeps the discount, the code counts the use', async () => {
    const code = fresh();
    const promo = await as(manager).promos.create({ locationId: here.locationId, code, discount: { percentBp: 2000 }, maxUses: 3 });
    const quoted = await as(null).orders.quote({ ...cart(), promoCode: code });
    const placed = await as(null).orders.place({ ...pickupOrder(here), promoCode: code });
    expect(placed.totalMinor).toBe(quoted.totalMinor);
    const row = await tdb.db.selectFrom('orders').select(['discount_minor', 'promo_code']).where('id', '=', placed.id).executeTakeFirstOrThrow();
    expect({ discount: Number(row.discount_minor), code: row.promo_code }).toEqual({ discount: quoted.discountMinor, code });
    const listed = await as(manager).promos.list({ locationId: here.locationId });
    expect(listed.find((p) => p.id === promo.id)?.uses).toBe(1);
    // Cancelled: the use comes back.
    await as(null).orders.cancel({ trackingToken: placed.trackingToken, reason: 'changed my mind' });
    expect((await as(manager).promos.list({ locationId: here.locationId })).find((p) => p.id === promo.id)?.uses).toBe(0);
  });

  it('50 guests racing for a code with 5 uses: exactly 5 orders get it, the others PROMO_EXHAUSTED', async () => {
    const code = fresh();
    const promo = await as(manager).promos.create({ locationId: here.locationId, code, discount: { amountMinor: 100 }, maxUses: 5 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => as(null).orders.place({ ...pickupOrder(here, { name: `Racer ${i}` }), promoCode: code })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(5);
    for (const lost of results.filter((r) => r.status === 'rejected')) {
      expect((await refusal(Promise.reject(lost.reason))).bistroCode).toBe('PROMO_EXHAUSTED');
    }
    expect(await tdb.db.selectFrom('promo_redemptions').select('order_id').where('promo_id', '=', promo.id).execute()).toHaveLength(5);
    expect((await as(manager).promos.list({ locationId: here.locationId })).find((p) => p.id === promo.id)?.uses).toBe(5);
  }, 120_000);

  it('holds its per-customer limit', async () => {
    const code = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code, discount: { percentBp: 500 }, maxUsesPerCustomer: 1 });
    await as(customer).orders.place({ ...pickupOrder(here), promoCode: code });
    expect((await refusal(as(customer).orders.place({ ...pickupOrder(here), promoCode: code }))).bistroCode).toBe('PROMO_EXHAUSTED');
    expect((await refusal(as(customer).orders.quote({ ...cart(), promoCode: code }))).bistroCode).toBe('PROMO_EXHAUSTED');
    // Someone else may still use it.
    expect((await as(null).orders.place({ ...pickupOrder(here), promoCode: code })).id).toBeTruthy();
  });

  it('one customer racing themself for a code with 2 uses per customer: exactly 2 orders get it', async () => {
    const code = fresh();
    const promo = await as(manager).promos.create({ locationId: here.locationId, code, discount: { amountMinor: 100 }, maxUsesPerCustomer: 2 });
    const racer = await createUser(tdb.db);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => as(racer).orders.place({ ...pickupOrder(here), promoCode: code })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    for (const lost of results.filter((r) => r.status === 'rejected')) {
      expect((await refusal(Promise.reject(lost.reason))).bistroCode).toBe('PROMO_EXHAUSTED');
    }
    expect(await tdb.db.selectFrom('promo_redemptions').select('order_id').where('promo_id', '=', promo.id).execute()).toHaveLength(2);
    // Another customer still may.
    expect((await as(customer).orders.place({ ...pickupOrder(here), promoCode: code })).id).toBeTruthy();
  }, 120_000);

  it('is unique, and managed by the location’s managers only', async () => {
    const code = fresh();
    await as(manager).promos.create({ locationId: here.locationId, code, discount: { percentBp: 500 } });
    expect((await refusal(as(manager).promos.create({ locationId: here.locationId, code, discount: { percentBp: 500 } }))).bistroCode).toBe('ALREADY_EXISTS');
    expect((await refusal(as(manager).promos.create({ locationId: elsewhere.locationId, code: fresh(), discount: { percentBp: 500 } }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(customer).promos.list({ locationId: here.locationId }))).bistroCode).toBe('NOT_FOUND');
  });

  it('a manager edits its terms: the next quote prices with them, the uses so far stay counted', async () => {
    const code = fresh();
    const promo = await as(manager).promos.create({ locationId: here.locationId, code, discount: { percentBp: 1000 }, maxUses: 10 });
    await as(null).orders.place({ ...pickupOrder(here), promoCode: code });
    const terms = { promoId: promo.id, discount: { amountMinor: 150 }, minSubtotalMinor: 0, validFrom: null, validTo: null, maxUses: 2, maxUsesPerCustomer: null, active: true };
    const edited = await as(manager).promos.update(terms);
    expect(edited).toMatchObject({ code, kind: 'amount', amountMinor: 150, percentBp: null, maxUses: 2, uses: 1, active: true });
    expect((await as(null).orders.quote({ ...cart(), promoCode: code })).discountMinor).toBe(150);
    // A limit at the uses already made leaves none.
    await as(manager).promos.update({ ...terms, maxUses: 1 });
    expect((await refusal(as(null).orders.quote({ ...cart(), promoCode: code }))).bistroCode).toBe('PROMO_EXHAUSTED');
    // So does one below them (two orders used it by then).
    await as(manager).promos.update({ ...terms, maxUses: 5 });
    await as(null).orders.place({ ...pickupOrder(here), promoCode: code });
    expect(await as(manager).promos.update({ ...terms, maxUses: 1 })).toMatchObject({ uses: 2, maxUses: 2 });
    expect((await refusal(as(null).orders.quote({ ...cart(), promoCode: code }))).bistroCode).toBe('PROMO_EXHAUSTED');
    // Dates that end before they start are refused on the field; another location's manager finds nothing.
    const backwards = await refusal(as(manager).promos.update({ ...terms, validFrom: '2027-02-01', validTo: '2027-01-01' }));
    expect(backwards).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { validTo: ['Ends before it starts'] } });
    const stranger = await createUser(tdb.db, { roles: [{ locationId: elsewhere.locationId, role: 'manager' }] });
    expect((await refusal(as(stranger).promos.update(terms))).bistroCode).toBe('NOT_FOUND');
  });
});

describe('a code for every location (an admin’s)', () => {
  let second: KitchenFixture;
  let dollars: KitchenFixture;
  let admin: TestUser;
  beforeAll(async () => {
    second = await kitchenLocation(tdb.db, { soup: 10_000, patty: 10_000, cheese: 10_000 });
    dollars = await kitchenLocation(tdb.db, { soup: 10_000, patty: 10_000, cheese: 10_000 });
    await tdb.db.updateTable('locations').set({ currency: 'USD' }).where('id', '=', dollars.locationId).execute();
    admin = await createUser(tdb.db, { isAdmin: true });
  });

  it('an admin creates it (locationId null) and it prices carts at every location, whatever their currency', async () => {
    const code = fresh();
    const promo = await as(admin).promos.create({ locationId: null, code, discount: { percentBp: 1000 } });
    expect(promo).toMatchObject({ locationId: null, kind: 'percent', currency: null });
    for (const f of [here, second, dollars]) {
      const quoted = await as(null).orders.quote({ ...cart(f), promoCode: code });
      expect(quoted.discountMinor, f.slug).toBe(Math.floor((quoted.subtotalMinor * 1000 + 5000) / 10_000));
    }
    await as(null).orders.place({ ...pickupOrder(here), promoCode: code });
    await as(null).orders.place({ ...pickupOrder(second), promoCode: code });
    // Both locations’ managers see it with both uses; the redemptions name both orders’ locations.
    expect((await as(manager).promos.list({ locationId: here.locationId })).find((p) => p.id === promo.id)).toMatchObject({ locationId: null, uses: 2 });
    const redeemedAt = await tdb.db
      .selectFrom('promo_redemptions as r')
      .innerJoin('orders as o', 'o.id', 'r.order_id')
      .select('o.location_id')
      .where('r.promo_id', '=', promo.id)
      .execute();
    expect(redeemedAt.map((r) => r.location_id).sort()).toEqual([here.locationId, second.locationId].sort());
  });

  it('a manager may not create, edit or switch one: NOT_FOUND, as for a location they don’t manage', async () => {
    expect((await refusal(as(manager).promos.create({ locationId: null, code: fresh(), discount: { percentBp: 1000 } }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(customer).promos.create({ locationId: null, code: fresh(), discount: { percentBp: 1000 } }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(null).promos.create({ locationId: null, code: fresh(), discount: { percentBp: 1000 } }))).bistroCode).toBe('UNAUTHORIZED');
    const promo = await as(admin).promos.create({ locationId: null, code: fresh(), discount: { percentBp: 1000 } });
    const terms = { promoId: promo.id, discount: { percentBp: 9000 }, minSubtotalMinor: 0, validFrom: null, validTo: null, maxUses: null, maxUsesPerCustomer: null, active: true };
    expect((await refusal(as(manager).promos.update(terms))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(manager).promos.setActive({ promoId: promo.id, active: false }))).bistroCode).toBe('NOT_FOUND');
    const row = await tdb.db.selectFrom('promo_codes').select(['percent_bp', 'active']).where('id', '=', promo.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ percent_bp: 1000, active: true });
    // The admin may.
    expect(await as(admin).promos.update({ ...terms, discount: { percentBp: 2000 } })).toMatchObject({ percentBp: 2000, locationId: null });
    expect(await as(admin).promos.setActive({ promoId: promo.id, active: false })).toMatchObject({ active: false, locationId: null });
    expect((await refusal(as(null).orders.quote({ ...cart(second), promoCode: promo.code }))).bistroCode).toBe('PROMO_INVALID');
  });

  it('a fixed amount carries its currency: applies where the location charges in it, PROMO_CURRENCY_MISMATCH elsewhere', async () => {
    const noCurrency = await refusal(as(admin).promos.create({ locationId: null, code: fresh(), discount: { amountMinor: 300 } }));
    expect(noCurrency).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { 'discount.currency': ['A fixed amount for every location needs its currency'] } });
    const code = fresh();
    const promo = await as(admin).promos.create({ locationId: null, code, discount: { amountMinor: 300, currency: 'USD' } });
    expect(promo).toMatchObject({ kind: 'amount', amountMinor: 300, currency: 'USD', locationId: null });
    expect((await as(null).orders.quote({ ...cart(dollars), promoCode: code })).discountMinor).toBe(300);
    const refused = await refusal(as(null).orders.quote({ ...cart(here), promoCode: code }));
    expect(refused).toMatchObject({ bistroCode: 'PROMO_CURRENCY_MISMATCH', fieldErrors: { promoCode: ['This code is for orders paid in USD, not EUR'] } });
    expect((await refusal(as(null).orders.place({ ...pickupOrder(second), promoCode: code }))).bistroCode).toBe('PROMO_CURRENCY_MISMATCH');
    const placed = await as(null).orders.place({ ...pickupOrder(dollars), promoCode: code });
    const row = await tdb.db.selectFrom('orders').select(['discount_minor', 'currency']).where('id', '=', placed.id).executeTakeFirstOrThrow();
    expect({ discount: Number(row.discount_minor), currency: row.currency }).toEqual({ discount: 300, currency: 'USD' });
    // Editing it keeps the rule: the currency must be named again.
    const terms = { promoId: promo.id, discount: { amountMinor: 200 }, minSubtotalMinor: 0, validFrom: null, validTo: null, maxUses: null, maxUsesPerCustomer: null, active: true };
    expect((await refusal(as(admin).promos.update(terms))).fieldErrors).toEqual({ 'discount.currency': ['A fixed amount for every location needs its currency'] });
    expect(await as(admin).promos.update({ ...terms, discount: { amountMinor: 200, currency: 'EUR' } })).toMatchObject({ currency: 'EUR', amountMinor: 200 });
    expect((await as(null).orders.quote({ ...cart(here), promoCode: code })).discountMinor).toBe(200);
    // A location’s own code is in the location’s currency: naming another is refused.
    const wrong = await refusal(as(manager).promos.create({ locationId: here.locationId, code: fresh(), discount: { amountMinor: 300, currency: 'USD' } }));
    expect(wrong).toMatchObject({ bistroCode: 'INVALID_INPUT', fieldErrors: { 'discount.currency': ['This location charges in EUR'] } });
    expect(await as(manager).promos.create({ locationId: here.locationId, code: fresh(), discount: { amountMinor: 300, currency: 'EUR' } })).toMatchObject({ currency: 'EUR' });
  });

  it('counts its total and per-customer limits over every location', async () => {
    const perCustomer = fresh();
    await as(admin).promos.create({ locationId: null, code: perCustomer, discount: { percentBp: 500 }, maxUsesPerCustomer: 1 });
    const regular = await createUser(tdb.db);
    await as(regular).orders.place({ ...pickupOrder(here), promoCode: perCustomer });
    expect((await refusal(as(regular).orders.quote({ ...cart(second), promoCode: perCustomer }))).bistroCode).toBe('PROMO_EXHAUSTED');
    expect((await refusal(as(regular).orders.place({ ...pickupOrder(second), promoCode: perCustomer }))).bistroCode).toBe('PROMO_EXHAUSTED');
    expect((await as(customer).orders.place({ ...pickupOrder(second), promoCode: perCustomer })).id).toBeTruthy();

    const total = fresh();
    const promo = await as(admin).promos.create({ locationId: null, code: total, discount: { percentBp: 500 }, maxUses: 2 });
    await as(null).orders.place({ ...pickupOrder(here, { name: 'First' }), promoCode: total });
    await as(null).orders.place({ ...pickupOrder(dollars, { name: 'Second' }), promoCode: total });
    expect((await refusal(as(null).orders.place({ ...pickupOrder(second, { name: 'Third' }), promoCode: total }))).bistroCode).toBe('PROMO_EXHAUSTED');
    expect((await tdb.db.selectFrom('promo_codes').select('uses').where('id', '=', promo.id).executeTakeFirstOrThrow()).uses).toBe(2);
  });
});
