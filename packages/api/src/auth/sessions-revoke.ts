import { revokeSessionInput } from '@bistro/domain';
import { notFound } from '../errors.js';
import { authedProcedure } from '../trpc.js';
import { sessionsChanged } from './session-cache.js';

/** Ends one of the caller's own sessions. Another user's session id answers NOT_FOUND. */
export const revoke = authedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
  const result = await ctx.db
    .deleteFrom('sessions')
    .where('id', '=', input.sessionId)
    .where('user_id', '=', ctx.auth.user.id)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Session');
  if (input.sessionId === ctx.auth.session.id) ctx.cookies.clear();
  sessionsChanged(ctx, { sessionId: input.sessionId });
  return { ok: true as const };
});
