import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { nameStatement } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let tdb: TestDatabase;
beforeAll(async () => {
  // One connection, so every statement below runs on the connection the checks look at.
  tdb = await createTestDatabase({ seed: false, maxConnections: 1 });
});
afterAll(() => tdb?.drop());

/** The statements prepared on the (only) connection, by name. */
async function prepared(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(tdb.db);
  return rows.map((r) => r.name);
}

describe('connections', () => {
  it('run with JIT compilation off (an OLTP workload: compiling costs more than it saves)', async () => {
    const { rows } = await sql<{ jit: string }>`show jit`.execute(tdb.db);
    expect(rows[0]?.jit).toBe('off');
  });

  it('send a registered statement by name, planned once per connection, from the pool and inside a transaction', async () => {
    const text = 'select $1::int + 1 as n /* connections.test named */';
    const query = CompiledQuery.raw(text, [41]);
    expect(await prepared()).not.toContain(nameStatement('select 0 /* never run */'));
    const name = nameStatement(text);
    expect(nameStatement(text)).toBe(name);
    expect((await tdb.db.executeQuery<{ n: number }>(query)).rows).toEqual([{ n: 42 }]);
    expect(await prepared()).toContain(name);
    const inTransaction = await tdb.db.transaction().execute((trx) => trx.executeQuery<{ n: number }>(CompiledQuery.raw(text, [1])));
    expect(inTransaction.rows).toEqual([{ n: 2 }]);
    expect((await prepared()).filter((n) => n === name)).toHaveLength(1);
  });

  it('leave statements nobody registered unnamed', async () => {
    await tdb.db.executeQuery(CompiledQuery.raw('select 1 as one /* connections.test unnamed */'));
    const { rows } = await sql<{ n: number }>`select count(*) as n from pg_prepared_statements where statement like '%connections.test unnamed%'`.execute(tdb.db);
    expect(rows[0]?.n).toBe(0);
  });
});
