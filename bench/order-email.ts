/**
 * Order confirmations through the outbox under the orders.place load: customers place orders
 * (each with an email address) as fast as they can on a real Bistro (its own process, WORKERS
 * on, as `npm start` runs), and a real SMTP server in this process accepts the emails. For each
 * order: from its answer (the order committed) to its confirmation accepted by SMTP, p50 and
 * p99. Beside it in the same run, the baseline: the same number of emails sent straight from
 * this process with nodemailer at the same concurrency, no queue (p50, p99 of one send).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { TestDatabase } from '@bistro/db/testing';
import { createSession } from '../packages/api/src/auth/sessions.js';
import { TestSmtp } from '../packages/api/test/jobs-fixtures.js';
import { benchLocation, percentile, positiveInt, reportedUrl, startBenchProcess, stopProcesses, throwawayDataKeys } from './shared.js';

export async function benchOrderEmail(tdb: TestDatabase): Promise<string> {
  const clients = positiveInt('BENCH_EMAIL_CLIENTS', 20);
  const orders = positiveInt('BENCH_EMAIL_ORDERS', 300);
  const smtp = new TestSmtp();
  await smtp.start();
  const children: ChildProcess[] = [];
  try {
    const child = startBenchProcess('bistro.ts', children, { BENCH_WORKERS: 'true', DATABASE_URL: tdb.url, BISTRO_DATA_KEYS: throwawayDataKeys(), SMTP_URL: smtp.url });
    const url = await reportedUrl(child, 'the order email bench instance did not start within 30 s', (code) => `the order email bench instance exited (code ${code})`);
    const slug = `bench-email-${randomUUID().slice(0, 8)}`;
    const { itemId } = await benchLocation(tdb.db, slug, 'Bench email', 'Soup');
    const tokens: string[] = [];
    for (let i = 0; i < clients; i++) {
      const { id } = await tdb.db.insertInto('users').values({ email: `bench.email.${i}.${slug}@bistro.localhost`, name: `Mailer ${i}`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
      tokens.push((await createSession(tdb.db, id, { ip: null, userAgent: 'bench', now: new Date() })).token);
    }
    const answeredAt = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      tokens.map(async (token) => {
        while (next < orders) {
          next += 1;
          const response = await fetch(`${url}/trpc/orders.place`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ json: { locationSlug: slug, type: 'pickup', lines: [{ itemId, quantity: 1, options: [] }], contact: { name: 'Bench Guest', email: 'guest@bench.localhost' }, idempotencyKey: randomUUID() } }),
          });
          const at = performance.now();
          const body = (await response.json()) as { result?: { data?: { json?: { number?: string } } } };
          const number = body.result?.data?.json?.number;
          if (response.status !== 200 || !number) throw new Error(`order email bench: orders.place answered ${response.status}`);
          answeredAt.set(number, at);
        }
      }),
    );
    const placedIn = (performance.now() - started) / 1000;
    await smtp.untilReceived(answeredAt.size);
    const latencies = smtp.received.map((mail) => {
      const number = /^Your order (\S+) at /.exec(mail.subject)?.[1];
      const at = number ? answeredAt.get(number) : undefined;
      if (at === undefined) throw new Error(`order email bench: an email for no order: ${mail.subject}`);
      return mail.acceptedAt - at;
    });
    if (latencies.length !== answeredAt.size) throw new Error(`order email bench: ${answeredAt.size} orders, ${latencies.length} emails`);
    latencies.sort((a, b) => a - b);
    console.error(`  order email: ${answeredAt.size} orders in ${placedIn.toFixed(2)} s by ${clients} clients, every confirmation accepted once`);

    // The baseline: the same count of emails, sent directly, `clients` at a time.
    const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: clients });
    const sample = smtp.received[0]!;
    const direct: number[] = [];
    let sent = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (sent < answeredAt.size) {
          sent += 1;
          const t0 = performance.now();
          await transport.sendMail({ from: 'Bistro <no-reply@bench.localhost>', to: 'guest@bench.localhost', subject: 'Baseline', text: sample.text, html: sample.html });
          direct.push(performance.now() - t0);
        }
      }),
    );
    transport.close();
    direct.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const directP50 = percentile(direct, 50);
    return (
      `order email: commit-to-SMTP p50 ${p50.toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${answeredAt.size} orders, ${clients} clients), ` +
      `direct send p50 ${directP50.toFixed(1)} ms, p99 ${percentile(direct, 99).toFixed(1)} ms, ratio ${(directP50 / p50).toFixed(2)}`
    );
  } finally {
    await stopProcesses(children);
    await smtp.close();
  }
}
