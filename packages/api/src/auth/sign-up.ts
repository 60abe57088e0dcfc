import { signUpInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { publicProcedure } from '../trpc.js';
import { emailsEnqueued, enqueueAccountEmail } from '../emails/task.js';
import { issueToken } from './emails.js';
import { Passwords } from './passwords.js';

/**
 * Creates an account and sends a link to confirm the email. A taken email gets the very same
 * answer (and the owner an email about it), so sign-up reveals nothing about who has an account.
 */
export const signUp = publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
  await ctx.services.limiter.hit('signUpIp', ctx.request.ip ?? 'unknown');
  Passwords.assertNotCommon(input.password);
  // Hash before knowing whether the email is taken, so both answers take as long.
  const passwordHash = await ctx.services.passwords.hash(input.password);
  const now = ctx.now();
  // Either way one email is enqueued in the same transaction: both answers do the same work.
  await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('users')
      .values({ email: input.email, name: input.name, password_hash: passwordHash, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (created) {
      const token = await issueToken(trx, { kind: 'verify_email', email: input.email, userId: created.id, now });
      await recordAudit(trx, ctx, { action: 'auth.signed_up', actorUserId: created.id, targetType: 'user', targetId: created.id });
      await enqueueAccountEmail(ctx, trx, { template: 'verify_email', to: input.email, token });
    } else {
      await enqueueAccountEmail(ctx, trx, { template: 'already_registered', to: input.email });
    }
  });
  emailsEnqueued(ctx);
  return { status: 'check_your_email' as const };
});
