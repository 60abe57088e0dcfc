import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { generateSchemaTypes, isMigrated, LATEST_MIGRATION } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ seed: false });
});
afterAll(() => tdb?.drop());

describe('schema', () => {
  it('matches the committed schema types (run `npm run db:codegen` after changing a migration)', async () => {
    const committed = readFileSync(new URL('../src/schema.ts', import.meta.url), 'utf8');
    expect(await generateSchemaTypes(tdb.db)).toBe(committed);
  });

  it('reports itself migrated to the latest migration', async () => {
    expect(LATEST_MIGRATION).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}_/);
    expect(await isMigrated(tdb.db)).toBe(true);
  });

  it('returns int8 values (counts, sums, bigint columns) as numbers, never strings', async () => {
    const { rows } = await sql<{ n: unknown; big: unknown; list: unknown }>`
      select count(*) as n, 9007199254740991::int8 as big, array[1, 2]::int8[] as list`.execute(tdb.db);
    expect(rows[0]).toEqual({ n: 1, big: Number.MAX_SAFE_INTEGER, list: [1, 2] });
  });

  it('fails loudly instead of rounding an int8 beyond the safe integer range', async () => {
    await expect(sql`select 9007199254740993::int8 as n`.execute(tdb.db)).rejects.toThrow(/safe integer/);
  });

  it('refuses money that is negative and options whose min exceeds max', async () => {
    const location = await tdb.db
      .insertInto('locations')
      .values({ slug: 'check', name: 'Check', time_zone: 'UTC', currency: 'EUR', tax_rate_bp: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const category = await tdb.db
      .insertInto('menu_categories')
      .values({ location_id: location.id, name: 'C' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      tdb.db.insertInto('menu_items').values({ location_id: location.id, category_id: category.id, name: 'X', price_minor: -1 }).execute(),
    ).rejects.toThrow(/check constraint/);
    const item = await tdb.db
      .insertInto('menu_items')
      .values({ location_id: location.id, category_id: category.id, name: 'X', price_minor: 100 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      tdb.db.insertInto('option_groups').values({ location_id: location.id, item_id: item.id, name: 'G', min_selections: 2, max_selections: 1 }).execute(),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('a database with no migrations', () => {
  it('is not reported as migrated', async () => {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(tdb.db);
    expect(rows[0]?.name).toBe(tdb.name);
    const bare = await createTestDatabase({ seed: false });
    try {
      await sql`drop table kysely_migration`.execute(bare.db);
      expect(await isMigrated(bare.db)).toBe(false);
    } finally {
      await bare.drop();
    }
  });
});
