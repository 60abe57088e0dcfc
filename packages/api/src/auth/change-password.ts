import { changePasswordInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { authedProcedure } from '../trpc.js';
import { Passwords } from './passwords.js';
import { createSession, revokeAllSessions } from './sessions.js';
import { sessionsChanged } from './session-cache.js';

/**
 * Changes the caller's password after checking the current one. Every session ends; the caller
 * gets a new one (a new cookie, or with a bearer token, the new token in the answer).
 */
export const changePassword = authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
  const { limiter, passwords } = ctx.services;
  const { user } = ctx.auth;
  // Counted before the check (like sign-in), so concurrent guesses cannot all be verified.
  await limiter.hit('signInAccount', user.email);
  const row = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  let currentOk: boolean;
  try {
    currentOk = await passwords.verify(row.password_hash, input.currentPassword);
  } catch (error) {
    await limiter.refund('signInAccount', user.email);
    throw error;
  }
  if (!currentOk) {
    throw new BistroError('INVALID_CREDENTIALS', 'The current password is wrong', { fieldErrors: { currentPassword: ['Wrong password'] } });
  }
  await limiter.refund('signInAccount', user.email);
  Passwords.assertNotCommon(input.newPassword, 'newPassword');
  const passwordHash = await passwords.hash(input.newPassword);
  const now = ctx.now();
  const session = await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', user.id).execute();
    await revokeAllSessions(trx, user.id);
    const created = await createSession(trx, user.id, { ip: ctx.request.ip, userAgent: ctx.request.userAgent, now });
    await recordAudit(trx, ctx, { action: 'auth.password_changed', targetType: 'user', targetId: user.id });
    return created;
  });
  if (ctx.auth.via === 'cookie') ctx.cookies.set(session.token, session.expiresAt);
  sessionsChanged(ctx, { userId: user.id });
  return { expiresAt: session.expiresAt, token: ctx.auth.via === 'bearer' ? session.token : null };
});
