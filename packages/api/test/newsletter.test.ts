import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { backgroundWorkSettled, createMailer, DataKeys, JobQueue, Limiter, TASKS, type Services } from '../src/index.js';
import { cleanUpExpired } from '../src/jobs/scheduled.js';
import { findOrCreateSubscriber } from '../src/newsletter/subscribers.js';
import { callerFor, createUser, silent, testServices, type TestUser } from './helpers.js';
import { FAST_QUEUES, settled, storedJobs, TestSmtp, type ReceivedMail } from './jobs-fixtures.js';
import { refusal } from './procedures.js';

/**
 * The newsletter on a real database and a real SMTP server: double opt-in with single-use,
 * expiring links; one-click, idempotent unsubscribe; campaigns sent through the queue in batches,
 * each subscriber at most once, even when the worker stops or dies midway.
 */

let tdb: TestDatabase;
let smtp: TestSmtp;
let services: Services;
const NOON = new Date('2026-12-02T11:00:00Z');
const now = () => NOON;
const keys = new DataKeys([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
const BATCH = 3;

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = new TestSmtp();
  await smtp.start();
  services = {
    ...testServices(),
    dataKeys: keys,
    mailer: createMailer({ smtpUrl: smtp.url, from: 'Bistro <news@bistro.test>', log: silent }),
    // Fast enough for a test (1 ms apart), in batches of 3.
    newsletter: { ratePerMinute: 60_000, batchSize: BATCH },
  };
});
afterAll(async () => {
  await smtp?.close();
  await tdb?.drop();
});

/**
 * A worker as the server runs it, its jobs expiring (taken over by another worker) after
 * `expireInSeconds`: long by default, so a batch slowed down by a busy machine is never taken
 * for a dead one; short only where a test kills a worker and waits for the takeover.
 */
async function startWorker(expireInSeconds = 60): Promise<JobQueue> {
  const jobs = new JobQueue({ pool: tdb.pool, db: tdb.db, log: silent, tasks: TASKS, queueOptions: { ...FAST_QUEUES, expireInSeconds }, pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 });
  await jobs.work({ services: { ...services, jobs }, now, schedule: false });
  return jobs;
}

let counter = 0;
async function newLocation(name = 'Harbour'): Promise<string> {
  counter += 1;
  const row = await tdb.db
    .insertInto('locations')
    .values({ slug: `news-${counter}-${Date.now().toString(36)}`, name: `${name} ${counter}`, address: '1 Quay Street', time_zone: 'UTC', currency: 'EUR', tax_rate_bp: 1000, prep_minutes: 0, slot_capacity: 100, order_prefix: 'N' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let ips = 0;
/** A caller with its own IP and limiter (the subscribe throttle is not what most tests are about). */
function as(user: TestUser | null, options: { at?: Date; jobs?: JobQueue } = {}) {
  ips += 1;
  return callerFor(tdb.db, {
    now: options.at ?? NOON,
    token: user?.token ?? null,
    ip: `198.51.100.${ips % 250}`,
    services: { ...services, limiter: new Limiter(), ...(options.jobs ? { jobs: options.jobs } : {}) },
  });
}

/** A subscriber confirmed on `locationId`'s list (null: every location), written as subscribe + confirm would. */
async function confirmed(email: string, locationId: string | null): Promise<string> {
  const s = await findOrCreateSubscriber(tdb.db, keys, { email, locationId, userId: null, now: NOON });
  await tdb.db.updateTable('newsletter_subscribers').set({ status: 'confirmed', confirmed_at: NOON }).where('id', '=', s.id).execute();
  return s.id;
}

function linkToken(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path.replaceAll('/', '\\/')}\\?token=([A-Za-z0-9_-]{43})`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1]!;
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

async function sentCampaign(manager: TestUser, campaignId: string): Promise<Awaited<ReturnType<ReturnType<typeof as>['newsletter']['campaigns']['get']>>> {
  for (;;) {
    const campaign = await as(manager).newsletter.campaigns.get({ campaignId });
    if (campaign.status === 'sent') return campaign;
    await sleep(100);
  }
}

describe('subscribing (double opt-in)', () => {
  let worker: JobQueue;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    // Every confirmation email out before the worker stops: the tests below count messages.
    await backgroundWorkSettled();
    await settled(tdb.db);
    await worker?.stop(2_000);
  });

  it('answers the same for a new, a pending and a confirmed address, and emails a link only while unconfirmed', async () => {
    const locationId = await newLocation();
    const email = `ada.${counter}@example.com`;
    const first = await as(null, { jobs: worker }).newsletter.subscribe({ email, locationId });
    await backgroundWorkSettled();
    while (mailsTo(email).length < 1) await sleep(50);
    const confirmation = mailsTo(email)[0]!;
    expect(confirmation.subject).toMatch(/^Confirm your subscription to the Harbour \d+ newsletter$/);
    expect(confirmation.html).toContain('/newsletter/confirm?token=');

    // Asked again while pending: the same answer (and a fresh link).
    const again = await as(null, { jobs: worker }).newsletter.subscribe({ email: email.toUpperCase(), locationId });
    expect(again).toEqual(first);
    await backgroundWorkSettled();
    while (mailsTo(email).length < 2) await sleep(50);

    await as(null).newsletter.confirm({ token: linkToken(confirmation, '/newsletter/confirm') });
    const jobsBefore = (await storedJobs(tdb.db)).length;
    const known = await as(null, { jobs: worker }).newsletter.subscribe({ email, locationId });
    await backgroundWorkSettled();
    expect(known).toEqual(first);
    // Confirmed already: nothing to confirm, no email enqueued.
    expect((await storedJobs(tdb.db)).length).toBe(jobsBefore);
    // One subscriber row for the address, whatever its case, and the address is not stored in the clear.
    const rows = await tdb.db.selectFrom('newsletter_subscribers').select(['status', 'email_enc']).where('location_id', '=', locationId).execute();
    expect(rows.map((r) => r.status)).toEqual(['confirmed']);
    expect(rows[0]!.email_enc.toString('latin1')).not.toContain('ada.');
  });

  it('a confirmation link works once, and not after 48 hours; a made-up one is TOKEN_INVALID', async () => {
    const locationId = await newLocation();
    const [a, b] = [`once.${counter}@example.com`, `late.${counter}@example.com`];
    await as(null, { jobs: worker }).newsletter.subscribe({ email: a, locationId });
    await as(null, { jobs: worker }).newsletter.subscribe({ email: b, locationId });
    await backgroundWorkSettled();
    while (mailsTo(a).length < 1 || mailsTo(b).length < 1) await sleep(50);
    const tokenA = linkToken(mailsTo(a)[0]!, '/newsletter/confirm');
    const tokenB = linkToken(mailsTo(b)[0]!, '/newsletter/confirm');

    expect(await as(null).newsletter.confirm({ token: tokenA })).toEqual({ status: 'confirmed', list: expect.stringMatching(/^Harbour/) });
    expect((await refusal(as(null).newsletter.confirm({ token: tokenA }))).bistroCode).toBe('TOKEN_USED');

    const later = new Date(NOON.getTime() + 48 * 3600_000 + 1000);
    expect((await refusal(as(null, { at: later }).newsletter.confirm({ token: tokenB }))).bistroCode).toBe('TOKEN_EXPIRED');
    // Just inside the 48 hours it still works.
    expect((await as(null, { at: new Date(NOON.getTime() + 48 * 3600_000 - 1000) }).newsletter.confirm({ token: tokenB })).status).toBe('confirmed');
    expect((await refusal(as(null).newsletter.confirm({ token: 'x'.repeat(43) }))).bistroCode).toBe('TOKEN_INVALID');
  });

  it('subscribing to a location that does not exist is NOT_FOUND; a malformed address is INVALID_INPUT on email', async () => {
    expect((await refusal(as(null).newsletter.subscribe({ email: 'x@example.com', locationId: '00000000-0000-4000-8000-000000000000' }))).bistroCode).toBe('NOT_FOUND');
    const bad = await refusal(as(null).newsletter.subscribe({ email: 'not an address' }));
    expect(bad.bistroCode).toBe('INVALID_INPUT');
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(['email']);
  });

  it('is throttled per address like the other emails anyone can trigger', async () => {
    const limiter = new Limiter();
    const caller = (i: number) => callerFor(tdb.db, { now: NOON, ip: `203.0.113.${i}`, services: { ...services, limiter, jobs: worker } });
    const email = `many.${counter}@example.com`;
    for (let i = 1; i <= 3; i++) await caller(i).newsletter.subscribe({ email });
    expect((await refusal(caller(4).newsletter.subscribe({ email }))).bistroCode).toBe('TOO_MANY_REQUESTS');
    await backgroundWorkSettled();
  });

  it('a signed-in customer subscribes from their profile (verified: confirmed at once) and leaves again', async () => {
    const locationId = await newLocation();
    const customer = await createUser(tdb.db);
    await tdb.db.updateTable('users').set({ email_verified_at: NOON }).where('id', '=', customer.id).execute();
    const me = () => as(customer, { jobs: worker });
    expect(await me().newsletter.setMine({ locationId, subscribed: true })).toMatchObject({ locationId, status: 'confirmed' });
    expect(await me().newsletter.mine()).toEqual([{ locationId, locationName: expect.stringMatching(/^Harbour/), status: 'confirmed' }]);
    expect(await me().newsletter.setMine({ locationId, subscribed: false })).toMatchObject({ status: 'unsubscribed' });
    expect((await me().newsletter.mine())[0]!.status).toBe('unsubscribed');

    // Not verified: the confirmation link first.
    const unverified = await createUser(tdb.db);
    expect(await as(unverified, { jobs: worker }).newsletter.setMine({ subscribed: true })).toMatchObject({ locationId: null, locationName: 'Bistro', status: 'pending' });
    while (mailsTo(unverified.email).length < 1) await sleep(50);
    expect((await refusal(as(null).newsletter.mine())).bistroCode).toBe('UNAUTHORIZED');
  });

  it('the clean-up forgets confirmation links a week after they expired or were used, not before', async () => {
    const count = async () => Number((await tdb.db.selectFrom('newsletter_tokens').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    expect(before).toBeGreaterThan(0);
    // Every link here was made (and the used ones used) at NOON, and expired 48 h later.
    await cleanUpExpired(tdb.db, new Date(NOON.getTime() + 6 * 24 * 3600_000));
    expect(await count()).toBe(before);
    await cleanUpExpired(tdb.db, new Date(NOON.getTime() + 48 * 3600_000 + 7 * 24 * 3600_000 + 1000));
    expect(await count()).toBe(0);
  });
});

describe('campaigns', () => {
  let locationId: string;
  let manager: TestUser;

  beforeAll(async () => {
    locationId = await newLocation('Corner');
    manager = await createUser(tdb.db, { roles: [{ locationId, role: 'manager' }] });
  });

  it('reach each confirmed subscriber once, with RFC 8058 headers and a visible unsubscribe link; preview goes to the manager', async () => {
    const worker = await startWorker();
    try {
      const elsewhere = await newLocation();
      const here = [`c1.${counter}@example.com`, `c2.${counter}@example.com`, `c3.${counter}@example.com`, `c4.${counter}@example.com`];
      for (const email of here) await confirmed(email, locationId);
      const everywhere = `all.${counter}@example.com`;
      await confirmed(everywhere, null);
      const other = `other.${counter}@example.com`;
      await confirmed(other, elsewhere);
      const pending = `pending.${counter}@example.com`;
      await findOrCreateSubscriber(tdb.db, keys, { email: pending, locationId, userId: null, now: NOON });

      const m = () => as(manager, { jobs: worker });
      const draft = await m().newsletter.campaigns.create({
        locationId,
        subject: 'Winter menu',
        bodyMarkdown: '# Soup season\n\nOur **new** [menu](https://bistro.test/menu) is here. <script>alert(1)</script>\n\n![x](https://tracker.test/p.png)\n\n- Leek soup\n- Stew',
      });
      expect(draft).toMatchObject({ status: 'draft', version: 1, counts: { recipients: 0, sent: 0, pending: 0 } });
      const edited = await m().newsletter.campaigns.update({ campaignId: draft.id, version: 1, subject: 'Winter menu is here' });
      expect(edited.version).toBe(2);
      expect((await refusal(m().newsletter.campaigns.update({ campaignId: draft.id, version: 1, subject: 'stale' }))).bistroCode).toBe('STALE_VERSION');

      await m().newsletter.campaigns.preview({ campaignId: draft.id });
      while (mailsTo(manager.email).length < 1) await sleep(50);
      expect(mailsTo(manager.email)[0]!.subject).toBe('[Preview] Winter menu is here');

      const sending = await m().newsletter.campaigns.send({ campaignId: draft.id });
      expect(sending).toMatchObject({ status: 'sending', counts: { recipients: 5 } });
      const done = await sentCampaign(manager, draft.id);
      expect(done.counts).toEqual({ recipients: 5, sent: 5, skipped: 0, failed: 0, pending: 0 });

      for (const email of [...here, everywhere]) {
        const mails = mailsTo(email);
        expect(mails, email).toHaveLength(1);
        const mail = mails[0]!;
        expect(mail.subject).toBe('Winter menu is here');
        const unsubscribe = `${linkToken(mail, '/newsletter/unsubscribe')}`;
        expect(mail.headerLines).toContain(`List-Unsubscribe: <http://bistro.test/newsletter/unsubscribe?token=${unsubscribe}>`);
        expect(mail.headerLines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
        expect(mail.html).toContain(`/newsletter/unsubscribe?token=${unsubscribe}`);
        expect(mail.html).toContain('<strong>new</strong>');
        expect(mail.html).toContain('<a href="https://bistro.test/menu">menu</a>');
        expect(mail.html).not.toMatch(/<script|tracker\.test|<img/);
        expect(mail.text).toContain('Our new menu (https://bistro.test/menu) is here.');
        expect(mail.text).toContain('- Leek soup');
      }
      // Not confirmed, or another location's list: nothing.
      expect(mailsTo(pending).filter((m) => m.subject.startsWith('Winter'))).toHaveLength(0);
      expect(mailsTo(other)).toHaveLength(0);

      expect((await refusal(m().newsletter.campaigns.send({ campaignId: draft.id }))).bistroCode).toBe('CAMPAIGN_NOT_DRAFT');
      expect((await refusal(m().newsletter.campaigns.update({ campaignId: draft.id, version: 2, subject: 'Again' }))).bistroCode).toBe('CAMPAIGN_NOT_DRAFT');
      const listed = await m().newsletter.campaigns.list({ locationId });
      expect(listed.campaigns.map((c) => c.id)).toContain(draft.id);
      expect(listed.confirmedSubscribers).toBe(5);
    } finally {
      await worker.stop(2_000);
    }
  });

  it('unsubscribing from the email’s link needs no sign-in and is idempotent; the next campaign skips them', async () => {
    const email = `c1.${counter}@example.com`;
    const mail = mailsTo(email).find((m) => m.subject === 'Winter menu is here');
    if (!mail) throw new Error('the previous test sends the campaign');
    const token = linkToken(mail, '/newsletter/unsubscribe');
    expect(await as(null).newsletter.unsubscribe({ token })).toEqual({ status: 'unsubscribed' });
    expect(await as(null).newsletter.unsubscribe({ token })).toEqual({ status: 'unsubscribed' });
    expect((await refusal(as(null).newsletter.unsubscribe({ token: 'y'.repeat(43) }))).bistroCode).toBe('TOKEN_INVALID');
    const listed = await as(manager).newsletter.campaigns.list({ locationId });
    expect(listed.confirmedSubscribers).toBe(4);
  });

  it('a campaign with no confirmed subscriber is refused (CAMPAIGN_NO_RECIPIENTS) and stays a draft', async () => {
    const empty = await newLocation();
    const owner = await createUser(tdb.db, { roles: [{ locationId: empty, role: 'manager' }] });
    const draft = await as(owner).newsletter.campaigns.create({ locationId: empty, subject: 'Hello', bodyMarkdown: 'Hi' });
    // The every-location list reaches every location: empty it for this check.
    await tdb.db.updateTable('newsletter_subscribers').set({ status: 'unsubscribed' }).where('location_id', 'is', null).execute();
    expect((await refusal(as(owner).newsletter.campaigns.send({ campaignId: draft.id }))).bistroCode).toBe('CAMPAIGN_NO_RECIPIENTS');
    expect((await as(owner).newsletter.campaigns.get({ campaignId: draft.id })).status).toBe('draft');
  });

  it('staff of the location, another location’s manager and a customer get NOT_FOUND for a campaign', async () => {
    const draft = await as(manager).newsletter.campaigns.create({ locationId, subject: 'Secret', bodyMarkdown: 'Not yet' });
    const staff = await createUser(tdb.db, { roles: [{ locationId, role: 'staff' }] });
    const otherManager = await createUser(tdb.db, { roles: [{ locationId: await newLocation(), role: 'manager' }] });
    const customer = await createUser(tdb.db);
    for (const user of [staff, otherManager, customer]) {
      expect((await refusal(as(user).newsletter.campaigns.get({ campaignId: draft.id }))).bistroCode).toBe('NOT_FOUND');
      expect((await refusal(as(user).newsletter.campaigns.send({ campaignId: draft.id }))).bistroCode).toBe('NOT_FOUND');
      expect((await refusal(as(user).newsletter.campaigns.preview({ campaignId: draft.id }))).bistroCode).toBe('NOT_FOUND');
      expect((await refusal(as(user).newsletter.campaigns.list({ locationId }))).bistroCode).toBe('NOT_FOUND');
    }
    expect((await as(manager).newsletter.campaigns.get({ campaignId: draft.id })).status).toBe('draft');
  });
});

describe('sending survives a stopped or dead worker', () => {
  /** A location with `n` confirmed subscribers and a manager; the every-location list emptied so the audience is exactly these. */
  async function audience(n: number) {
    const locationId = await newLocation('Resume');
    const manager = await createUser(tdb.db, { roles: [{ locationId, role: 'manager' }] });
    await tdb.db.updateTable('newsletter_subscribers').set({ status: 'unsubscribed' }).where('location_id', 'is', null).execute();
    const emails = Array.from({ length: n }, (_, i) => `r${i}.${counter}@example.com`);
    for (const email of emails) await confirmed(email, locationId);
    return { locationId, manager, emails };
  }

  it('a worker stopped after a batch, and a new one started, send each subscriber exactly once', async () => {
    const { locationId, manager, emails } = await audience(7);
    const draft = await as(manager).newsletter.campaigns.create({ locationId, subject: 'Resume test', bodyMarkdown: 'Hello' });
    const first = await startWorker();
    // The first email of the second batch waits at the SMTP server while the worker is told to stop.
    smtp.holdAfter(smtp.received.length + BATCH);
    await as(manager, { jobs: first }).newsletter.campaigns.send({ campaignId: draft.id });
    await smtp.whenHeld();
    const stopped = first.stop(20_000);
    smtp.release(true);
    await stopped;
    // Graceful: the running batch finished; the next one waits in the queue.
    const midway = await as(manager).newsletter.campaigns.get({ campaignId: draft.id });
    expect(midway.status).toBe('sending');
    expect(midway.counts.sent).toBe(2 * BATCH);
    expect(midway.counts.pending).toBe(7 - 2 * BATCH);

    const second = await startWorker();
    try {
      const done = await sentCampaign(manager, draft.id);
      expect(done.counts).toEqual({ recipients: 7, sent: 7, skipped: 0, failed: 0, pending: 0 });
      for (const email of emails) expect(mailsTo(email).filter((m) => m.subject === 'Resume test'), email).toHaveLength(1);
    } finally {
      await second.stop(2_000);
    }
  });

  it('a worker that dies mid-send: its in-flight email is never sent again, every other subscriber gets exactly one', async () => {
    const { locationId, manager, emails } = await audience(5);
    const draft = await as(manager).newsletter.campaigns.create({ locationId, subject: 'Crash test', bodyMarkdown: 'Hello' });
    // Its jobs expire 10 s after they start: a dead worker's batch is taken over then.
    const dying = await startWorker(10);
    // The second email hangs at the SMTP server: its worker is "dead" (stopped without waiting, the conversation never answered).
    smtp.holdAfter(smtp.received.length + 1);
    await as(manager, { jobs: dying }).newsletter.campaigns.send({ campaignId: draft.id });
    await smtp.whenHeld();
    await dying.stop(1);

    // Another worker takes the expired job over.
    const rescuer = await startWorker(10);
    try {
      const done = await sentCampaign(manager, draft.id);
      expect(done.counts).toEqual({ recipients: 5, sent: 4, skipped: 0, failed: 1, pending: 0 });
      // The dead worker's message is finally dropped by the server: it never arrives.
      smtp.release(false);
      const received = emails.map((email) => mailsTo(email).filter((m) => m.subject === 'Crash test').length);
      expect(received.filter((n) => n === 1)).toHaveLength(4);
      expect(received.filter((n) => n === 0)).toHaveLength(1);
    } finally {
      await rescuer.stop(2_000);
    }
  });
});
