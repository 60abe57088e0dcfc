import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionFailure, createDb, isDatabaseUnavailable, type Database } from '../src/index.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../src/testing.js';

let tdb: TestDatabase;
let database: Database;
beforeAll(async () => {
  tdb = await createTestDatabase({ seed: false });
  database = createDb({ url: tdb.url, maxConnections: 2 });
});
afterAll(async () => {
  await database?.close();
  await tdb?.drop();
});

/** Ends a backend as an administrator, a failover or an idle-session killer would (57P01). */
async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe('a pool whose connections are ended by the database', () => {
  it('survives a checked-out client losing its connection between two queries, and never lends it again', async () => {
    const client = await database.pool.connect();
    await client.query('begin');
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const ended = new Promise((resolve) => client.once('end', resolve));
    await terminate(rows[0]!.pid);
    // Without a listener, the 'error' this client emits now would end the process.
    await ended;
    await expect(client.query('select 1')).rejects.toSatisfy(isDatabaseUnavailable);
    client.release();
    expect(database.pool.totalCount).toBe(0);
    const again = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });

  it('fails a transaction whose connection is ended with an error that says so, and the next one succeeds', async () => {
    const failure = await database.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await terminate(rows[0]!.pid);
        await sql`select pg_sleep(0.05)`.execute(trx);
        await sql`select 1`.execute(trx);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(connectionFailure(failure)).toBe('lost');
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows[0]!.one).toBe(1);
  });

  it('tells a refused connection (unreachable) from a lost one, and a statement error from both', async () => {
    const nowhere = createDb({ url: 'postgres://postgres@127.0.0.1:1/nope', maxConnections: 1 });
    try {
      const refused = await sql`select 1`.execute(nowhere.db).then(() => undefined, (error: unknown) => error);
      expect(connectionFailure(refused)).toBe('unreachable');
    } finally {
      await nowhere.close();
    }
    const statement = await sql`select * from no_such_table`.execute(database.db).then(() => undefined, (error: unknown) => error);
    expect(statement).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(statement)).toBe(false);
    expect(connectionFailure({ code: '57P01' })).toBe('lost');
    expect(connectionFailure(new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') }))).toBe('lost');
    expect(connectionFailure({ code: '57P03' })).toBe('unreachable');
    expect(connectionFailure({ code: '23505' })).toBeUndefined();
  });
});
