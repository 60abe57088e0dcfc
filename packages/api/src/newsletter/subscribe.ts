import { newsletterSubscribeInput } from '@bistro/domain';
import { inBackground } from '../auth/emails.js';
import { emailsEnqueued, enqueueAccountEmail } from '../emails/task.js';
import { publicProcedure } from '../trpc.js';
import { listName } from './lists.js';
import { findOrCreateSubscriber, issueConfirmToken, requireKeys } from './subscribers.js';

/**
 * Asks for the newsletter of a location (or of every location): double opt-in, so nothing is
 * sent but a confirmation link (single use, 48 h). Known and unknown addresses, confirmed or
 * not, get the same answer after the same work: the lookup and the email happen after the
 * answer has gone. An address already confirmed gets no email (nothing to confirm). Throttled
 * per IP and per address, like the other emails anyone can trigger.
 */
export const subscribe = publicProcedure
  .meta({ scope: 'any' })
  .input(newsletterSubscribeInput)
  .mutation(async ({ ctx, input }) => {
    const { limiter } = ctx.services;
    await limiter.hit('emailIp', ctx.request.ip ?? 'unknown');
    await limiter.hit('emailAddress', input.email);
    const locationId = input.locationId ?? null;
    // Locations are public: an unknown one is said so (it reveals nothing about addresses).
    const name = await listName(ctx.db, locationId);
    const keys = requireKeys(ctx);
    const now = ctx.now();
    inBackground(ctx, 'a newsletter subscription', async () => {
      const enqueued = await ctx.db.transaction().execute(async (trx) => {
        const subscriber = await findOrCreateSubscriber(trx, keys, { email: input.email, locationId, userId: null, now });
        if (subscriber.status === 'confirmed') return false;
        const token = await issueConfirmToken(trx, subscriber.id, now);
        await enqueueAccountEmail(ctx, trx, { template: 'newsletter_confirm', to: input.email, token, listName: name });
        return true;
      });
      if (enqueued) emailsEnqueued(ctx);
    });
    return { status: 'check_your_email' as const };
  });
