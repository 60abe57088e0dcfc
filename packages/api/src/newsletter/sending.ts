import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '@bistro/db';
import type { Context, Services } from '../context.js';
import { render } from '../emails/task.js';
import { waitForTurn, type Pace } from '../jobs/pacing.js';
import type { Task, TaskContext } from '../jobs/queue.js';
import { campaignEmailContent, unsubscribeHeaders, unsubscribeUrl } from './campaign-email.js';
import { emailAad, unsubscribeAad } from './subscribers.js';

/**
 * Sending a campaign: `campaigns.send` writes one delivery row per confirmed subscriber and
 * enqueues the first batch, in one transaction. Each batch job sends up to `batchSize` emails,
 * paced to `ratePerMinute` for the whole deployment (every campaign and every worker process
 * share the rate: jobs/pacing.ts), then enqueues the next; the last one marks the campaign sent.
 * A batch that has waited its turns for BATCH_BUDGET_MS (campaigns sharing the rate) stops early
 * and leaves the rest to the next batch, well before its job would expire.
 *
 * At most once per subscriber, whatever retries or crashes happen: a delivery is claimed (one
 * conditional UPDATE, `pending` → `sending`, naming this run) before its email goes out, and
 * marked `sent` after. A run that finds a row left `sending` by another run (one that died
 * mid-send, or whose job expired) does not send it again: it counts it `failed`, since SMTP may
 * have accepted it. An email SMTP refused goes back to `pending` and is tried again by the
 * job's retry, up to MAX_ATTEMPTS.
 */

export const NEWSLETTER_DEFAULTS = { ratePerMinute: 600 } as const;
/** How long (by the clock) one batch sends before it hands over to the next (its job expires after 300 s). */
const BATCH_BUDGET_MS = 60_000;
/** Tries per recipient before a delivery counts as failed (SMTP refused it every time). */
const MAX_ATTEMPTS = 3;

/** A batch's size: what the rate allows in about 30 s (so a batch ends well before its job expires), 1 to 200. */
export function batchSizeFor(settings: Services['newsletter']): number {
  const rate = settings?.ratePerMinute ?? NEWSLETTER_DEFAULTS.ratePerMinute;
  return settings?.batchSize ?? Math.max(1, Math.min(200, Math.floor(rate / 2)));
}

const batchJob = z.strictObject({ campaignId: z.uuid() });
type BatchJob = z.infer<typeof batchJob>;

export const sendCampaignBatchTask: Task<BatchJob> = {
  name: 'newsletter.sendBatch',
  parse: (data) => batchJob.parse(data),
  // A batch takes up to ~30 s: it expires (another worker takes it over) only well after that.
  options: { expireInSeconds: 300, retryLimit: 5 },
  concurrency: 1,
  // One batch of a campaign at a time.
  groupOf: (job) => job.campaignId,
  run: sendCampaignBatch,
};

export async function enqueueCampaignBatch(ctx: Pick<Context, 'services'>, db: Kysely<DB>, campaignId: string): Promise<void> {
  if (!ctx.services.jobs) throw new Error('The job queue is not configured');
  await ctx.services.jobs.enqueue(db, sendCampaignBatchTask, { campaignId });
}

export function campaignBatchEnqueued(ctx: Pick<Context, 'services'>): void {
  ctx.services.jobs?.wake(sendCampaignBatchTask);
}

async function sendCampaignBatch(ctx: TaskContext, job: BatchJob): Promise<void> {
  const { db } = ctx;
  const run = `${ctx.job.id}:${ctx.job.retryCount}`;
  const campaign = await db
    .selectFrom('newsletter_campaigns as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.id', 'c.status', 'c.subject', 'c.body_markdown as bodyMarkdown', 'l.name', 'l.address'])
    .where('c.id', '=', job.campaignId)
    .executeTakeFirst();
  if (!campaign || campaign.status !== 'sending') return;
  await settleAbandonedClaims(db, campaign.id, run);

  const settings = ctx.services.newsletter;
  const pace: Pace = { name: 'newsletter', perMinute: settings?.ratePerMinute ?? NEWSLETTER_DEFAULTS.ratePerMinute };
  const started = ctx.now().getTime();
  const batch = await db
    .selectFrom('newsletter_deliveries')
    .select('subscriber_id as subscriberId')
    .where('campaign_id', '=', campaign.id)
    .where('status', '=', 'pending')
    .orderBy('subscriber_id')
    .limit(batchSizeFor(settings))
    .execute();
  // The rate holds across batches and campaigns: every send (the batch's first included) waits its turn.
  // The turn comes first, then the claim: no subscriber is held `sending` while its sender waits,
  // and a wait that runs past the batch's budget ends the batch (the next one carries on).
  for (const { subscriberId } of batch) {
    if (!(await waitForTurn(ctx.db, pace, ctx.now, new Date(started + BATCH_BUDGET_MS)))) break;
    const sent = await deliverOne(ctx, campaign, subscriberId, run);
    if (sent === 'refused') throw new Error('the SMTP server refused a campaign email; the batch is retried');
  }
  await continueOrFinish(ctx, campaign.id);
}

/** Rows left `sending` by a run that is over (died mid-send): SMTP may have taken them, so they are never sent again. */
async function settleAbandonedClaims(db: Kysely<DB>, campaignId: string, run: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const abandoned = await trx
      .updateTable('newsletter_deliveries')
      .set({ status: 'failed' })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'sending')
      .where('claimed_by', '!=', run)
      .executeTakeFirst();
    const n = Number(abandoned.numUpdatedRows);
    if (n > 0) await trx.updateTable('newsletter_campaigns').set((eb) => ({ failed_count: eb('failed_count', '+', n) })).where('id', '=', campaignId).execute();
  });
}

type Outcome = 'sent' | 'skipped' | 'taken' | 'refused' | 'failed';

async function deliverOne(
  ctx: TaskContext,
  campaign: { id: string; subject: string; bodyMarkdown: string; name: string; address: string },
  subscriberId: string,
  run: string,
): Promise<Outcome> {
  const { db } = ctx;
  const now = ctx.now();
  const claimed = await db
    .updateTable('newsletter_deliveries')
    .set((eb) => ({ status: 'sending', claimed_by: run, claimed_at: now, attempts: eb('attempts', '+', 1) }))
    .where('campaign_id', '=', campaign.id)
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'pending')
    .returning('attempts')
    .executeTakeFirst();
  if (!claimed) return 'taken';
  const subscriber = await db
    .selectFrom('newsletter_subscribers')
    .select(['status', 'email_enc as emailEnc', 'unsubscribe_sealed as unsubscribeSealed'])
    .where('id', '=', subscriberId)
    .executeTakeFirst();
  if (!subscriber || subscriber.status !== 'confirmed') {
    await settle(db, campaign.id, subscriberId, run, 'skipped', now);
    return 'skipped';
  }
  const keys = ctx.services.dataKeys;
  if (!keys) throw new Error('Data keys are not configured (BISTRO_DATA_KEYS)');
  const to = keys.decrypt(subscriber.emailEnc, emailAad(subscriberId));
  const link = unsubscribeUrl(ctx.services.settings.publicUrl, keys.decrypt(subscriber.unsubscribeSealed, unsubscribeAad(subscriberId)));
  const email = await render(to, campaignEmailContent(campaign, campaign, link));
  try {
    await ctx.services.mailer.send({
      ...email,
      headers: unsubscribeHeaders(link),
      // Fixed per campaign and subscriber: a copy that did go out twice is recognisable as one message.
      messageId: `<${createHash('sha256').update(`campaign:${campaign.id}:${subscriberId}`).digest('hex').slice(0, 32)}@bistro>`,
    });
  } catch (error) {
    // Refused (or unreachable): it was not taken, so it may be tried again, up to MAX_ATTEMPTS.
    ctx.log.warn({ err: error, campaignId: campaign.id, attempts: claimed.attempts }, 'campaign email not sent');
    if (claimed.attempts >= MAX_ATTEMPTS) {
      await settle(db, campaign.id, subscriberId, run, 'failed', now);
      return 'failed';
    }
    await db
      .updateTable('newsletter_deliveries')
      .set({ status: 'pending', claimed_by: null })
      .where('campaign_id', '=', campaign.id)
      .where('subscriber_id', '=', subscriberId)
      .where('status', '=', 'sending')
      .where('claimed_by', '=', run)
      .execute();
    return 'refused';
  }
  await settle(db, campaign.id, subscriberId, run, 'sent', ctx.now());
  return 'sent';
}

/** Marks this run's claimed delivery and counts it on the campaign, in one transaction (only if the claim is still this run's). */
async function settle(db: Kysely<DB>, campaignId: string, subscriberId: string, run: string, status: 'sent' | 'skipped' | 'failed', now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('newsletter_deliveries')
      .set({ status, ...(status === 'sent' ? { sent_at: now } : {}) })
      .where('campaign_id', '=', campaignId)
      .where('subscriber_id', '=', subscriberId)
      .where('claimed_by', '=', run)
      .where('status', '=', 'sending')
      .returning('status')
      .executeTakeFirst();
    if (!row) return;
    await trx
      .updateTable('newsletter_campaigns')
      .set((eb) =>
        status === 'sent'
          ? { sent_count: eb('sent_count', '+', 1) }
          : status === 'skipped'
            ? { skipped_count: eb('skipped_count', '+', 1) }
            : { failed_count: eb('failed_count', '+', 1) },
      )
      .where('id', '=', campaignId)
      .execute();
  });
}

/** More to send: the next batch is enqueued. Nothing pending or in flight: the campaign is sent. */
async function continueOrFinish(ctx: TaskContext, campaignId: string): Promise<void> {
  const { rows } = await sql<{ pending: string; sending: string }>`
    select count(*) filter (where status = 'pending') as pending, count(*) filter (where status = 'sending') as sending
    from newsletter_deliveries where campaign_id = ${campaignId}`.execute(ctx.db);
  const pending = Number(rows[0]?.pending ?? 0);
  const sending = Number(rows[0]?.sending ?? 0);
  if (pending > 0) {
    await enqueueCampaignBatch(ctx, ctx.db, campaignId);
    campaignBatchEnqueued(ctx);
    return;
  }
  if (sending === 0) {
    await ctx.db
      .updateTable('newsletter_campaigns')
      .set({ status: 'sent', sent_at: ctx.now(), updated_at: ctx.now() })
      .where('id', '=', campaignId)
      .where('status', '=', 'sending')
      .execute();
  }
}
