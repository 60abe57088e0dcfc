import { apiKeyCreateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import { newApiKey } from './keys.js';

/**
 * A new API key for a location (its managers; admins for any location). The key itself is in
 * this answer only: the database keeps its hash, so it can never be shown again.
 */
export const create = managerProcedure.input(apiKeyCreateInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw new BistroError('NOT_IN_FUTURE', 'The expiry must be in the future', { fieldErrors: { expiresAt: ['Must be in the future'] } });
  }
  const { key, prefix, hash } = newApiKey();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('api_keys')
      .values({
        location_id: ctx.locationId,
        name: input.name,
        prefix,
        secret_hash: hash,
        scopes: input.scopes,
        created_by: ctx.auth.user.id,
        created_at: now,
        expires_at: input.expiresAt ?? null,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'apikey.created',
      targetType: 'api_key',
      targetId: created.id,
      locationId: ctx.locationId,
      details: { name: input.name, prefix, scopes: input.scopes },
    });
    return created;
  });
  return { id: row.id, name: input.name, prefix, scopes: input.scopes, expiresAt: input.expiresAt ?? null, createdAt: now, key };
});
