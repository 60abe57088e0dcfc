import { signUpInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { publicProcedure } from '../trpc.js';
import { alreadyRegisteredEmail, issueToken, sendInBackground, verificationEmail } from './emails.js';
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
  const created = await ctx.db
    .insertInto('users')
    .values({ email: input.email, name: input.name, password_hash: passwordHash, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (created) {
    const token = await issueToken(ctx.db, { kind: 'verify_email', email: input.email, userId: created.id, now });
    await recordAudit(ctx.db, ctx, { action: 'auth.signed_up', actorUserId: created.id, targetType: 'user', targetId: created.id });
    sendInBackground(ctx, verificationEmail(ctx, input.email, token));
  } else {
    sendInBackground(ctx, alreadyRegisteredEmail(ctx, input.email));
  }
  return { status: 'check_your_email' as const };
});
