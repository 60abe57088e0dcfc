import { authedProcedure } from '../trpc.js';

/** The caller's own sessions (devices), newest first; `current` marks this one. */
export const list = authedProcedure.query(async ({ ctx }) => {
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'created_at as createdAt', 'last_used_at as lastUsedAt', 'expires_at as expiresAt', 'ip', 'user_agent as userAgent'])
    .where('user_id', '=', ctx.auth.user.id)
    .where('expires_at', '>', ctx.now())
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, current: row.id === ctx.auth.session.id }));
});
