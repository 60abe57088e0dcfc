import { z } from 'zod';
import { recordAudit } from '../audit.js';
import { authedProcedure } from '../trpc.js';
import { revokeAllSessions } from './sessions.js';
import { sessionsChanged } from './session-cache.js';

/** Ends every session of the caller, on every device, this one included. */
export const signOutEverywhere = authedProcedure.input(z.strictObject({}).optional()).mutation(async ({ ctx }) => {
  const ended = await revokeAllSessions(ctx.db, ctx.auth.user.id);
  sessionsChanged(ctx, { userId: ctx.auth.user.id });
  await recordAudit(ctx.db, ctx, { action: 'auth.signed_out_everywhere', targetType: 'user', targetId: ctx.auth.user.id, details: { sessions: ended } });
  ctx.cookies.clear();
  return { sessionsEnded: ended };
});
