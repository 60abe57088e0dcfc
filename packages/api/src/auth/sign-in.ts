import { signInInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import { createSession } from './sessions.js';
import { sessionsChanged } from './session-cache.js';

/**
 * Signs in with email and password. Browsers get an HttpOnly cookie; `mode: 'token'` returns
 * a bearer token instead (the answer's `mode` tells which, so `token` is typed `string` there). A wrong password, an unknown email and a disabled account all get
 * INVALID_CREDENTIALS after the same argon2 work. Attempts are throttled per account and per IP:
 * each takes a point before the password is checked, and a successful one gives it back.
 */
export const signIn = publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
  const { limiter, passwords } = ctx.services;
  const ip = ctx.request.ip ?? 'unknown';
  // An attempt is counted before its password is checked (atomically, in the shared counter), so
  // concurrent guesses cannot all pass one check: at most the allowed number are ever verified.
  await limiter.hit('signInIp', ip);
  try {
    await limiter.hit('signInAccount', input.email);
  } catch (error) {
    // Refused before any verification: this attempt does not count against the address.
    await limiter.refund('signInIp', ip);
    throw error;
  }

  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'disabled_at', 'is_admin', 'email_verified_at'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  let passwordOk: boolean;
  try {
    passwordOk = await passwords.verify(user?.password_hash ?? null, input.password);
  } catch (error) {
    // Not verified (e.g. the server was too busy to hash): the attempts are given back.
    await Promise.all([limiter.refund('signInIp', ip), limiter.refund('signInAccount', input.email)]);
    throw error;
  }
  if (!user || !passwordOk || user.disabled_at) {
    // The attempt stays counted for the account and the address.
    await recordAudit(ctx.db, ctx, {
      action: 'auth.sign_in_failed',
      actorUserId: user?.id ?? null,
      targetType: 'user',
      ...(user ? { targetId: user.id } : {}),
      details: { email: input.email },
    });
    throw new BistroError('INVALID_CREDENTIALS', 'Wrong email or password');
  }
  await Promise.all([limiter.refund('signInIp', ip), limiter.reset('signInAccount', input.email)]);

  // A new token at every sign-in; a session the request already had ends (no fixation).
  if (ctx.auth) {
    await ctx.db.deleteFrom('sessions').where('id', '=', ctx.auth.session.id).execute();
    sessionsChanged(ctx, { sessionId: ctx.auth.session.id });
  }
  const session = await createSession(ctx.db, user.id, { ip: ctx.request.ip, userAgent: ctx.request.userAgent, now: ctx.now() });
  await recordAudit(ctx.db, ctx, { action: 'auth.signed_in', actorUserId: user.id, targetType: 'session', targetId: session.sessionId });

  const signedIn = {
    user: { id: user.id, email: user.email, name: user.name, isAdmin: user.is_admin, emailVerified: user.email_verified_at !== null },
    sessionId: session.sessionId,
    expiresAt: session.expiresAt,
  };
  // The answer says which mode it is, so a client's types know the token is there (a string)
  // exactly when it asked for one; a cookie sign-in answers `token: null`.
  if (input.mode === 'token') return { ...signedIn, mode: 'token' as const, token: session.token };
  ctx.cookies.set(session.token, session.expiresAt);
  return { ...signedIn, mode: 'cookie' as const, token: null };
});
