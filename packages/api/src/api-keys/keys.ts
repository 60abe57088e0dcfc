import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { API_KEY_PATTERN, API_KEY_PREFIX, API_SCOPES, type ApiScope } from '@bistro/domain';
import type { ResolvedSession } from '../auth/sessions.js';
import { hashToken } from '../auth/tokens.js';

/** A new key: what the client is shown once, the lookup prefix, and the hash that is all the database keeps. */
export function newApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(6).toString('hex');
  const key = `${API_KEY_PREFIX}${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashToken(key) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** The latest instant a key with no expiry is treated as expiring (the caches need one). */
const NEVER = new Date(8_640_000_000_000_000);

/**
 * The caller a key stands for, in one statement: its creator (who must still be a manager of the
 * key's location, or an admin, and not disabled), acting at the key's location only, within its
 * scopes. Null for a malformed, unknown, revoked or expired key. Found by its prefix, then the
 * whole key's hash compared in constant time. `session.id` is the key's id, so revoking it
 * drops it from every instance's session cache (`sessionsChanged({ sessionId })`).
 */
export async function resolveApiKey(db: Kysely<DB>, token: string, now: Date): Promise<ResolvedSession | null> {
  const parts = API_KEY_PATTERN.exec(token);
  if (!parts) return null;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.created_by')
    .where('k.prefix', '=', parts[1]!)
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', now)]))
    .where('u.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('u.is_admin', '=', true),
        eb.exists(
          eb
            .selectFrom('location_roles as r')
            .whereRef('r.user_id', '=', 'u.id')
            .whereRef('r.location_id', '=', 'k.location_id')
            .where('r.role', '=', 'manager')
            .select(sql.lit(1).as('one')),
        ),
      ]),
    )
    .select(['k.id', 'k.location_id as locationId', 'k.scopes', 'k.secret_hash as secretHash', 'k.expires_at as expiresAt', 'k.last_used_at as lastUsedAt'])
    .select(['u.id as userId', 'u.email', 'u.name', 'u.email_verified_at as emailVerifiedAt'])
    .executeTakeFirst();
  if (!row || !timingSafeEqual(hashToken(token), row.secretHash)) return null;
  // Last use is kept to the minute: one write per key per minute at most, not one per request.
  if (row.lastUsedAt === null || now.getTime() - new Date(row.lastUsedAt).getTime() >= 60_000) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const scopes: ApiScope[] = API_SCOPES.filter((scope) => row.scopes.includes(scope));
  return {
    user: { id: row.userId, email: row.email, name: row.name, isAdmin: false, emailVerified: row.emailVerifiedAt !== null },
    session: { id: row.id, expiresAt: row.expiresAt === null ? NEVER : new Date(row.expiresAt) },
    roles: [{ locationId: row.locationId, role: 'manager' }],
    renewed: false,
    apiKey: { id: row.id, locationId: row.locationId, scopes },
  };
}
