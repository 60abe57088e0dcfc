/**
 * Campaign sending rate: a manager sends a campaign to BENCH_NEWSLETTER_SUBSCRIBERS confirmed
 * subscribers on a real Bistro (its own process, WORKERS on, NEWSLETTER_RATE_PER_MINUTE at its
 * most so the pacing does not cap the figure), and a real SMTP server in this process accepts the
 * emails: emails per second from `campaigns.send` to the last one accepted. Beside it in the same
 * run, the baseline: the same number of emails sent straight from this process with nodemailer
 * over one connection, one after another (the queue's batches send one at a time too).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { TestDatabase } from '@bistro/db/testing';
import { DataKeys } from '../packages/api/src/crypto/data-keys.js';
import { createSession } from '../packages/api/src/auth/sessions.js';
import { findOrCreateSubscriber } from '../packages/api/src/newsletter/subscribers.js';
import { TestSmtp } from '../packages/api/test/jobs-fixtures.js';
import { benchLocation, positiveInt, reportedUrl, startBenchProcess, stopProcesses, throwawayDataKeys } from './shared.js';

export async function benchNewsletter(tdb: TestDatabase): Promise<string> {
  const subscribers = positiveInt('BENCH_NEWSLETTER_SUBSCRIBERS', 500);
  const smtp = new TestSmtp();
  await smtp.start();
  const children: ChildProcess[] = [];
  try {
    const keySpec = throwawayDataKeys();
    const child = startBenchProcess('bistro.ts', children, { BENCH_WORKERS: 'true', DATABASE_URL: tdb.url, BISTRO_DATA_KEYS: keySpec, SMTP_URL: smtp.url, NEWSLETTER_RATE_PER_MINUTE: '100000' });
    const url = await reportedUrl(child, 'the newsletter bench instance did not start within 30 s', (code) => `the newsletter bench instance exited (code ${code})`);
    const slug = `bench-news-${randomUUID().slice(0, 8)}`;
    const { locationId } = await benchLocation(tdb.db, slug, 'Bench news', 'Soup');
    // Only this location's list: the every-location list is emptied so the audience is exactly these.
    await tdb.db.updateTable('newsletter_subscribers').set({ status: 'unsubscribed' }).where('location_id', 'is', null).execute();
    const keys = DataKeys.parse(keySpec);
    const now = new Date();
    for (let i = 0; i < subscribers; i++) {
      const { id } = await findOrCreateSubscriber(tdb.db, keys, { email: `reader.${i}.${slug}@bench.localhost`, locationId, userId: null, now });
      await tdb.db.updateTable('newsletter_subscribers').set({ status: 'confirmed', confirmed_at: now }).where('id', '=', id).execute();
    }
    const { id: managerId } = await tdb.db.insertInto('users').values({ email: `manager.${slug}@bistro.localhost`, name: 'Bench manager', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    await tdb.db.insertInto('location_roles').values({ user_id: managerId, location_id: locationId, role: 'manager' }).execute();
    const { token } = await createSession(tdb.db, managerId, { ip: null, userAgent: 'bench', now });
    const call = async (path: string, input: unknown) => {
      const response = await fetch(`${url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ json: input }),
      });
      const body = (await response.json()) as { result?: { data?: { json?: { id?: string } } } };
      if (response.status !== 200) throw new Error(`newsletter bench: ${path} answered ${response.status}`);
      return body.result?.data?.json;
    };
    const campaign = await call('newsletter.campaigns.create', { locationId, subject: 'Bench news', bodyMarkdown: '# Hello\n\nOur **new** menu: [see it](https://bench.localhost/menu).\n\n- Soup\n- Stew' });
    const before = smtp.received.length;
    const started = performance.now();
    await call('newsletter.campaigns.send', { campaignId: campaign!.id });
    await smtp.untilReceived(before + subscribers);
    const seconds = (performance.now() - started) / 1000;
    const distinct = new Set(smtp.received.slice(before).flatMap((m) => m.to));
    if (distinct.size !== subscribers || smtp.received.length - before !== subscribers) throw new Error(`newsletter bench: ${subscribers} subscribers, ${smtp.received.length - before} emails to ${distinct.size} addresses`);
    const rate = subscribers / seconds;
    console.error(`  newsletter: ${subscribers} campaign emails in ${seconds.toFixed(2)} s, each subscriber once`);

    // The baseline: the same emails sent directly, one after another over one connection.
    const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: 1 });
    const sample = smtp.received[before]!;
    const t0 = performance.now();
    for (let i = 0; i < subscribers; i++) {
      await transport.sendMail({ from: 'Bistro <news@bench.localhost>', to: 'reader@bench.localhost', subject: sample.subject, text: sample.text, html: sample.html, headers: { 'List-Unsubscribe': '<https://bench.localhost/u>' } });
    }
    const directRate = subscribers / ((performance.now() - t0) / 1000);
    transport.close();
    return `newsletter: campaign ${rate.toFixed(0)} emails/s (${subscribers} subscribers, rate limit off), direct send ${directRate.toFixed(0)} emails/s, ratio ${(rate / directRate).toFixed(2)}`;
  } finally {
    await stopProcesses(children);
    await smtp.close();
  }
}
