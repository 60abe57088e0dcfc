import { z } from 'zod';
import { publicProcedure } from '../trpc.js';
import { sessionsChanged } from './session-cache.js';

/** Ends the caller's session, if any, and clears the cookie. Safe to call when signed out. */
export const signOut = publicProcedure.input(z.strictObject({}).optional()).mutation(async ({ ctx }) => {
  if (ctx.auth) {
    await ctx.db.deleteFrom('sessions').where('id', '=', ctx.auth.session.id).execute();
    sessionsChanged(ctx, { sessionId: ctx.auth.session.id });
  }
  ctx.cookies.clear();
  return { ok: true as const };
});
