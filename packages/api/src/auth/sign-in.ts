import { signInInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import { createSession } from './sessions.js';
import { sessionsChanged } from './session-cache.js';

/**
 * Signs in with email and password. Browsers get an HttpOnly cookie; `mode: 'token'` returns
 * a bearer token instead. A wrong password, an unknown email and a disabled account all get
 * INVALID_CREDENTIALS after the same argon2 work. Failures are throttled per account and per IP.
 */
export const signIn = publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
  const { limiter, passwords } = ctx.services;
  const ip = ctx.request.ip ?? 'unknown';
  await limiter.check('signInIp', ip);
  await limiter.check('signInAccount', input.email);

  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash', 'disabled_at', 'is_admin', 'email_verified_at'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  const passwordOk = await passwords.verify(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk || user.disabled_at) {
    await limiter.fail('signInIp', ip);
    await limiter.fail('signInAccount', input.email);
    await recordAudit(ctx, {
      action: 'auth.sign_in_failed',
      actorUserId: user?.id ?? null,
      targetType: 'user',
      ...(user ? { targetId: user.id } : {}),
      details: { email: input.email },
    });
    throw new BistroError('INVALID_CREDENTIALS', 'Wrong email or password');
  }
  await limiter.reset('signInAccount', input.email);

  // A new token at every sign-in; a session the request already had ends (no fixation).
  if (ctx.auth) {
    await ctx.db.deleteFrom('sessions').where('id', '=', ctx.auth.session.id).execute();
    sessionsChanged(ctx, { sessionId: ctx.auth.session.id });
  }
  const session = await createSession(ctx.db, user.id, { ip: ctx.request.ip, userAgent: ctx.request.userAgent, now: ctx.now() });
  await recordAudit(ctx, { action: 'auth.sign_in', actorUserId: user.id, targetType: 'session', targetId: session.sessionId });

  const mode = input.mode ?? 'cookie';
  if (mode === 'cookie') ctx.cookies.set(session.token, session.expiresAt);
  return {
    user: { id: user.id, email: user.email, name: user.name, isAdmin: user.is_admin, emailVerified: user.email_verified_at !== null },
    sessionId: session.sessionId,
    expiresAt: session.expiresAt,
    /** Only with `mode: 'token'`: send it as `Authorization: Bearer <token>`. */
    token: mode === 'token' ? session.token : null,
  };
});
