import { API_SCOPES, apiKeyListInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';

/** The location's API keys, newest first, with when each was last used; never the key itself. */
export const list = managerProcedure.input(apiKeyListInput).query(async ({ ctx }) => {
  const rows = await ctx.db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.created_by')
    .where('k.location_id', '=', ctx.locationId)
    .select([
      'k.id',
      'k.name',
      'k.prefix',
      'k.scopes',
      'k.created_at as createdAt',
      'k.expires_at as expiresAt',
      'k.last_used_at as lastUsedAt',
      'k.revoked_at as revokedAt',
      'u.name as createdByName',
    ])
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute();
  return rows.map((row) => ({ ...row, scopes: API_SCOPES.filter((scope) => row.scopes.includes(scope)) }));
});
