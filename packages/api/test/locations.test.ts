import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { callerFor, countingStatements } from './helpers.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

describe('locations.list', () => {
  it('lists every location by name with only its public fields, in one statement', async () => {
    const counted = countingStatements(tdb.db);
    const locations = await callerFor(counted.db).locations.list();
    expect(counted.count()).toBe(1);
    expect(locations.map((l) => l.slug)).toEqual(['bistro-centrale', 'harbor-bistro']);
    for (const l of locations) {
      expect(Object.keys(l).sort()).toEqual(['address', 'closures', 'currency', 'id', 'isOpenNow', 'name', 'nextOpensAt', 'openingHours', 'slug', 'timeZone']);
      // Opening hours as the guest's location picker shows them: weekday and minutes, nothing else.
      for (const range of l.openingHours) expect(Object.keys(range).sort()).toEqual(['closesAt', 'opensAt', 'weekday']);
    }
    expect(locations[1]!.openingHours).toContainEqual({ weekday: 1, opensAt: 11 * 60, closesAt: 22 * 60 });
  });

  it('computes isOpenNow from each location’s hours in its own time zone', async () => {
    // 2026-11-27 (Friday) 17:30Z: 18:30 in Paris (between lunch and dinner: closed), 12:30 in New York (open).
    let open = await callerFor(tdb.db, { now: new Date('2026-11-27T17:30:00Z') }).locations.list();
    expect(Object.fromEntries(open.map((l) => [l.slug, l.isOpenNow]))).toEqual({ 'bistro-centrale': false, 'harbor-bistro': true });
    // Saturday 00:30 in Paris (23:30Z Friday): Friday dinner runs past midnight. 18:30 in New York: open.
    open = await callerFor(tdb.db, { now: new Date('2026-11-27T23:30:00Z') }).locations.list();
    expect(Object.fromEntries(open.map((l) => [l.slug, l.isOpenNow]))).toEqual({ 'bistro-centrale': true, 'harbor-bistro': true });
    // 04:00Z: 05:00 in Paris, 23:00 in New York: both closed.
    open = await callerFor(tdb.db, { now: new Date('2026-11-28T04:00:00Z') }).locations.list();
    expect(open.every((l) => !l.isOpenNow)).toBe(true);
    // Saturday: Centrale opens for lunch at 12:00 in Paris, Harbor at 11:00 in New York.
    expect(Object.fromEntries(open.map((l) => [l.slug, l.nextOpensAt]))).toEqual({
      'bistro-centrale': new Date('2026-11-28T11:00:00Z'),
      'harbor-bistro': new Date('2026-11-28T16:00:00Z'),
    });
  });

  it('shows a location closed on a closure day, in locations.list and menu.get alike', async () => {
    // Friday 2026-11-27 12:30 in New York: lunch service, unless the day is closed.
    const at = { now: new Date('2026-11-27T17:30:00Z') };
    const harbor = await tdb.db.selectFrom('locations').select('id').where('slug', '=', 'harbor-bistro').executeTakeFirstOrThrow();
    const open = async () => ({
      listed: (await callerFor(tdb.db, at).locations.list()).find((l) => l.slug === 'harbor-bistro')!.isOpenNow,
      menu: (await callerFor(tdb.db, at).menu.get({ locationSlug: 'harbor-bistro' })).location.isOpenNow,
    });
    expect(await open()).toEqual({ listed: true, menu: true });
    await tdb.db.insertInto('location_closures').values({ location_id: harbor.id, date: '2026-11-27', reason: 'Thanksgiving weekend' }).execute();
    expect(await open()).toEqual({ listed: false, menu: false });
    // The picker shows the closure itself.
    const listed = (await callerFor(tdb.db, at).locations.list()).find((l) => l.slug === 'harbor-bistro')!;
    expect(listed.closures).toEqual(['2026-11-27']);
  });
});

