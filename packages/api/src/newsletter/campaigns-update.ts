import { campaignUpdateInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import { campaignColumns, campaignOutput } from './output.js';

/**
 * Edits a draft. `version` is the one the editor read: a stale one is STALE_VERSION; a campaign
 * that is sending or sent is CAMPAIGN_NOT_DRAFT. Decided by one conditional UPDATE.
 */
export const update = managerProcedure.input(campaignUpdateInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const row = await ctx.db
    .updateTable('newsletter_campaigns')
    .set((eb) => ({
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.bodyMarkdown !== undefined ? { body_markdown: input.bodyMarkdown } : {}),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', input.campaignId)
    .where('status', '=', 'draft')
    .where('version', '=', input.version)
    .returning(campaignColumns)
    .executeTakeFirst();
  if (row) return campaignOutput(row);
  const current = await ctx.db.selectFrom('newsletter_campaigns').select(['status']).where('id', '=', input.campaignId).executeTakeFirstOrThrow();
  if (current.status !== 'draft') throw new BistroError('CAMPAIGN_NOT_DRAFT', 'This campaign is being sent or was sent; it can no longer change');
  throw new BistroError('STALE_VERSION', 'The campaign changed since it was read; reload it', { fieldErrors: { version: ['Stale'] } });
});
