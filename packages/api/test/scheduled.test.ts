import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { cleanUpExpired, DELIVERY_RETENTION_MS, KEY_RETENTION_MS, sendLowStockDigests, TOKEN_RETENTION_MS } from '../src/jobs/scheduled.js';
import { createMailer, type JobQueue, type Services } from '../src/index.js';
import { createUser, silent, testServices, type TestUser } from './helpers.js';
import { settled, startWorker, storedJobs, TestSmtp } from './jobs-fixtures.js';
import { orderingLocation, type OrderingFixture } from './order-fixtures.js';

/**
 * Scheduled work with the injected clock only: every "now" below is passed in, never the wall
 * clock, and each boundary (the minute before 08:00, 08:00 itself, the next day) is checked.
 */

let tdb: TestDatabase;
let smtp: TestSmtp;
let services: Services;
let worker: JobQueue;
let tokyo: OrderingFixture;
let newYork: OrderingFixture;
let tokyoManager: TestUser;
let newYorkManager: TestUser;

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = new TestSmtp();
  await smtp.start();
  services = { ...testServices(), mailer: createMailer({ smtpUrl: smtp.url, from: 'Bistro <no-reply@bistro.test>', log: silent }) };
  worker = await startWorker(tdb, services, () => new Date('2026-12-02T00:00:00Z'));
  services = { ...services, jobs: worker };
  // Soup at 1 portion is below a threshold of 5 at both; Tokyo is UTC+9, New York UTC-5 in December.
  tokyo = await orderingLocation(tdb.db, { timeZone: 'Asia/Tokyo', stock: { soup: 1 } });
  newYork = await orderingLocation(tdb.db, { timeZone: 'America/New_York', stock: { soup: 1 } });
  for (const f of [tokyo, newYork]) await tdb.db.updateTable('ingredients').set({ low_stock_threshold: 5 }).where('id', '=', f.ingredients.soup).execute();
  tokyoManager = await createUser(tdb.db, { roles: [{ locationId: tokyo.locationId, role: 'manager' }] });
  newYorkManager = await createUser(tdb.db, { roles: [{ locationId: newYork.locationId, role: 'manager' }] });
  // Staff get no digest.
  await createUser(tdb.db, { roles: [{ locationId: tokyo.locationId, role: 'staff' }] });
});
afterAll(async () => {
  await worker?.stop(2_000);
  await smtp?.close();
  await tdb?.drop();
});

const digestJobs = async () => (await storedJobs(tdb.db)).filter((j) => JSON.stringify(j.data).includes('low_stock_digest'));
const ours = (sent: string[]) => sent.filter((id) => id === tokyo.locationId || id === newYork.locationId);

describe('the low-stock digest at 08:00 in each location’s time zone', () => {
  it('goes to a location’s managers at 08:00 its time, not a minute before, once a day', async () => {
    // 07:59 in Tokyo (22:59 UTC the day before), 17:59 in New York: nothing anywhere.
    expect(ours(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-02T22:59:00Z')))).toEqual([]);
    expect(await digestJobs()).toHaveLength(0);
    // 08:00 in Tokyo is 18:00 in New York the day before: Tokyo only.
    expect(ours(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-02T23:00:00Z')))).toEqual([tokyo.locationId]);
    // Again at 08:30: already out today.
    expect(ours(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-02T23:30:00Z')))).toEqual([]);
    // 07:59 in New York (12:59 UTC): still nothing for it.
    expect(ours(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-03T12:59:00Z')))).toEqual([]);
    // 08:00 in New York: its digest; Tokyo's day is already done.
    expect(ours(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-03T13:00:00Z')))).toEqual([newYork.locationId]);
    // Noon in New York (17:00 UTC) is past the morning: a location that missed 08:00 and noon gets none that day.
    const late = await orderingLocation(tdb.db, { timeZone: 'America/New_York', stock: { soup: 1 } });
    await tdb.db.updateTable('ingredients').set({ low_stock_threshold: 5 }).where('id', '=', late.ingredients.soup).execute();
    await createUser(tdb.db, { roles: [{ locationId: late.locationId, role: 'manager' }] });
    expect(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-03T17:00:00Z'))).not.toContain(late.locationId);
    expect(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-03T16:59:00Z'))).toContain(late.locationId);
    // Tokyo's next morning.
    expect(ours(await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-03T23:00:00Z')))).toEqual([tokyo.locationId]);

    await settled(tdb.db);
    const to = (user: TestUser) => smtp.received.filter((m) => m.to.includes(user.email));
    // Each local date is the location's own: 08:00 in Tokyo on the 3rd is still the 2nd in UTC.
    expect(to(tokyoManager).map((m) => m.subject)).toEqual([expect.stringMatching(/^Low stock at Kitchen \d+ on 2026-12-03$/), expect.stringMatching(/ on 2026-12-04$/)]);
    expect(to(newYorkManager).map((m) => m.subject)).toEqual([expect.stringMatching(/ on 2026-12-03$/)]);
    expect(to(tokyoManager)[0]!.text).toMatch(/Soup portion\s+1 \/ 5 piece/);
  });

  it('sends nothing when nothing is low, and counts the day as done', async () => {
    const calm = await orderingLocation(tdb.db, { timeZone: 'UTC', stock: { soup: 50 } });
    await createUser(tdb.db, { roles: [{ locationId: calm.locationId, role: 'manager' }] });
    const sent = await sendLowStockDigests({ db: tdb.db, services }, new Date('2026-12-10T08:00:00Z'));
    expect(sent).not.toContain(calm.locationId);
    const claimed = await tdb.db.selectFrom('low_stock_digests').select('ingredients').where('location_id', '=', calm.locationId).execute();
    expect(claimed).toEqual([{ ingredients: 0 }]);
  });
});

describe('clean-up of expired tokens, idempotency keys and sent-email keys', () => {
  it('deletes exactly what is past its retention at `now`, and keeps what is at the boundary', async () => {
    const now = new Date('2027-03-01T12:00:00Z');
    const user = await createUser(tdb.db);
    const at = (ms: number) => new Date(now.getTime() - ms);
    const token = (expiresAt: Date, usedAt: Date | null) => ({
      kind: 'verify_email' as const,
      token_hash: randomBytes(32),
      email: user.email,
      user_id: user.id,
      created_at: at(TOKEN_RETENTION_MS * 2),
      expires_at: expiresAt,
      used_at: usedAt,
    });
    const tokens = await tdb.db
      .insertInto('auth_tokens')
      .values([token(at(TOKEN_RETENTION_MS + 1), null), token(at(TOKEN_RETENTION_MS), null), token(now, at(TOKEN_RETENTION_MS + 1)), token(now, null)])
      .returning('id')
      .execute();
    await tdb.db
      .insertInto('idempotency_keys')
      .values([
        { scope: 'cleanup', key: 'old', request_hash: randomBytes(32), created_at: at(KEY_RETENTION_MS + 1) },
        { scope: 'cleanup', key: 'edge', request_hash: randomBytes(32), created_at: at(KEY_RETENTION_MS) },
      ])
      .execute();
    await tdb.db
      .insertInto('email_deliveries')
      .values([
        { key: 'cleanup:old', kind: 'account', created_at: at(DELIVERY_RETENTION_MS * 2), sent_at: at(DELIVERY_RETENTION_MS + 1) },
        { key: 'cleanup:edge', kind: 'account', created_at: at(DELIVERY_RETENTION_MS * 2), sent_at: at(DELIVERY_RETENTION_MS) },
        { key: 'cleanup:unsent', kind: 'account', created_at: at(DELIVERY_RETENTION_MS * 2), sent_at: null },
      ])
      .execute();

    const removed = await cleanUpExpired(tdb.db, now);
    expect(removed.idempotencyKeys).toBe(1);
    const left = await tdb.db.selectFrom('auth_tokens').select('id').where('id', 'in', tokens.map((t) => t.id)).execute();
    expect(left.map((t) => t.id).sort()).toEqual([tokens[1]!.id, tokens[3]!.id].sort());
    expect((await tdb.db.selectFrom('idempotency_keys').select('key').where('scope', '=', 'cleanup').execute()).map((k) => k.key)).toEqual(['edge']);
    expect((await tdb.db.selectFrom('email_deliveries').select('key').where('key', 'like', 'cleanup:%').orderBy('key').execute()).map((k) => k.key)).toEqual(['cleanup:edge', 'cleanup:unsent']);
    // Nothing more to do a moment later.
    expect(await cleanUpExpired(tdb.db, now)).toEqual({ idempotencyKeys: 0, tokens: 0, deliveries: 0 });
  });
});
