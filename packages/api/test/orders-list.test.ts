import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import { sql } from 'kysely';
import { ORDERS_PAGE_SIZE } from '@bistro/domain';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { appRouter } from '../src/index.js';
import { callerFor, createUser } from './helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from './kitchen-fixtures.js';

let tdb: TestDatabase;
let here: KitchenFixture;
let there: KitchenFixture;
let staff: Awaited<ReturnType<typeof createUser>>;
let guest: Awaited<ReturnType<typeof createUser>>;

/** Tuesday 1 December 2026, 13:00 in New York. */
const NOW = new Date('2026-12-01T18:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase({ seed: false });
  here = await kitchenLocation(tdb.db);
  there = await kitchenLocation(tdb.db);
  // The location keeps New York's calendar: its day starts at 05:00 UTC in December.
  await tdb.db.updateTable('locations').set({ time_zone: 'America/New_York' }).where('id', 'in', [here.locationId, there.locationId]).execute();
  staff = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'staff' }] });
  guest = await createUser(tdb.db);
});
afterAll(() => tdb?.drop());

let guests = 0;

/** Places an order at `fixture` (each from its own address, as many guests do) and moves its placed-at to `at`. */
async function orderAt(fixture: KitchenFixture, at: string, name = 'Ana Lima Costa'): Promise<string> {
  guests += 1;
  const ip = `198.51.${Math.floor(guests / 250)}.${guests % 250}`;
  const placed = await callerFor(tdb.db, { now: NOW, ip }).orders.place(pickupOrder(fixture, { name }));
  await tdb.db.updateTable('orders').set({ created_at: new Date(at) }).where('id', '=', placed.id).execute();
  return placed.id;
}

const as = () => callerFor(tdb.db, { token: staff.token, now: NOW });

/** The refusal as a client sees it: the Bistro code and field errors the error formatter writes. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to be refused');
  const shape = getTRPCErrorShape({ config: appRouter._def._config, error: getTRPCErrorFromUnknown(error), type: 'unknown', path: undefined, input: undefined, ctx: undefined });
  return { bistroCode: shape.data.bistroCode, fieldErrors: shape.data.fieldErrors };
}

describe('orders.list (the location’s orders, for its staff and managers)', () => {
  it('a day runs from midnight to midnight on the location’s own clock, and another location’s orders never appear', async () => {
    await sql`truncate orders cascade`.execute(tdb.db);
    const lateMonday = await orderAt(here, '2026-12-01T04:59:59Z');
    const earlyTuesday = await orderAt(here, '2026-12-01T05:00:00Z');
    const lateTuesday = await orderAt(here, '2026-12-02T04:59:00Z');
    const wednesday = await orderAt(here, '2026-12-02T05:00:00Z');
    await orderAt(there, '2026-12-01T12:00:00Z', 'Elsewhere Guest');

    // Today (by the request's clock, in New York) is Tuesday.
    const today = await as().orders.list({ locationId: here.locationId });
    expect(today.from).toBe('2026-12-01');
    expect(today.orders.map((o) => o.id)).toEqual([lateTuesday, earlyTuesday]);
    expect(today.orders[0]).toMatchObject({ status: 'placed', type: 'pickup', guestFirstName: 'Ana', currency: 'EUR', itemCount: 3 });
    expect(JSON.stringify(today)).not.toContain('Costa');
    expect(today.nextCursor).toBeNull();

    expect((await as().orders.list({ locationId: here.locationId, day: '2026-11-30' })).orders.map((o) => o.id)).toEqual([lateMonday]);
    const span = await as().orders.list({ locationId: here.locationId, from: '2026-11-30', to: '2026-12-02' });
    expect(span.orders.map((o) => o.id)).toEqual([wednesday, lateTuesday, earlyTuesday, lateMonday]);
    expect(span.orders.some((o) => o.guestFirstName === 'Elsewhere')).toBe(false);
  });

  it('filters by status', async () => {
    await sql`truncate orders cascade`.execute(tdb.db);
    const kept = await orderAt(here, '2026-12-01T15:00:00Z');
    const cancelled = await orderAt(here, '2026-12-01T16:00:00Z');
    await tdb.db.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', cancelled).execute();
    expect((await as().orders.list({ locationId: here.locationId, status: 'cancelled' })).orders.map((o) => o.id)).toEqual([cancelled]);
    expect((await as().orders.list({ locationId: here.locationId, status: 'placed' })).orders.map((o) => o.id)).toEqual([kept]);
  });

  it('pages newest first without skipping or repeating orders placed in the same instant', async () => {
    await sql`truncate orders cascade`.execute(tdb.db);
    const ids: string[] = [];
    for (let i = 0; i < ORDERS_PAGE_SIZE + 3; i += 1) ids.push(await orderAt(here, '2026-12-01T15:00:00.123456Z'));
    const first = await as().orders.list({ locationId: here.locationId });
    expect(first.orders).toHaveLength(ORDERS_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await as().orders.list({ locationId: here.locationId, cursor: first.nextCursor! });
    expect(second.orders).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.orders, ...second.orders].map((o) => o.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('refuses a mangled cursor, a span of the wrong shape, and a caller without a role there', async () => {
    expect(await refusal(as().orders.list({ locationId: here.locationId, cursor: 'abc' }))).toMatchObject({ fieldErrors: { cursor: ['Not a valid cursor'] } });
    expect((await refusal(as().orders.list({ locationId: here.locationId, from: '2026-12-01' }))).fieldErrors?.to).toBeDefined();
    expect((await refusal(as().orders.list({ locationId: here.locationId, from: '2026-12-05', to: '2026-12-01' }))).fieldErrors?.to).toBeDefined();
    expect((await refusal(as().orders.list({ locationId: here.locationId, from: '2026-01-01', to: '2026-12-01' }))).fieldErrors?.to).toEqual(['At most 31 days at once']);
    expect((await refusal(as().orders.list({ locationId: here.locationId, day: '2026-12-01', from: '2026-12-01', to: '2026-12-01' }))).fieldErrors?.day).toBeDefined();
    const other = await refusal(as().orders.list({ locationId: there.locationId }));
    expect(other.bistroCode).toBe('NOT_FOUND');
    const customer = await refusal(callerFor(tdb.db, { token: guest.token, now: NOW }).orders.list({ locationId: here.locationId }));
    expect(customer.bistroCode).toBe('NOT_FOUND');
  });
});
