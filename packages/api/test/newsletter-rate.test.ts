import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { createMailer, DataKeys, JobQueue, Limiter, TASKS, type Services } from '../src/index.js';
import { findOrCreateSubscriber } from '../src/newsletter/subscribers.js';
import { callerFor, createUser, silent, testServices } from './helpers.js';
import { FAST_QUEUES, TestSmtp } from './jobs-fixtures.js';

/**
 * NEWSLETTER_RATE_PER_MINUTE is a limit for the whole deployment, not for each campaign: two
 * campaigns sent at once, by two worker processes (two instances of the server, here two job
 * queues in one test process), share it. The clock is the injected one, moved by the test one
 * turn at a time; what SMTP received is counted per minute of that clock.
 */

let tdb: TestDatabase;
let smtp: TestSmtp;
let services: Services;
const workers: JobQueue[] = [];
const START = new Date('2026-12-02T11:00:00Z');
let clock = START;
const now = () => clock;
const keys = new DataKeys([{ id: 'k1', key: Buffer.alloc(32, 5) }]);
// 4 a minute: one send every 15 s of the clock, no burst.
const RATE = 4;

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = new TestSmtp();
  await smtp.start();
  services = {
    ...testServices(),
    dataKeys: keys,
    mailer: createMailer({ smtpUrl: smtp.url, from: 'Bistro <news@bistro.test>', log: silent }),
    newsletter: { ratePerMinute: RATE, batchSize: 3 },
  };
  for (let i = 0; i < 2; i++) {
    const jobs = new JobQueue({ pool: tdb.pool, db: tdb.db, log: silent, tasks: TASKS, queueOptions: { ...FAST_QUEUES, expireInSeconds: 120 }, pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 });
    await jobs.work({ services: { ...services, jobs }, now, schedule: false });
    workers.push(jobs);
  }
});
afterAll(async () => {
  for (const w of workers) await w.stop(2_000);
  await smtp?.close();
  await tdb?.drop();
});

let counter = 0;
async function locationWithSubscribers(n: number): Promise<{ locationId: string; emails: string[] }> {
  counter += 1;
  const { id: locationId } = await tdb.db
    .insertInto('locations')
    .values({ slug: `rate-${counter}`, name: `Rate ${counter}`, address: '1 Quay Street', time_zone: 'UTC', currency: 'EUR', tax_rate_bp: 1000, prep_minutes: 0, slot_capacity: 100, order_prefix: 'R' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const emails = Array.from({ length: n }, (_, i) => `rate${counter}.${i}@example.com`);
  for (const email of emails) {
    const s = await findOrCreateSubscriber(tdb.db, keys, { email, locationId, userId: null, now: START });
    await tdb.db.updateTable('newsletter_subscribers').set({ status: 'confirmed', confirmed_at: START }).where('id', '=', s.id).execute();
  }
  return { locationId, emails };
}

describe('the newsletter’s sending rate', () => {
  it('holds for the whole deployment: two campaigns sent at once by two workers share 4 a minute', async () => {
    const first = await locationWithSubscribers(5);
    const second = await locationWithSubscribers(5);
    const send = async (locationId: string, subject: string, worker: JobQueue) => {
      const manager = await createUser(tdb.db, { roles: [{ locationId, role: 'manager' }] });
      const caller = callerFor(tdb.db, { now: clock, token: manager.token, ip: `198.51.100.${counter}`, services: { ...services, limiter: new Limiter(), jobs: worker } });
      const draft = await caller.newsletter.campaigns.create({ locationId, subject, bodyMarkdown: 'Hello' });
      await caller.newsletter.campaigns.send({ campaignId: draft.id });
    };
    await send(first.locationId, 'First campaign', workers[0]!);
    await send(second.locationId, 'Second campaign', workers[1]!);

    // One turn every 15 s of the clock: the test waits for each email, then moves the clock on.
    const total = first.emails.length + second.emails.length;
    const sentAt: Date[] = [];
    for (let turn = 1; turn <= total; turn++) {
      await smtp.untilReceived(turn);
      while (sentAt.length < smtp.received.length) sentAt.push(clock);
      clock = new Date(clock.getTime() + 15_000);
    }
    const perMinute = new Map<number, number>();
    for (const at of sentAt) {
      const minute = Math.floor((at.getTime() - START.getTime()) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect([...perMinute.values()]).toEqual([4, 4, 2]);
    // Every subscriber got their campaign once.
    const to = (email: string) => smtp.received.filter((m) => m.to.includes(email)).map((m) => m.subject);
    for (const email of first.emails) expect(to(email), email).toEqual(['First campaign']);
    for (const email of second.emails) expect(to(email), email).toEqual(['Second campaign']);
  }, 120_000);
});
