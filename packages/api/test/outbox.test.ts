import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { createMailer, DataKeys, Limiter, type JobQueue, type Services } from '../src/index.js';
import { callerFor, createUser, silent, testServices, type TestUser } from './helpers.js';
import { settled, startWorker, storedJobs, TestSmtp } from './jobs-fixtures.js';
import { orderingLocation, type OrderingFixture } from './order-fixtures.js';
import { randomUUID } from 'node:crypto';

/**
 * The outbox: an order's email is enqueued in the order's own transaction, and a worker sends
 * it over real SMTP. Rolled back: no job, no email. Committed: exactly one email.
 */

let tdb: TestDatabase;
let smtp: TestSmtp;
let services: Services;
let worker: JobQueue;
let kitchen: OrderingFixture;
let staff: TestUser;
const NOON = new Date('2026-12-02T11:00:00Z');
const now = () => NOON;

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = new TestSmtp();
  await smtp.start();
  services = {
    ...testServices(),
    dataKeys: new DataKeys([{ id: 'k1', key: Buffer.alloc(32, 9) }]),
    mailer: createMailer({ smtpUrl: smtp.url, from: 'Bistro <no-reply@bistro.test>', log: silent }),
  };
  worker = await startWorker(tdb, services, now);
  kitchen = await orderingLocation(tdb.db, { stock: { beans: 2 } });
  staff = await createUser(tdb.db, { roles: [{ locationId: kitchen.locationId, role: 'manager' }] });
});
afterAll(async () => {
  await worker?.stop(2_000);
  await smtp?.close();
  await tdb?.drop();
});

let guests = 0;
const guest = () => {
  guests += 1;
  return callerFor(tdb.db, { now: NOON, services: { ...services, jobs: worker, limiter: new Limiter() }, ip: `10.9.0.${guests}` });
};
const kitchenStaff = () => callerFor(tdb.db, { now: NOON, token: staff.token, services: { ...services, jobs: worker } });

/** The subjects of the emails one address received, in the order SMTP accepted them. */
const subjectsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address)).map((m) => m.subject);
const confirmation = (number: string) => expect.stringMatching(new RegExp(`^Your order ${number} at `));

function place(lines: { itemId: string; quantity: number; options: string[] }[], email = `guest${guests + 1}@example.com`) {
  return guest().orders.place({ locationSlug: kitchen.slug, type: 'pickup', lines, contact: { name: 'Ada Lovelace', email }, idempotencyKey: randomUUID() });
}

describe('order emails through the outbox', () => {
  it('an order that rolls back (sold out after its email was enqueued) leaves no job and sends nothing', async () => {
    const before = await storedJobs(tdb.db);
    // Chili (1 portion of beans) and stew (2) together need 3 of the 2 in stock: refused in the transaction.
    await expect(
      place(
        [
          { itemId: kitchen.items.chili, quantity: 1, options: [] },
          { itemId: kitchen.items.stew, quantity: 1, options: [] },
        ],
        'rolled.back@example.com',
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('sold out') });
    expect(await storedJobs(tdb.db)).toEqual(before);
    // A committed order after it is delivered, and it is the only one: the refused one never will be.
    const placed = await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'committed@example.com');
    await settled(tdb.db);
    const mails = smtp.received.filter((m) => m.to.includes('rolled.back@example.com') || m.to.includes('committed@example.com'));
    expect(mails.map((m) => m.to)).toEqual([['committed@example.com']]);
    expect(mails[0]?.subject).toMatch(new RegExp(`^Your order ${placed.number} at `));
  });

  it('a committed order sends exactly one confirmation, in HTML and text, with its lines, totals and links', async () => {
    const placed = await place([{ itemId: kitchen.items.soup, quantity: 2, options: [] }], 'exactly.one@example.com');
    const jobs = await settled(tdb.db);
    const mine = smtp.received.filter((m) => m.to.includes('exactly.one@example.com'));
    expect(mine).toHaveLength(1);
    const mail = mine[0]!;
    expect(mail.subject).toMatch(new RegExp(`^Your order ${placed.number} at Kitchen \\d+$`));
    expect(mail.text).toContain('2 × Soup');
    expect(mail.text).toContain('€13.00');
    expect(mail.text).toContain(`http://bistro.test/r/${placed.trackingToken}`);
    expect(mail.html).toContain('2 × Soup');
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@bistro>$/);
    // The job carried the order's id, not the guest's address.
    const job = jobs.find((j) => JSON.stringify(j.data).includes(placed.id));
    expect(job?.state).toBe('completed');
    expect(JSON.stringify(job?.data)).not.toContain('exactly.one');
  });

  it('tells the guest when the kitchen marks the order ready, and when it is rejected, in that order', async () => {
    const ready = await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'ready@example.com');
    const rejected = await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'rejected@example.com');
    await kitchenStaff().kitchen.bump({ orderId: ready.id, from: 'placed' });
    await kitchenStaff().kitchen.bump({ orderId: ready.id, from: 'preparing' });
    await kitchenStaff().kitchen.reject({ orderId: rejected.id, reason: 'Out of soup bowls' });
    await settled(tdb.db);
    // As received, not sorted: an order's emails go out in the order of their causes.
    expect(subjectsTo('ready@example.com')).toEqual([confirmation(ready.number), `Order ${ready.number} is ready`]);
    expect(subjectsTo('rejected@example.com')).toEqual([confirmation(rejected.number), `Order ${rejected.number} was cancelled`]);
    const cancelled = smtp.received.find((m) => m.subject === `Order ${rejected.number} was cancelled`)!;
    expect(cancelled.text).toContain('Out of soup bowls');
  });

  it('keeps an order’s emails in order when the confirmation is retried: the cancellation waits for it', async () => {
    await settled(tdb.db);
    // The confirmation is refused once (451) and goes back to the queue for its retry; the order is
    // cancelled meanwhile, so the cancellation's job is there, ready to run, before the retry.
    smtp.refuse(1);
    const order = await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'waits@example.com');
    await kitchenStaff().kitchen.reject({ orderId: order.id, reason: 'Kitchen closed early' });
    const jobs = await settled(tdb.db);
    const mine = jobs.filter((j) => JSON.stringify(j.data).includes(order.id));
    expect(mine.map((j) => j.state)).toEqual(['completed', 'completed']);
    // The confirmation was tried more than once (the refusal happened to it, not to the cancellation).
    expect(mine[0]!.retryCount).toBeGreaterThan(0);
    expect(subjectsTo('waits@example.com')).toEqual([confirmation(order.number), `Order ${order.number} was cancelled`]);
  });

  it('sends the cancellation even when the confirmation before it failed for good: waiting uses up none of its tries', async () => {
    await settled(tdb.db);
    // FAST_QUEUES allows 2 retries: three refusals fail the confirmation for good, while the
    // cancellation waits for it longer than its own tries would have lasted.
    smtp.refuse(3);
    const order = await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'gave.up@example.com');
    await kitchenStaff().kitchen.reject({ orderId: order.id, reason: 'Kitchen closed early' });
    const jobs = await settled(tdb.db);
    const mine = jobs.filter((j) => JSON.stringify(j.data).includes(order.id));
    expect(mine.map((j) => j.state)).toEqual(['failed', 'completed']);
    expect(subjectsTo('gave.up@example.com')).toEqual([`Order ${order.number} was cancelled`]);
  });

  it('sends nothing for an order without an email address', async () => {
    const before = (await storedJobs(tdb.db)).length;
    await guest().orders.place({
      locationSlug: kitchen.slug,
      type: 'pickup',
      lines: [{ itemId: kitchen.items.soup, quantity: 1, options: [] }],
      contact: { name: 'Walk In', phone: '+44 20 7946 0000' },
      idempotencyKey: randomUUID(),
    });
    expect(await storedJobs(tdb.db)).toHaveLength(before);
  });
});

describe('retries and failures', () => {
  it('retries a send the SMTP server refused, with backoff, and delivers it once', async () => {
    const jobsBefore = (await storedJobs(tdb.db)).length;
    smtp.refuse(2);
    await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'retried@example.com');
    const jobs = await settled(tdb.db);
    const job = jobs.at(jobsBefore);
    expect(job?.state).toBe('completed');
    expect(job?.retryCount).toBe(2);
    expect(smtp.received.filter((m) => m.to.includes('retried@example.com'))).toHaveLength(1);
  });

  it('keeps a job that failed every retry, with its last error, for an admin to see and retry', async () => {
    const jobsBefore = (await storedJobs(tdb.db)).length;
    // FAST_QUEUES allows 2 retries: three refusals fail the job for good.
    smtp.refuse(3);
    await place([{ itemId: kitchen.items.soup, quantity: 1, options: [] }], 'failed@example.com');
    const jobs = await settled(tdb.db);
    const job = jobs.at(jobsBefore)!;
    expect(job.state).toBe('failed');
    expect(JSON.stringify(job.output)).toContain('Try again later');
    expect(smtp.received.filter((m) => m.to.includes('failed@example.com'))).toHaveLength(0);

    const admin = await createUser(tdb.db, { isAdmin: true });
    const asAdmin = callerFor(tdb.db, { now: NOON, token: admin.token, services: { ...services, jobs: worker } });
    const listed = await asAdmin.admin.jobs.list({ state: 'failed' });
    const entry = listed.jobs.find((j) => j.id === job.id);
    expect(entry).toMatchObject({ name: 'email.send', state: 'failed', retryCount: 2 });
    expect(entry?.lastError).toContain('Try again later');
    // Nothing personal is shown: the payload names the order only.
    expect(JSON.stringify(listed)).not.toContain('failed@example.com');

    await asAdmin.admin.jobs.retry({ id: job.id });
    const after = await settled(tdb.db);
    expect(after.find((j) => j.id === job.id)?.state).toBe('completed');
    expect(smtp.received.filter((m) => m.to.includes('failed@example.com'))).toHaveLength(1);
    await expect(asAdmin.admin.jobs.retry({ id: job.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(asAdmin.admin.jobs.retry({ id: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
