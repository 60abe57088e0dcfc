import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, isBistroErrorCode } from '@bistro/domain';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * Hostile input over a real socket: the raw bytes a hostile client sends (JSON with escaped NUL
 * and lone surrogates, 10,000 levels of nesting, keys named like Object.prototype properties,
 * 100,000-character strings), alone and in batches, through GET and POST, signed in and not.
 * Every answer is a 4xx with a known Bistro code (never INTERNAL), nothing is written, and the
 * server still serves afterwards. The in-process sweep of every procedure is
 * packages/api/test/hostile-input.test.ts.
 */

let t: TestServer;
let bearer: string;
let locationId: string;
let itemId: string;
const PASSWORD = 'plate-of-oysters-42';

async function post(path: string, body: string, token?: string): Promise<Response> {
  return fetch(`${t.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

beforeAll(async () => {
  t = await startTestServer();
  const email = `hostile.${Date.now()}@bistro.test`;
  expect((await post('auth.signUp', JSON.stringify({ json: { email, password: PASSWORD, name: 'Hostile Admin' } }))).status).toBe(200);
  await t.tdb.db.updateTable('users').set({ is_admin: true }).where('email', '=', email).execute();
  const signedIn = (await (await post('auth.signIn', JSON.stringify({ json: { email, password: PASSWORD, mode: 'token' } }))).json()) as { result: { data: { json: { token: string } } } };
  bearer = signedIn.result.data.json.token;
  const location = await t.tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bistro-centrale').executeTakeFirstOrThrow();
  locationId = location.id;
  itemId = (await t.tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', locationId).orderBy('sort_order').executeTakeFirstOrThrow()).id;
});
afterAll(() => t?.close());

async function rowCounts(): Promise<Record<string, number>> {
  const db = t.tdb.db;
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const selects = tables.rows.map((row) => sql`(select count(*)::int from ${sql.table(row.name)}) as ${sql.ref(row.name)}`);
  return (await sql<Record<string, number>>`select ${sql.join(selects)}`.execute(db)).rows[0]!;
}

const CLIENT_ERROR_CODES = new Set(Object.entries(ERROR_CODES).filter(([, trpc]) => trpc !== 'INTERNAL_SERVER_ERROR' && trpc !== 'SERVICE_UNAVAILABLE').map(([code]) => code));

interface ErrorEnvelope {
  error?: { json?: { data?: { bistroCode?: unknown } } };
}

/** The problem with an answer, or null when it is a proper refusal: a 4xx whose every error has a known client code. */
async function problemWith(response: Response): Promise<string | null> {
  const text = await response.text();
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    // A live feed refuses its input in the stream: one `serialized-error` event, then the end.
    const event = /^event: serialized-error\ndata: (.*)$/m.exec(text);
    if (!event) return `feed without an error event: ${text.slice(0, 200)}`;
    const code = (JSON.parse(event[1]!) as { json?: { data?: { bistroCode?: unknown; httpStatus?: number } } }).json?.data;
    if (!isBistroErrorCode(code?.bistroCode) || !CLIENT_ERROR_CODES.has(code.bistroCode)) return `feed error code ${String(code?.bistroCode)}`;
    return null;
  }
  if (response.status < 400 || response.status >= 500) {
    // A batch of refusals answers 207 or 4xx; a 2xx must still hold only errors.
    if (response.status !== 207) return `status ${response.status}: ${text.slice(0, 200)}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  for (const answer of [body].flat() as ErrorEnvelope[]) {
    const code = answer.error?.json?.data?.bistroCode;
    if (!isBistroErrorCode(code) || !CLIENT_ERROR_CODES.has(code)) return `code ${String(code)}: ${text.slice(0, 200)}`;
  }
  return null;
}

const NUL = '\\u0000';
const deepArray = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const protoKeys = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"toString":1}';
const long = 'x'.repeat(100_000);

/** Raw JSON texts of the `json` part of a call, each hostile in one way. */
function hostileBodies(valid: Record<string, string>, field: string): [string, string][] {
  const withField = (raw: string) => {
    const rest = Object.entries(valid)
      .filter(([k]) => k !== field)
      .map(([k, v]) => `${JSON.stringify(k)}:${v}`);
    return `{"json":{${[...rest, `${JSON.stringify(field)}:${raw}`].join(',')}}}`;
  };
  return [
    ['NUL', withField(`"a${NUL}b"`)],
    ['ESC and C1', withField('"a\\u001b\\u0085b"')],
    ['bidi override', withField('"a\\u202eb"')],
    ['lone surrogate', withField('"a\\ud800b"')],
    ['100k characters', withField(`"${long}"`)],
    ['a number', withField('1')],
    ['10k nested arrays', withField(deepArray)],
    ['10k nested objects', withField(deepObject)],
    ['prototype keys as the field', withField(protoKeys)],
    ['prototype keys as the input', `{"json":${protoKeys}}`],
    ['10k nested arrays as the input', `{"json":${deepArray}}`],
    ['10k nested objects as the body', deepObject],
  ];
}

describe('hostile input over the wire', () => {
  const cases: { path: string; valid: () => Record<string, string>; field: string; signedIn?: boolean }[] = [
    { path: 'auth.signUp', valid: () => ({ email: '"new.guest@bistro.test"', password: `"${PASSWORD}"`, name: '"New Guest"' }), field: 'name' },
    { path: 'auth.signIn', valid: () => ({ email: '"new.guest@bistro.test"', password: `"${PASSWORD}"` }), field: 'password' },
    {
      path: 'orders.place',
      valid: () => ({
        locationSlug: '"bistro-centrale"',
        type: '"dine_in"',
        table: '"T1"',
        lines: `[{"itemId":"${itemId}","quantity":1}]`,
        contact: '{"name":"Guest"}',
        idempotencyKey: '"hostile-key-0123456789"',
      }),
      field: 'table',
    },
    { path: 'orders.cancel', valid: () => ({ trackingToken: `"${'A'.repeat(43)}"`, reason: '"Changed my mind"' }), field: 'reason' },
    { path: 'locations.update', valid: () => ({ locationId: `"${locationId}"`, version: '1', address: '"1 Quay Street"' }), field: 'address', signedIn: true },
    { path: 'menu.categories.create', valid: () => ({ locationId: `"${locationId}"`, name: '"Specials"' }), field: 'description', signedIn: true },
    { path: 'kitchen.set86', valid: () => ({ itemId: `"${itemId}"`, eightySixed: 'true' }), field: 'reason', signedIn: true },
    { path: 'admin.users.list', valid: () => ({}), field: 'query', signedIn: true },
  ];

  it.each(cases)('$path refuses every hostile body with a known 4xx code and writes nothing', async ({ path, valid, field, signedIn }) => {
    const before = await rowCounts();
    const problems: string[] = [];
    for (const [what, body] of hostileBodies(valid(), field)) {
      const problem = await problemWith(await post(path, body, signedIn ? bearer : undefined));
      if (problem) problems.push(`${what}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses hostile queries in the URL (GET), for a query and a live feed (which refuses in its stream)', async () => {
    const problems: string[] = [];
    const inputs: [string, string][] = [
      ['menu.get NUL', `{"json":{"locationSlug":"bistro${NUL}"}}`],
      // 1,500 levels: deeper no longer fits Node's 16 KiB limit on the request line and headers.
      ['menu.get deep', `{"json":${'['.repeat(1_500)}1${']'.repeat(1_500)}}`],
      ['admin.users.list NUL search', `{"json":{"query":"ann${NUL}"}}`],
      ['orders.onStatus NUL token', `{"json":{"trackingToken":"abc${NUL}"}}`],
      ['orders.onStatus prototype keys', `{"json":${protoKeys}}`],
    ];
    for (const [what, input] of inputs) {
      const path = what.split(' ')[0]!;
      const response = await fetch(`${t.url}/trpc/${path}?input=${encodeURIComponent(input)}`, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
      const problem = await problemWith(response);
      if (problem) problems.push(`${what}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it('answers a batch of hostile calls with one refusal each, and writes nothing', async () => {
    const before = await rowCounts();
    const body = JSON.stringify({
      0: { json: { email: 'a@b.example', password: `pass${'\u0000'}word`, name: 'A' } },
      1: { json: { locationSlug: 'bistro-centrale', type: 'pickup', lines: [{ itemId, quantity: 1, note: 'a\u0000b' }], contact: { name: 'G' }, idempotencyKey: 'batch-key-0123456789' } },
      2: { json: { trackingToken: 'A'.repeat(43), reason: 'x\u202e' } },
    });
    const response = await post('auth.signUp,orders.place,orders.cancel?batch=1', body);
    expect(await problemWith(response)).toBeNull();
    expect(await rowCounts()).toEqual(before);
  });

  it('is healthy afterwards: /healthz, /readyz and a real call answer', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    const menu = await fetch(`${t.url}/trpc/menu.get?input=${encodeURIComponent('{"json":{"locationSlug":"bistro-centrale"}}')}`);
    expect(menu.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
