import { newsletterSetMineInput } from '@bistro/domain';
import { emailsEnqueued, enqueueAccountEmail } from '../emails/task.js';
import { authedProcedure } from '../trpc.js';
import { listName } from './lists.js';
import { findOrCreateSubscriber, issueConfirmToken, requireKeys } from './subscribers.js';

/**
 * The signed-in customer subscribes to (or leaves) a list from their profile. A verified account
 * address is confirmed at once (it was proven); an unverified one gets the confirmation link first
 * (status `pending`), as a guest would.
 */
export const setMine = authedProcedure.input(newsletterSetMineInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const keys = requireKeys(ctx);
  const locationId = input.locationId ?? null;
  const name = await listName(ctx.db, locationId);
  const { user } = ctx.auth;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const subscriber = await findOrCreateSubscriber(trx, keys, { email: user.email, locationId, userId: user.id, now });
    if (!input.subscribed) {
      await trx
        .updateTable('newsletter_subscribers')
        .set({ status: 'unsubscribed', unsubscribed_at: now, updated_at: now, user_id: user.id })
        .where('id', '=', subscriber.id)
        .where('status', '!=', 'unsubscribed')
        .execute();
      return { status: 'unsubscribed' as const, enqueued: false };
    }
    if (subscriber.status === 'confirmed') return { status: 'confirmed' as const, enqueued: false };
    if (user.emailVerified) {
      await trx
        .updateTable('newsletter_subscribers')
        .set({ status: 'confirmed', confirmed_at: now, unsubscribed_at: null, updated_at: now, user_id: user.id })
        .where('id', '=', subscriber.id)
        .execute();
      return { status: 'confirmed' as const, enqueued: false };
    }
    await trx.updateTable('newsletter_subscribers').set({ status: 'pending', updated_at: now, user_id: user.id }).where('id', '=', subscriber.id).execute();
    const token = await issueConfirmToken(trx, subscriber.id, now);
    await enqueueAccountEmail(ctx, trx, { template: 'newsletter_confirm', to: user.email, token, listName: name });
    return { status: 'pending' as const, enqueued: true };
  });
  if (result.enqueued) emailsEnqueued(ctx);
  return { locationId, locationName: name, status: result.status };
});
