import { campaignCreateInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { campaignColumns, campaignOutput } from './output.js';

/** A manager writes a campaign for their location: a draft (subject and Markdown body) until sent. */
export const create = managerProcedure.input(campaignCreateInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const row = await ctx.db
    .insertInto('newsletter_campaigns')
    .values({ location_id: ctx.locationId, subject: input.subject, body_markdown: input.bodyMarkdown, created_by: ctx.auth.user.id, created_at: now, updated_at: now })
    .returning(campaignColumns)
    .executeTakeFirstOrThrow();
  return campaignOutput(row);
});
