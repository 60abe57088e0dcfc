import { z } from 'zod';
import { authedProcedure } from '../trpc.js';
import { emailsEnqueued, enqueueAccountEmail } from '../emails/task.js';
import { issueToken } from './emails.js';

/**
 * Sends the caller a fresh link to confirm their email, unless it is already confirmed.
 * Throttled per IP and per address, so it can't be used to flood an inbox.
 */
export const requestEmailVerification = authedProcedure.input(z.strictObject({}).optional()).mutation(async ({ ctx }) => {
  const { user } = ctx.auth;
  if (user.emailVerified) return { status: 'already_verified' as const };
  const { limiter } = ctx.services;
  await limiter.hit('emailIp', ctx.request.ip ?? 'unknown');
  await limiter.hit('emailAddress', user.email);
  await ctx.db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, { kind: 'verify_email', email: user.email, userId: user.id, now: ctx.now() });
    await enqueueAccountEmail(ctx, trx, { template: 'verify_email', to: user.email, token });
  });
  emailsEnqueued(ctx);
  return { status: 'sent' as const };
});
