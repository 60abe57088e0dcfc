import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '@bistro/db';
import type { Context } from '../context.js';
import type { DataKeys } from '../crypto/data-keys.js';
import type { JobQueue, Task, TaskContext } from '../jobs/queue.js';
import type { Email } from '../mailer.js';
import { openTrackingToken } from '../orders/idempotency.js';
import { digestEmailContent, lowStockInventory } from './digest-email.js';
import { accountEmailContent, accountEmailSchema, type AccountEmail } from './account-emails.js';
import { renderHtml, renderText, type EmailContent } from './layout.js';
import { campaignEmailContent } from '../newsletter/campaign-email.js';
import { orderEmailContent, readOrderForEmail, type OrderEmailKind, type OrderLinks } from './order-emails.js';

/**
 * What an email job carries: ids, never personal data in the clear. An order email names the
 * order (the address is decrypted from it at send time); an account email, whose address and
 * single-use link exist nowhere else, carries them sealed with the data keys.
 */
const emailJob = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['order_confirmation', 'order_ready', 'order_cancelled']), orderId: z.uuid() }),
  z.strictObject({ kind: z.literal('account'), id: z.uuid(), sealed: z.base64() }),
  z.strictObject({ kind: z.literal('low_stock_digest'), locationId: z.uuid(), userId: z.uuid(), localDate: z.iso.date() }),
  // A manager's preview of a campaign, to their own address, as the campaign reads when it is sent.
  z.strictObject({ kind: z.literal('campaign_preview'), id: z.uuid(), campaignId: z.uuid(), userId: z.uuid() }),
]);
export type EmailJob = z.infer<typeof emailJob>;

/** The key an email is sent under: a job run twice (a retry, a dead worker) finds it sent and skips. */
export function deliveryKey(job: EmailJob): string {
  if (job.kind === 'account') return `account:${job.id}`;
  if (job.kind === 'low_stock_digest') return `low_stock_digest:${job.locationId}:${job.localDate}:${job.userId}`;
  if (job.kind === 'campaign_preview') return `campaign_preview:${job.id}`;
  return `${job.kind}:${job.orderId}`;
}

const accountAad = (id: string) => `jobs.email:${id}`;

export const sendEmailTask: Task<EmailJob> = {
  name: 'email.send',
  parse: (data) => emailJob.parse(data),
  options: {},
  concurrency: 8,
  groupOf: (job) => ('orderId' in job ? job.orderId : undefined),
  inOrder: true,
  run: sendEmail,
};

/**
 * Sends one email at least once and, short of SMTP accepting it and the worker dying before
 * the next statement, exactly once: the key is claimed first, the message sent with a Message-ID
 * fixed by the key, and then marked sent. A run that finds its key sent does nothing.
 */
async function sendEmail(ctx: TaskContext, job: EmailJob): Promise<void> {
  const key = deliveryKey(job);
  const now = ctx.now();
  const { rows } = await sql<{ sentAt: Date | null }>`
    insert into email_deliveries (key, kind, job_id, attempts, created_at) values (${key}, ${job.kind}, ${ctx.job.id}, 1, ${now})
    on conflict (key) do update set attempts = email_deliveries.attempts + 1, job_id = excluded.job_id
    returning sent_at as "sentAt"`.execute(ctx.db);
  if (rows[0]?.sentAt) {
    ctx.log.info({ key, jobId: ctx.job.id }, 'email already sent; not sending it again');
    return;
  }
  const email = await buildEmail(ctx, job);
  if (email) await ctx.services.mailer.send({ ...email, messageId: `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@bistro>` });
  await ctx.db.updateTable('email_deliveries').set({ sent_at: ctx.now() }).where('key', '=', key).execute();
}

async function buildEmail(ctx: TaskContext, job: EmailJob): Promise<Email | null> {
  if (job.kind === 'account') {
    const keys = requireKeys(ctx.services.dataKeys);
    const email = accountEmailSchema.parse(JSON.parse(keys.decrypt(Buffer.from(job.sealed, 'base64'), accountAad(job.id))));
    return render(email.to, accountEmailContent(ctx.services.settings.publicUrl, email));
  }
  if (job.kind === 'low_stock_digest') return buildDigest(ctx, job);
  if (job.kind === 'campaign_preview') return buildCampaignPreview(ctx, job);
  const order = await readOrderForEmail(ctx.db, ctx.services.dataKeys, job.orderId);
  // An order with no email address (a walk-in's) gets no email.
  if (!order?.email) return null;
  const links = await orderLinks(ctx.db, ctx.services.dataKeys, ctx.services.settings.publicUrl, job.orderId);
  return render(order.email, orderEmailContent(job.kind satisfies OrderEmailKind, order, links));
}

/** The digest as it stands when sent: the low ingredients are read now, not when it was enqueued. */
async function buildDigest(ctx: TaskContext, job: Extract<EmailJob, { kind: 'low_stock_digest' }>): Promise<Email | null> {
  const location = await ctx.db.selectFrom('locations').select(['name', 'address']).where('id', '=', job.locationId).executeTakeFirst();
  const { low, managers } = await lowStockInventory(ctx.db, job.locationId);
  const manager = managers.find((m) => m.id === job.userId);
  // No longer a manager there, or restocked meanwhile: nothing to say.
  if (!location || !manager || low.length === 0) return null;
  const link = new URL('/manage/inventory', ctx.services.settings.publicUrl);
  link.searchParams.set('location', job.locationId);
  return render(manager.email, digestEmailContent(location, manager, job.localDate, low, link.toString()));
}

async function buildCampaignPreview(ctx: TaskContext, job: Extract<EmailJob, { kind: 'campaign_preview' }>): Promise<Email | null> {
  const row = await ctx.db
    .selectFrom('newsletter_campaigns as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.subject', 'c.body_markdown as bodyMarkdown', 'l.name', 'l.address'])
    .where('c.id', '=', job.campaignId)
    .executeTakeFirst();
  const user = await ctx.db.selectFrom('users').select('email').where('id', '=', job.userId).executeTakeFirst();
  if (!row || !user) return null;
  const content = campaignEmailContent(row, row, null);
  return render(user.email, { ...content, subject: `[Preview] ${content.subject}` });
}

export async function render(to: string, content: EmailContent): Promise<Email> {
  return { to, subject: content.subject, text: renderText(content), html: await renderHtml(content) };
}

/**
 * The guest's tracking and receipt links. The tracking token's secret is kept (sealed) only
 * with the order's stored answer, for as long as its idempotency key is kept (48 h): emails
 * after that carry no link.
 */
async function orderLinks(db: Kysely<DB>, keys: DataKeys | undefined, publicUrl: string, orderId: string): Promise<OrderLinks | null> {
  if (!keys) return null;
  const row = await db
    .selectFrom('idempotency_keys')
    .select(sql<string | null>`response->>'trackingTokenSealed'`.as('sealed'))
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!row?.sealed) return null;
  const token = openTrackingToken(keys, orderId, row.sealed);
  const tracking = new URL('/track', publicUrl);
  // The web app's tracking page (apps/web, route /track) reads the token from `order`.
  tracking.searchParams.set('order', token);
  return { tracking: tracking.toString(), receipt: new URL(`/r/${token}`, publicUrl).toString() };
}

function requireKeys(keys: DataKeys | undefined): DataKeys {
  if (!keys) throw new Error('Data keys are not configured (BISTRO_DATA_KEYS)');
  return keys;
}

function requireJobs(ctx: Pick<Context, 'services'>): JobQueue {
  if (!ctx.services.jobs) throw new Error('The job queue is not configured');
  return ctx.services.jobs;
}

/** Enqueues an order email in `trx`, the transaction of the change that causes it (the outbox). */
export async function enqueueOrderEmail(ctx: Pick<Context, 'services'>, trx: Kysely<DB>, kind: OrderEmailKind, orderId: string): Promise<void> {
  await requireJobs(ctx).enqueue(trx, sendEmailTask, { kind, orderId });
}

/** Enqueues an account email, its address and link sealed, in `db` (the caller's transaction when there is one). */
export async function enqueueAccountEmail(ctx: Pick<Context, 'services'>, db: Kysely<DB>, email: AccountEmail): Promise<void> {
  const keys = requireKeys(ctx.services.dataKeys);
  const id = randomUUID();
  const sealed = keys.encrypt(JSON.stringify(email), accountAad(id)).toString('base64');
  await requireJobs(ctx).enqueue(db, sendEmailTask, { kind: 'account', id, sealed });
}

/** Enqueues one manager's low-stock digest in `trx`, the transaction that claims the day. */
export async function enqueueDigestEmail(ctx: Pick<Context, 'services'>, trx: Kysely<DB>, digest: { locationId: string; userId: string; localDate: string }): Promise<void> {
  await requireJobs(ctx).enqueue(trx, sendEmailTask, { kind: 'low_stock_digest', ...digest });
}

/** Enqueues a campaign preview to the manager `userId`, in `db`. */
export async function enqueueCampaignPreview(ctx: Pick<Context, 'services'>, db: Kysely<DB>, preview: { campaignId: string; userId: string }): Promise<void> {
  await requireJobs(ctx).enqueue(db, sendEmailTask, { kind: 'campaign_preview', id: randomUUID(), ...preview });
}

/** After the enqueuing transaction committed: the worker in this process (if any) sends at once. */
export function emailsEnqueued(ctx: Pick<Context, 'services'>): void {
  ctx.services.jobs?.wake(sendEmailTask);
}
