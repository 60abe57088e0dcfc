import { campaignListInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { campaignColumns, campaignOutput } from './output.js';

/** The location's campaigns, newest first, with their counts, and how many confirmed subscribers a new one would reach. */
export const list = managerProcedure.input(campaignListInput).query(async ({ ctx }) => {
  const rows = await ctx.db
    .selectFrom('newsletter_campaigns')
    .select(campaignColumns)
    .where('location_id', '=', ctx.locationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute();
  const audience = await ctx.db
    .selectFrom('newsletter_subscribers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'confirmed')
    .where((eb) => eb.or([eb('location_id', '=', ctx.locationId), eb('location_id', 'is', null)]))
    .executeTakeFirstOrThrow();
  return { campaigns: rows.map(campaignOutput), confirmedSubscribers: Number(audience.n) };
});
