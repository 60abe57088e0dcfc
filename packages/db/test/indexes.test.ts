import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

// The list procedures' filters must be answerable from indexes: on a small test database the
// planner would pick a sequential scan anyway, so sequential scans are priced out and the plan
// must still avoid reading the whole table (as it must on a year of data; see bench/growth-seed.ts).
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ seed: false, maxConnections: 1 });
});
afterAll(() => tdb?.drop());

async function plan(query: ReturnType<typeof sql>): Promise<string> {
  return tdb.db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    try {
      const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(conn);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await sql`reset enable_seqscan`.execute(conn);
    }
  });
}

const someone = '6f1c1a52-1111-4aaa-8bbb-000000000001';

describe('indexes for list filters', () => {
  it('admin.audit.list by user reads the actor side and the target side from indexes', async () => {
    const text = await plan(sql`select id from audit_log
      where actor_user_id = ${someone} or (target_type = 'user' and target_id = ${someone}) order by id desc limit 101`);
    expect(text).toContain('audit_log_actor_idx');
    expect(text).toContain('audit_log_target_idx');
    expect(text).not.toContain('Seq Scan');
  });

  it('admin.users.list pages newest first from an index, without sorting every account', async () => {
    const text = await plan(sql`select id from users order by created_at desc, id desc limit 51`);
    expect(text).toContain('users_created_idx');
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });

  it('orders.list pages a location’s day of orders by (created_at, id) from one index, without sorting', async () => {
    const text = await plan(sql`select id from orders where location_id = ${someone}
      and created_at >= now() - interval '1 day' and created_at < now()
      and (created_at, id) < (now(), ${someone}::uuid) order by created_at desc, id desc limit 51`);
    expect(text).toContain('orders_location_page_idx');
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });

  it('orders.listMine pages a customer’s orders by (created_at, id) from one index, without sorting', async () => {
    const text = await plan(sql`select id from orders where customer_user_id = ${someone}
      and (created_at, id) < (now(), ${someone}::uuid) order by created_at desc, id desc limit 21`);
    expect(text).toContain('orders_customer_page_idx');
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });
});
