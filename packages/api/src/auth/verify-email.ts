import { verifyEmailInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { publicProcedure } from '../trpc.js';
import { consumeToken } from './emails.js';
import { sessionsChanged } from './session-cache.js';

/** Confirms an email address with the single-use link's token. Works without being signed in. */
export const verifyEmail = publicProcedure.input(verifyEmailInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const verifiedUser = await ctx.db.transaction().execute(async (trx) => {
    const token = await consumeToken(trx, 'verify_email', input.token, now);
    // Only the address the link was sent to counts, even if the account's email changed since.
    const updated = await trx
      .updateTable('users')
      .set((eb) => ({ email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)), updated_at: now }))
      .where('id', '=', token.userId ?? '00000000-0000-0000-0000-000000000000')
      .where('email', '=', token.email)
      .returning('id')
      .executeTakeFirst();
    if (updated) {
      await recordAudit(trx, ctx, { action: 'auth.email_verified', actorUserId: updated.id, targetType: 'user', targetId: updated.id });
    }
    return updated?.id;
  });
  // Sessions carry emailVerified: cached ones must be read again.
  if (verifiedUser) sessionsChanged(ctx, { userId: verifiedUser });
  return { emailVerified: true as const };
});
