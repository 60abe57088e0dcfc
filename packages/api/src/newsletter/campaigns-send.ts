import { campaignIdInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import { campaignColumns, campaignOutput } from './output.js';
import { campaignBatchEnqueued, enqueueCampaignBatch } from './sending.js';

/**
 * Sends a draft to the location's confirmed subscribers (its own list and the every-location
 * list), in one transaction: the draft becomes `sending` (only once: a second call is
 * CAMPAIGN_NOT_DRAFT), one delivery row is written per recipient (the audience is fixed now),
 * and the first batch job is enqueued (the outbox). No confirmed subscriber: CAMPAIGN_NO_RECIPIENTS,
 * and the draft stays a draft. Progress: `campaigns.get`.
 */
export const send = managerProcedure.input(campaignIdInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const started = await trx
      .updateTable('newsletter_campaigns')
      .set({ status: 'sending', send_started_at: now, updated_at: now })
      .where('id', '=', input.campaignId)
      .where('status', '=', 'draft')
      .returning('location_id')
      .executeTakeFirst();
    if (!started) throw new BistroError('CAMPAIGN_NOT_DRAFT', 'This campaign is being sent or was sent already');
    const inserted = await trx
      .insertInto('newsletter_deliveries')
      .columns(['campaign_id', 'subscriber_id'])
      .expression((eb) =>
        eb
          .selectFrom('newsletter_subscribers')
          .select([eb.val(input.campaignId).as('campaign_id'), 'id'])
          .where('status', '=', 'confirmed')
          .where((w) => w.or([w('location_id', '=', started.location_id), w('location_id', 'is', null)])),
      )
      .executeTakeFirst();
    const recipients = Number(inserted.numInsertedOrUpdatedRows ?? 0);
    if (recipients === 0) throw new BistroError('CAMPAIGN_NO_RECIPIENTS', 'No one has confirmed a subscription to this newsletter yet');
    await enqueueCampaignBatch(ctx, trx, input.campaignId);
    return trx.updateTable('newsletter_campaigns').set({ recipients }).where('id', '=', input.campaignId).returning(campaignColumns).executeTakeFirstOrThrow();
  });
  campaignBatchEnqueued(ctx);
  return campaignOutput(row);
});
