import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGREDIENT_UNITS, locationRoleSchema, MOVEMENT_REASONS, ORDER_STATUSES, orderTypeSchema, TOKEN_KINDS } from '@bistro/domain';
import { COLUMN_TYPES } from '../src/codegen.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

/**
 * The generated schema types these columns as the domain's unions (codegen.ts COLUMN_TYPES);
 * here the database's CHECK constraints are read back and must allow exactly the same values,
 * so the type and the table cannot disagree.
 */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ seed: false });
});
afterAll(() => tdb?.drop());

/** The values a column's `col in ('a', 'b')` CHECK constraint allows, sorted. */
async function allowedValues(table: string, column: string): Promise<string[]> {
  const { rows } = await sql<{ definition: string }>`
    select pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
    where c.contype = 'c' and c.conrelid = ${table}::regclass and a.attname = ${column}`.execute(tdb.db);
  expect(rows, `${table}.${column} has one CHECK constraint`).toHaveLength(1);
  return [...rows[0]!.definition.matchAll(/'([^']*)'::text/g)].map((m) => m[1]!).sort();
}

const DOMAIN_VALUES: Record<string, readonly string[]> = {
  OrderStatus: ORDER_STATUSES,
  OrderType: orderTypeSchema.options,
  LocationRole: locationRoleSchema.options,
  TokenKind: TOKEN_KINDS,
  MovementReason: MOVEMENT_REASONS,
  IngredientUnit: INGREDIENT_UNITS,
};

describe('typed status columns', () => {
  const checked = Object.entries(COLUMN_TYPES).filter(([column, type]) => DOMAIN_VALUES[type] && column !== 'order_events.status' && !column.startsWith('order_history.'));

  it.each(checked)('%s allows exactly the values of %s', async (column, type) => {
    const [table, name] = column.split('.') as [string, string];
    expect(await allowedValues(table, name)).toEqual([...DOMAIN_VALUES[type]!].sort());
  });

  it('covers the status-like columns the issue names', () => {
    expect(checked.map(([column]) => column)).toEqual(
      expect.arrayContaining(['orders.status', 'location_roles.role', 'auth_tokens.kind', 'stock_movements.reason']),
    );
  });
});
