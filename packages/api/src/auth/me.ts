import { publicProcedure } from '../trpc.js';

/** The signed-in caller with their role at each location, or null for a guest. */
export const me = publicProcedure.query(({ ctx }) => {
  if (!ctx.auth) return null;
  const { user, roles, session } = ctx.auth;
  return { ...user, roles, sessionExpiresAt: session.expiresAt };
});
