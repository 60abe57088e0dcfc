import { newsletterTokenInput } from '@bistro/domain';
import { publicProcedure } from '../trpc.js';
import { listName } from './lists.js';
import { consumeConfirmToken } from './subscribers.js';

/** Confirms a subscription with the emailed link's token: single use, expiring (TOKEN_USED, TOKEN_EXPIRED, TOKEN_INVALID). No sign-in. */
export const confirm = publicProcedure
  .meta({ scope: 'any' })
  .input(newsletterTokenInput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const locationId = await ctx.db.transaction().execute(async (trx) => {
      const subscriberId = await consumeConfirmToken(trx, input.token, now);
      const row = await trx
        .updateTable('newsletter_subscribers')
        .set({ status: 'confirmed', confirmed_at: now, unsubscribed_at: null, updated_at: now })
        .where('id', '=', subscriberId)
        .returning('location_id')
        .executeTakeFirstOrThrow();
      return row.location_id;
    });
    return { status: 'confirmed' as const, list: await listName(ctx.db, locationId) };
  });
