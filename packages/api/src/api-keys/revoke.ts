import { apiKeyRevokeInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { sessionsChanged } from '../auth/session-cache.js';
import { managerProcedure } from '../trpc.js';

/**
 * Revokes a key at once: its next call is refused on every instance (the caches drop it through
 * the bus). Revoking a revoked key changes nothing and answers when it was revoked.
 */
export const revoke = managerProcedure.input(apiKeyRevokeInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const revokedAt = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('id', '=', input.apiKeyId)
      .where('revoked_at', 'is', null)
      .returning(['revoked_at'])
      .executeTakeFirst();
    if (!row) {
      const already = await trx.selectFrom('api_keys').select('revoked_at').where('id', '=', input.apiKeyId).executeTakeFirstOrThrow();
      return already.revoked_at;
    }
    await recordAudit(trx, ctx, { action: 'apikey.revoked', targetType: 'api_key', targetId: input.apiKeyId, locationId: ctx.locationId });
    return row.revoked_at;
  });
  sessionsChanged(ctx, { sessionId: input.apiKeyId });
  return { id: input.apiKeyId, revokedAt };
});
