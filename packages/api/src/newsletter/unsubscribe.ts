import { newsletterTokenInput } from '@bistro/domain';
import { publicProcedure } from '../trpc.js';
import { unsubscribeByToken } from './subscribers.js';

/**
 * One-click unsubscribe with the secret every campaign email carries: no sign-in, idempotent
 * (unsubscribing twice answers the same). The mail client's RFC 8058 POST does the same
 * (apps/server: POST /newsletter/unsubscribe?token=…).
 */
export const unsubscribe = publicProcedure
  .meta({ scope: 'any' })
  .input(newsletterTokenInput)
  .mutation(async ({ ctx, input }) => {
    await unsubscribeByToken(ctx.db, input.token, ctx.now());
    return { status: 'unsubscribed' as const };
  });
