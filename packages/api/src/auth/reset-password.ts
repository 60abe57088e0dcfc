import { resetPasswordInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { publicProcedure } from '../trpc.js';
import { consumeToken, peekToken } from './emails.js';
import { Passwords } from './passwords.js';
import { revokeAllSessions } from './sessions.js';
import { sessionsChanged } from './session-cache.js';

/**
 * Sets a new password with the reset link's token (1 hour, single use) and ends every session
 * of the account, on every device: whoever knew the old password is out. The caller signs in
 * afresh. Other unused reset links of the account stop working too.
 */
export const resetPassword = publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  // Cheap refusals first: no argon2 work for a dead link or a common password.
  await peekToken(ctx.db, 'reset_password', input.token, now);
  Passwords.assertNotCommon(input.password);
  const passwordHash = await ctx.services.passwords.hash(input.password);

  const result = await ctx.db.transaction().execute(async (trx) => {
    // The token is used here, in the change's transaction: a racing second use gets TOKEN_USED.
    const token = await consumeToken(trx, 'reset_password', input.token, now);
    const userId = token.userId;
    if (!userId) throw new Error('a reset token without a user');
    // Receiving the link proves the address, so it counts as verified.
    const user = await trx
      .updateTable('users')
      .set((eb) => ({ password_hash: passwordHash, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)), updated_at: now }))
      .where('id', '=', userId)
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow();
    const sessionsEnded = await revokeAllSessions(trx, userId);
    await trx
      .updateTable('auth_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('kind', '=', 'reset_password')
      .where('used_at', 'is', null)
      .execute();
    await recordAudit(trx, ctx, { action: 'auth.password_reset', actorUserId: userId, targetType: 'user', targetId: userId, details: { sessionsEnded } });
    return user;
  });
  // The owner proved control of the address: earlier failed sign-ins no longer lock them out.
  await ctx.services.limiter.reset('signInAccount', result.email);
  if (ctx.auth?.user.id === result.id) ctx.cookies.clear();
  sessionsChanged(ctx, { userId: result.id });
  return { status: 'password_reset' as const };
});
