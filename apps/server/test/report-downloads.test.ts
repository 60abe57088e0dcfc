import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * CSV downloads on the wire: a real server, a signed-in manager's bearer token, and orders
 * written straight into the database in bulk (more than one page of the stream, several sharing
 * one instant to the microsecond, so the paging must neither skip nor repeat a row).
 */

const PASSWORD = 'plate-of-oysters-42';
let t: TestServer;
let harbor: string;
let centrale: string;
let managerToken: string;
let otherManagerToken: string;

async function account(roles: { locationId: string; role: 'manager' | 'staff' }[]): Promise<string> {
  const db = t.server.database.db;
  const email = `reports.${randomBytes(4).toString('hex')}@bistro.test`;
  const { id } = await db
    .insertInto('users')
    .values({ email, name: 'Report Reader', password_hash: await t.server.services.passwords.hash(PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (roles.length) await db.insertInto('location_roles').values(roles.map((r) => ({ user_id: id, location_id: r.locationId, role: r.role }))).execute();
  const answer = await fetch(`${t.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email, password: PASSWORD, mode: 'token' } }),
  });
  const body = (await answer.json()) as { result: { data: { json: { token: string } } } };
  return body.result.data.json.token;
}

const download = (path: string, token?: string) => fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  t = await startTestServer();
  const rows = await t.server.database.db.selectFrom('locations').select(['id', 'slug']).execute();
  harbor = rows.find((r) => r.slug === 'harbor-bistro')!.id;
  centrale = rows.find((r) => r.slug === 'bistro-centrale')!.id;
  managerToken = await account([{ locationId: harbor, role: 'manager' }]);
  otherManagerToken = await account([{ locationId: centrale, role: 'manager' }]);
  // 2,345 placed orders at Harbor Bistro (New York) on 2026-11-01, the day the clocks go back:
  // from 04:00Z (00:00 EDT) one every 36 s, pairs sharing an instant to the microsecond;
  // one cancelled order among them, and one the minute before local midnight (October 31).
  await sql`
    insert into orders (id, location_id, local_date, number, display_number, status, type, slot_start, contact_name, currency,
      subtotal_minor, tax_minor, tip_minor, total_minor, tracking_secret_hash, created_at)
    select gen_random_uuid(), ${harbor}, '2026-11-01', n, 'A-' || n, case when n = 7 then 'cancelled' else 'placed' end, 'pickup',
      ts, 'Bulk', 'USD', 1000, 89, 0, 1089, '\\x00'::bytea, ts
    from generate_series(1, 2346) n,
      lateral (select timestamptz '2026-11-01 04:00:00.123456+00' + ((n / 2) * 36) * interval '1 second' as ts) x`.execute(t.server.database.db);
  await sql`
    insert into orders (id, location_id, local_date, number, display_number, status, type, slot_start, contact_name, currency,
      subtotal_minor, tax_minor, tip_minor, total_minor, tracking_secret_hash, created_at)
    values (${randomUUID()}, ${harbor}, '2026-10-31', 1, 'A-EVE', 'placed', 'pickup', '2026-11-01T03:59:00Z', 'Eve', 'USD', 500, 44, 0, 544, '\\x00'::bytea, '2026-11-01T03:59:00Z')`.execute(
    t.server.database.db,
  );
});
afterAll(() => t?.close());

describe('report downloads (CSV)', () => {
  it('streams every counted order of the day once, in local time with its offset, across pages', async () => {
    const answer = await download(`/reports/orders.csv?locationId=${harbor}&from=2026-11-01&to=2026-11-01`, managerToken);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="orders-2026-11-01-2026-11-01.csv"');
    // Streamed: no length known up front.
    expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    const lines = (await answer.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('order,placed_at,type,gross_minor,discount_minor,refund_minor,net_minor,tax_minor,tip_minor,currency');
    const orders = lines.slice(1).map((l) => l.split(','));
    // 2,346 written, one cancelled; the evening before is another day.
    expect(orders).toHaveLength(2345);
    expect(new Set(orders.map((o) => o[0])).size).toBe(2345);
    expect(orders.some((o) => o[0] === 'A-7' || o[0] === 'A-EVE')).toBe(false);
    expect(orders[0]).toEqual(['A-1', '2026-11-01T00:00:00-04:00', 'pickup', '1000', '0', '0', '1000', '89', '0', 'USD']);
    // 04:00Z + 1173 × 36 s = 15:43:48Z, 10:43:48 in New York after the clocks went back.
    expect(orders.at(-1)?.slice(0, 2)).toEqual(['A-2346', '2026-11-01T10:43:48-05:00']);
  });

  it('the sales report downloads as its rows and a total line', async () => {
    const answer = await download(`/reports/sales.csv?locationId=${harbor}&from=2026-10-31&to=2026-11-01&groupBy=day`, managerToken);
    expect(answer.status).toBe(200);
    expect((await answer.text()).split('\r\n')).toEqual([
      'day,label,orders,quantity,gross_minor,discount_minor,refund_minor,net_minor,tax_minor,tip_minor,currency',
      '2026-10-31,2026-10-31,1,,500,0,0,500,44,0,USD',
      '2026-11-01,2026-11-01,2345,,2345000,0,0,2345000,208705,0,USD',
      'total,Total,2346,,2345500,0,0,2345500,208749,0,USD',
      '',
    ]);
  });

  it('the kitchen and items downloads answer too', async () => {
    const kitchen = await download(`/reports/kitchen.csv?locationId=${harbor}&from=2026-10-31&to=2026-10-31`, managerToken);
    expect(kitchen.status).toBe(200);
    expect((await kitchen.text()).split('\r\n')[0]).toBe('order,status,placed_at,ready_at,seconds_to_ready,reject_reason');
    const items = await download(`/reports/items.csv?locationId=${harbor}&from=2026-10-31&to=2026-10-31`, managerToken);
    expect(items.status).toBe(200);
    expect((await items.text()).split('\r\n').length).toBeGreaterThan(3);
  });

  it('a guest gets 401, another location’s manager and a missing location 404, a bad range 400, an unknown report 404', async () => {
    const path = `/reports/orders.csv?locationId=${harbor}&from=2026-11-01&to=2026-11-01`;
    const guest = await download(path);
    expect(guest.status).toBe(401);
    expect(((await guest.json()) as { error: { bistroCode: string } }).error.bistroCode).toBe('UNAUTHORIZED');
    const other = await download(path, otherManagerToken);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { bistroCode: string } }).error.bistroCode).toBe('NOT_FOUND');
    const missing = await download(`/reports/orders.csv?locationId=${randomUUID()}&from=2026-11-01&to=2026-11-01`, managerToken);
    expect(missing.status).toBe(404);
    const backwards = await download(`/reports/orders.csv?locationId=${harbor}&from=2026-11-02&to=2026-11-01`, managerToken);
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { error: { bistroCode: string; fieldErrors: Record<string, string[]> } }).error).toMatchObject({
      bistroCode: 'INVALID_INPUT',
      fieldErrors: { to: ['The range ends before it starts'] },
    });
    expect((await download(`/reports/secrets.csv?locationId=${harbor}&from=2026-11-01&to=2026-11-01`, managerToken)).status).toBe(404);
  });
});
