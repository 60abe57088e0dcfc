import { getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { appRouter, type BistroErrorData } from '../src/index.js';
import { callerFor, createUser, demoLocationIds, type TestUser } from './helpers.js';

let tdb: TestDatabase;
let centrale: string;
let harbor: string;
let admin: TestUser;
let managerA: TestUser;
let staffA: TestUser;
let managerB: TestUser;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ centrale, harbor } = await demoLocationIds(tdb.db));
  admin = await createUser(tdb.db, { isAdmin: true });
  managerA = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
  staffA = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'staff' }] });
  managerB = await createUser(tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] });
});
afterAll(() => tdb?.drop());

const as = (user: TestUser, now?: Date) => callerFor(tdb.db, { token: user.token, ...(now ? { now } : {}) });

/** What a client would see of a refused call, by the router's own error formatter. */
async function refusal(promise: Promise<unknown>): Promise<BistroErrorData> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to be refused');
  const shape = getTRPCErrorShape({ config: appRouter._def._config, error: getTRPCErrorFromUnknown(error), type: 'unknown', path: undefined, input: undefined, ctx: undefined });
  return shape.data;
}

/** Everything stored about a location, to prove a refused call changed nothing. */
async function snapshot(locationId: string) {
  const location = await tdb.db.selectFrom('locations').selectAll().where('id', '=', locationId).executeTakeFirstOrThrow();
  const hours = await tdb.db.selectFrom('opening_hours').select(['weekday', 'opens_at', 'closes_at']).where('location_id', '=', locationId).orderBy(['weekday', 'opens_at']).execute();
  const closures = await tdb.db.selectFrom('location_closures').select(['date', 'reason']).where('location_id', '=', locationId).orderBy('date').execute();
  return { location, hours, closures };
}

async function currentVersion(locationId: string) {
  return (await tdb.db.selectFrom('locations').select('version').where('id', '=', locationId).executeTakeFirstOrThrow()).version;
}

const newLocation = (slug: string) => ({
  slug,
  name: 'Night Owl',
  address: '1 Quay Street',
  timeZone: 'Europe/Lisbon',
  currency: 'EUR',
  taxRateBp: 1300,
  openingHours: [
    { weekday: 5, opens: '18:00', closes: '02:00' },
    { weekday: 6, opens: '10:00', closes: '14:00' },
    { weekday: 6, opens: '18:00', closes: '03:00' },
  ],
  acceptingOrders: false,
});

describe('locations.create', () => {
  it('an admin opens a location with hours past midnight; it is listed and its audit row holds what was created', async () => {
    const created = await as(admin).locations.create(newLocation('night-owl'));
    expect(created).toMatchObject({
      slug: 'night-owl',
      name: 'Night Owl',
      address: '1 Quay Street',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
      taxRateBp: 1300,
      acceptingOrders: false,
      version: 1,
      closures: [],
      openingHours: [
        { weekday: 5, opens: '18:00', closes: '02:00' },
        { weekday: 6, opens: '10:00', closes: '14:00' },
        { weekday: 6, opens: '18:00', closes: '03:00' },
      ],
    });
    const stored = await tdb.db.selectFrom('opening_hours').select(['weekday', 'opens_at', 'closes_at']).where('location_id', '=', created.id).orderBy(['weekday', 'opens_at']).execute();
    expect(stored[0]).toEqual({ weekday: 5, opens_at: 1080, closes_at: 1560 });
    // Saturday 2026-11-28 01:30 in Lisbon (UTC+0 in winter): still Friday night's range.
    const listed = await callerFor(tdb.db, { now: new Date('2026-11-28T01:30:00Z') }).locations.list();
    expect(listed.find((l) => l.slug === 'night-owl')).toMatchObject({ isOpenNow: true });
    const audit = await tdb.db.selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'location.created').where('target_id', '=', created.id).executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(admin.id);
    expect(audit.details).toMatchObject({ before: null, after: { slug: 'night-owl', taxRateBp: 1300 } });
  });

  it('only an admin may create a location, and a taken slug is ALREADY_EXISTS', async () => {
    expect((await refusal(as(managerA).locations.create(newLocation('not-mine')))).bistroCode).toBe('NOT_FOUND');
    const taken = await refusal(as(admin).locations.create(newLocation('bistro-centrale')));
    expect(taken).toMatchObject({ code: 'CONFLICT', bistroCode: 'ALREADY_EXISTS', fieldErrors: { slug: ['Already taken'] } });
    const slugs = (await tdb.db.selectFrom('locations').select('slug').execute()).map((l) => l.slug);
    expect(slugs).not.toContain('not-mine');
  });
});

describe('locations.update', () => {
  it('a manager changes details, hours and closures with the version last seen; menu.get shows the change', async () => {
    const before = await snapshot(centrale);
    const menuBefore = await callerFor(tdb.db).menu.get({ locationSlug: 'bistro-centrale' });
    const updated = await as(managerA).locations.update({
      locationId: centrale,
      version: before.location.version,
      name: 'Bistro Centrale (Opéra)',
      taxRateBp: 550,
      openingHours: [
        { weekday: 1, opens: '12:00', closes: '15:00' },
        { weekday: 1, opens: '15:00', closes: '23:00' }, // touching, not overlapping
        { weekday: 7, opens: '19:00', closes: '01:00' },
      ],
      closures: [
        { date: '2026-12-25', reason: 'Christmas' },
        { date: '2027-01-01', reason: 'New Year' },
      ],
    });
    expect(updated).toMatchObject({
      name: 'Bistro Centrale (Opéra)',
      taxRateBp: 550,
      version: before.location.version + 1,
      timeZone: before.location.time_zone,
      closures: [
        { date: '2026-12-25', reason: 'Christmas' },
        { date: '2027-01-01', reason: 'New Year' },
      ],
    });
    expect(updated.openingHours).toHaveLength(3);
    const menuAfter = await callerFor(tdb.db).menu.get({ locationSlug: 'bistro-centrale' });
    expect(menuAfter.location).toMatchObject({ name: 'Bistro Centrale (Opéra)', taxRateBp: 550 });
    expect(menuAfter.location.version).not.toBe(menuBefore.location.version);

    // The closures list replaces the set.
    const again = await as(managerA).locations.update({ locationId: centrale, version: updated.version, closures: [{ date: '2026-12-24', reason: '' }] });
    expect(again.closures).toEqual([{ date: '2026-12-24', reason: '' }]);
    expect(again.openingHours).toEqual(updated.openingHours); // not sent, so kept

    const audit = await tdb.db.selectFrom('audit_log').select('details').where('action', '=', 'location.updated').where('target_id', '=', centrale).orderBy('id').execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ before: { name: before.location.name, taxRateBp: before.location.tax_rate_bp }, after: { name: 'Bistro Centrale (Opéra)', taxRateBp: 550 } });
  });

  it('a manager sets the kitchen’s prep time, slot capacity and order prefix; bad values are refused', async () => {
    const version = await currentVersion(centrale);
    const updated = await as(managerA).locations.update({ locationId: centrale, version, prepMinutes: 35, slotCapacity: 4, orderPrefix: 'BC' });
    expect(updated).toMatchObject({ prepMinutes: 35, slotCapacity: 4, orderPrefix: 'BC', version: version + 1 });
    for (const bad of [{ prepMinutes: -1 }, { slotCapacity: 2.5 }, { orderPrefix: 'bc' }, { orderPrefix: 'ABCD' }]) {
      const refused = await refusal(as(managerA).locations.update({ locationId: centrale, version: version + 1, ...bad }));
      expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
      expect(Object.keys(refused.fieldErrors ?? {})).toEqual(Object.keys(bad));
    }
    expect(await currentVersion(centrale)).toBe(version + 1);
  });

  it('a stale version is refused with STALE_VERSION and changes nothing', async () => {
    const version = await currentVersion(centrale);
    await as(managerA).locations.update({ locationId: centrale, version, acceptingOrders: false });
    const before = await snapshot(centrale);
    const stale = await refusal(as(managerA).locations.update({ locationId: centrale, version, name: 'Overwritten', openingHours: [], closures: [] }));
    expect(stale).toMatchObject({ code: 'CONFLICT', bistroCode: 'STALE_VERSION' });
    expect(await snapshot(centrale)).toEqual(before);
  });

  it('two managers saving the same version at once: one wins, the other gets STALE_VERSION', async () => {
    const version = await currentVersion(centrale);
    const results = await Promise.allSettled([
      as(managerA).locations.update({ locationId: centrale, version, address: '1 rue de la Paix' }),
      as(admin).locations.update({ locationId: centrale, version, address: '2 rue de Rivoli' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected')!;
    expect((await refusal(Promise.reject(rejected.reason))).bistroCode).toBe('STALE_VERSION');
    expect(await currentVersion(centrale)).toBe(version + 1);
  });

  it('staff and a manager of another location get NOT_FOUND', async () => {
    const version = await currentVersion(centrale);
    for (const user of [staffA, managerB]) {
      expect((await refusal(as(user).locations.update({ locationId: centrale, version, name: 'Taken over' }))).bistroCode).toBe('NOT_FOUND');
    }
    expect(await currentVersion(centrale)).toBe(version);
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['a fractional tax rate', { taxRateBp: 12.5 }, 'taxRateBp'],
    ['a tax rate above 100 %', { taxRateBp: 10001 }, 'taxRateBp'],
    ['a currency that is not ISO 4217', { currency: 'EURO' }, 'currency'],
    ['an unknown currency code', { currency: 'XYZ' }, 'currency'],
    ['an empty name', { name: '  ' }, 'name'],
    [
      'overlapping ranges on one day',
      { openingHours: [{ weekday: 2, opens: '11:00', closes: '15:00' }, { weekday: 2, opens: '14:00', closes: '22:00' }] },
      'openingHours.1',
    ],
    [
      'a past-midnight range overlapping the next day’s first range',
      { openingHours: [{ weekday: 5, opens: '20:00', closes: '03:00' }, { weekday: 6, opens: '02:00', closes: '10:00' }] },
      'openingHours.1',
    ],
    [
      'Sunday night running into Monday’s breakfast',
      { openingHours: [{ weekday: 1, opens: '00:30', closes: '10:00' }, { weekday: 7, opens: '22:00', closes: '01:00' }] },
      'openingHours.1',
    ],
    ['a time that is not HH:MM', { openingHours: [{ weekday: 1, opens: '9:00', closes: '17:00' }] }, 'openingHours.0.opens'],
    ['weekday 8', { openingHours: [{ weekday: 8, opens: '09:00', closes: '17:00' }] }, 'openingHours.0.weekday'],
    ['a closure on a date that does not exist', { closures: [{ date: '2026-02-30', reason: '' }] }, 'closures.0.date'],
    ['the same closure date twice', { closures: [{ date: '2026-12-25', reason: 'a' }, { date: '2026-12-25', reason: 'b' }] }, 'closures.1.date'],
    ['a field that does not exist', { slug: 'renamed' }, 'slug'],
  ])('refuses %s with BAD_REQUEST and field errors, storing nothing', async (_what, changes, field) => {
    const before = await snapshot(centrale);
    const error = await refusal(as(managerA).locations.update({ locationId: centrale, version: before.location.version, ...changes }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', bistroCode: 'INVALID_INPUT' });
    expect(Object.keys(error.fieldErrors ?? {})).toEqual([field]);
    expect(await snapshot(centrale)).toEqual(before);
  });

  it('refuses bad input on create too, leaving no location behind', async () => {
    const error = await refusal(as(admin).locations.create({ ...newLocation('bad-one'), timeZone: 'Nowhere/City', taxRateBp: 12.5, currency: 'EURO' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(['currency', 'taxRateBp', 'timeZone']);
    expect(await tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bad-one').executeTakeFirst()).toBeUndefined();
  });
});

describe('locations.get', () => {
  it('gives a manager the location as they edit it, with the version locations.update expects', async () => {
    const read = await as(managerA).locations.get({ locationId: centrale });
    const stored = await snapshot(centrale);
    expect(read).toMatchObject({
      id: centrale,
      name: stored.location.name,
      timeZone: stored.location.time_zone,
      taxRateBp: stored.location.tax_rate_bp,
      prepMinutes: stored.location.prep_minutes,
      slotCapacity: stored.location.slot_capacity,
      orderPrefix: stored.location.order_prefix,
      acceptingOrders: stored.location.accepting_orders,
      version: stored.location.version,
    });
    expect(read.openingHours.length).toBeGreaterThan(0);
    expect(read.openingHours[0]).toEqual({ weekday: expect.any(Number), opens: expect.stringMatching(/^\d\d:\d\d$/), closes: expect.stringMatching(/^\d\d:\d\d$/) });
    // The first edit needs no guess: the version read is the one accepted, and the answer is what a new read shows.
    const updated = await as(managerA).locations.update({ locationId: centrale, version: read.version, closures: [{ date: '2027-02-02', reason: 'Inventory' }] });
    expect(updated.version).toBe(read.version + 1);
    expect(await as(managerA).locations.get({ locationId: centrale })).toEqual(updated);
  });

  it('is for the location’s managers (and admins) only: staff and other managers get NOT_FOUND', async () => {
    expect((await as(admin).locations.get({ locationId: harbor })).id).toBe(harbor);
    expect((await refusal(as(staffA).locations.get({ locationId: centrale }))).bistroCode).toBe('NOT_FOUND');
    expect((await refusal(as(managerB).locations.get({ locationId: centrale }))).bistroCode).toBe('NOT_FOUND');
  });
});
