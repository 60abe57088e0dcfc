import { campaignIdInput } from '@bistro/domain';
import { emailsEnqueued, enqueueCampaignPreview } from '../emails/task.js';
import { managerProcedure } from '../trpc.js';

/** Sends the campaign as it reads now to the manager themself (their account's address), through the queue. Drafts and sent ones alike. */
export const preview = managerProcedure.input(campaignIdInput).mutation(async ({ ctx, input }) => {
  await enqueueCampaignPreview(ctx, ctx.db, { campaignId: input.campaignId, userId: ctx.auth.user.id });
  emailsEnqueued(ctx);
  return { status: 'preview_sent' as const, to: ctx.auth.user.email };
});
