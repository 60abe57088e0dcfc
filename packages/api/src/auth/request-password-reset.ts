import { requestPasswordResetInput } from '@bistro/domain';
import { publicProcedure } from '../trpc.js';
import { emailsEnqueued, enqueueAccountEmail } from '../emails/task.js';
import { inBackground, issueToken } from './emails.js';

/**
 * Emails a link to choose a new password (valid 1 hour). Known and unknown addresses get the
 * same answer after the same work: the lookup, the token and the email all happen after the
 * answer has gone, so neither the reply nor its timing says whether an account exists.
 * Throttled per IP and per address (counted for unknown addresses too).
 */
export const requestPasswordReset = publicProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
  const { limiter } = ctx.services;
  await limiter.hit('emailIp', ctx.request.ip ?? 'unknown');
  await limiter.hit('emailAddress', input.email);
  const now = ctx.now();
  inBackground(ctx, 'a password reset request', async () => {
    const user = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', input.email)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (!user) return;
    await ctx.db.transaction().execute(async (trx) => {
      const token = await issueToken(trx, { kind: 'reset_password', email: input.email, userId: user.id, now });
      await enqueueAccountEmail(ctx, trx, { template: 'password_reset', to: input.email, token });
    });
    emailsEnqueued(ctx);
  });
  return { status: 'check_your_email' as const };
});
