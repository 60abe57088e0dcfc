import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ seed: true });
});
afterAll(() => tdb?.drop());

describe('demo seed', () => {
  it('writes two locations in different time zones', async () => {
    const locations = await tdb.db.selectFrom('locations').select(['slug', 'time_zone', 'currency']).orderBy('slug').execute();
    expect(locations).toHaveLength(2);
    expect(new Set(locations.map((l) => l.time_zone)).size).toBe(2);
  });

  it('gives each location a menu of at least 15 items', async () => {
    const counts = await tdb.db
      .selectFrom('menu_items')
      .select(['location_id', (eb) => eb.fn.countAll<number>().as('items')])
      .groupBy('location_id')
      .execute();
    expect(counts).toHaveLength(2);
    for (const c of counts) expect(c.items).toBeGreaterThanOrEqual(15);
  });

  it('includes a required single choice and an optional multi-choice option group', async () => {
    const groups = await tdb.db.selectFrom('option_groups').select(['name', 'min_selections', 'max_selections']).execute();
    expect(groups.some((g) => g.min_selections === 1 && g.max_selections === 1)).toBe(true);
    expect(groups.some((g) => g.min_selections === 0 && g.max_selections > 1)).toBe(true);
  });

  it('gives each location the Grill, Fryer, Cold and Bar stations and routes every item to one of its own', async () => {
    const stations = await tdb.db.selectFrom('stations').select(['location_id', 'name']).orderBy('location_id').orderBy('sort_order').execute();
    expect(stations.map((s) => s.name)).toEqual(['Grill', 'Fryer', 'Cold', 'Bar', 'Grill', 'Fryer', 'Cold', 'Bar']);
    const unrouted = await tdb.db
      .selectFrom('menu_items as i')
      .leftJoin('stations as s', (join) => join.onRef('s.id', '=', 'i.station_id').onRef('s.location_id', '=', 'i.location_id'))
      .select('i.name')
      .where('s.id', 'is', null)
      .execute();
    expect(unrouted).toEqual([]);
  });

  it('does nothing when run again on a seeded database', async () => {
    expect(await seedDemo(tdb.db)).toBe(false);
    const { n } = await tdb.db.selectFrom('locations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(2);
  });
});
