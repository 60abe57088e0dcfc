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
    // The reports' covering index on (location_id, created_at, id), read backwards.
    expect(text).toContain('orders_report_cover_idx');
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });

  it('orders.listMine pages a customer’s orders by (created_at, id) from one index, without sorting', async () => {
    const text = await plan(sql`select id from orders where customer_user_id = ${someone}
      and (created_at, id) < (now(), ${someone}::uuid) order by created_at desc, id desc limit 21`);
    expect(text).toContain('orders_customer_page_idx');
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });
});

describe('indexes and functions for reports', () => {
  it('a range of a location’s counted orders, with every column the reports and the orders CSV read, is one index-only scan in (created_at, id) order', async () => {
    const text = await plan(sql`select id, created_at, status, type, subtotal_minor, discount_minor, tax_minor, tip_minor, wanted_at, display_number
      from orders where location_id = ${someone} and created_at >= now() - interval '365 days' and created_at < now()
      and status not in ('pending_payment', 'cancelled') and (created_at, id) > (now() - interval '30 days', ${someone}::uuid)
      order by created_at, id limit 2000`);
    expect(text).toContain('Index Only Scan using orders_report_cover_idx');
    expect(text).not.toMatch(/Seq Scan|Sort/);
  });

  it('the kitchen report’s rejects are read from a partial index, not from the whole order history', async () => {
    const text = await plan(sql`select order_id, reason from order_history where action = 'reject'`);
    expect(text).toContain('order_history_reject_idx');
    expect(text).not.toContain('Seq Scan');
  });

  it('report_local_time is inlined into the statement that calls it (no function call per row), and writes the zone’s offset', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain verbose select report_local_time(created_at, 'Europe/Rome') from orders`.execute(tdb.db);
    const text = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('to_char');
    expect(text).not.toContain('report_local_time');
    const local = async (at: string, zone: string) =>
      (await sql<{ t: string }>`select report_local_time(${at}::timestamptz, ${zone}) as t`.execute(tdb.db)).rows[0]!.t;
    expect(await local('2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
    expect(await local('2026-11-01T06:30:00Z', 'America/New_York')).toBe('2026-11-01T01:30:00-05:00');
    expect(await local('2026-07-01T07:15:00Z', 'Asia/Kathmandu')).toBe('2026-07-01T13:00:00+05:45');
    expect(await local('2026-01-15T12:00:00Z', 'America/St_Johns')).toBe('2026-01-15T08:30:00-03:30');
    expect(await local('2026-01-15T12:00:00Z', 'UTC')).toBe('2026-01-15T12:00:00+00:00');
  });
});
