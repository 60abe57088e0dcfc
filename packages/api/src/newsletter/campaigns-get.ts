import { campaignIdInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { campaignColumns, campaignOutput } from './output.js';

/** One campaign with its progress (recipients, sent, skipped, failed, pending). Another location's: NOT_FOUND. */
export const get = managerProcedure.input(campaignIdInput).query(async ({ ctx, input }) => {
  const row = await ctx.db.selectFrom('newsletter_campaigns').select(campaignColumns).where('id', '=', input.campaignId).executeTakeFirstOrThrow();
  return campaignOutput(row);
});
