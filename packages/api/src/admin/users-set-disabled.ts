import { adminSetDisabledInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { revokeAllSessions } from '../auth/sessions.js';
import { BistroError, notFound } from '../errors.js';
import { adminProcedure } from '../trpc.js';
import { sessionsChanged } from '../auth/session-cache.js';

/**
 * Disables an account (every session ends at once and sign-in is refused) or enables it again
 * (the user signs in anew). An admin cannot disable themselves, so there is always someone left
 * to undo it. Written to the audit log with before and after; asking for the state the account
 * is already in changes nothing.
 */
export const setDisabled = adminProcedure.input(adminSetDisabledInput).mutation(async ({ ctx, input }) => {
  const { userId, disabled } = input;
  if (disabled && userId === ctx.auth.user.id) {
    throw new BistroError('CANNOT_DISABLE_SELF', 'You cannot disable your own account', {
      fieldErrors: { userId: ['You cannot disable your own account'] },
    });
  }
  const now = ctx.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Only a real change matches, so two admins racing write one audit row between them.
    const updated = await trx
      .updateTable('users')
      .set({ disabled_at: disabled ? now : null, updated_at: now })
      .where('id', '=', userId)
      .where('disabled_at', disabled ? 'is' : 'is not', null)
      .returning('id')
      .executeTakeFirst();
    if (!updated) {
      const exists = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!exists) throw notFound('User');
      return { changed: false, sessionsEnded: 0 };
    }
    const sessionsEnded = disabled ? await revokeAllSessions(trx, userId) : 0;
    await recordAudit(trx, ctx, {
      action: disabled ? 'user.disabled' : 'user.enabled',
      targetType: 'user',
      targetId: userId,
      details: { before: { disabled: !disabled }, after: { disabled }, sessionsEnded },
    });
    return { changed: true, sessionsEnded };
  });
  if (result.changed) sessionsChanged(ctx, { userId });
  return { userId, disabled, ...result };
});
