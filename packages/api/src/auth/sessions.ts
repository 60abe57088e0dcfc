import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import type { ApiScope, LocationRole } from '@bistro/domain';
import { hashToken, newToken } from './tokens.js';

export const SESSION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_MS = SESSION_DAYS * DAY_MS;

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  emailVerified: boolean;
}

export interface ResolvedSession {
  user: AuthUser;
  session: { id: string; expiresAt: Date };
  roles: { locationId: string; role: LocationRole }[];
  /** True when this request slid the expiry forward (the cookie should be re-sent). */
  renewed: boolean;
  /**
   * Set when the caller is an API key (api-keys/keys.ts): it acts for its creator, at its one
   * location, only through procedures whose scope it holds (checked in trpc.ts).
   */
  apiKey?: { id: string; locationId: string; scopes: ApiScope[] };
}

/** Starts a session: a fresh random token for the caller, only its hash in the database. */
export async function createSession(
  db: Kysely<DB>,
  userId: string,
  meta: { ip: string | null; userAgent: string | null; now: Date },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const { token, hash } = newToken();
  const expiresAt = new Date(meta.now.getTime() + SESSION_MS);
  const row = await db
    .insertInto('sessions')
    .values({
      user_id: userId,
      token_hash: hash,
      created_at: meta.now,
      last_used_at: meta.now,
      expires_at: expiresAt,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, sessionId: row.id, expiresAt };
}

/**
 * The session a token opens, with its user and roles, in one statement; null for an unknown,
 * expired or revoked token, or a disabled user. Slides the expiry forward when the session is
 * used in the last half of its life.
 */
export async function resolveSession(db: Kysely<DB>, token: string, now: Date): Promise<ResolvedSession | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .select([
      's.id as sessionId',
      's.expires_at as expiresAt',
      'u.id',
      'u.email',
      'u.name',
      'u.is_admin as isAdmin',
      'u.email_verified_at as emailVerifiedAt',
    ])
    .select((eb) =>
      jsonArrayFrom(eb.selectFrom('location_roles as r').whereRef('r.user_id', '=', 'u.id').select(['r.location_id as locationId', 'r.role'])).as(
        'roles',
      ),
    )
    .executeTakeFirst();
  if (!row) return null;

  let expiresAt = new Date(row.expiresAt);
  let renewed = false;
  if (expiresAt.getTime() - now.getTime() < SESSION_MS / 2) {
    expiresAt = new Date(now.getTime() + SESSION_MS);
    await db.updateTable('sessions').set({ expires_at: expiresAt, last_used_at: now }).where('id', '=', row.sessionId).execute();
    renewed = true;
  }
  return {
    user: { id: row.id, email: row.email, name: row.name, isAdmin: row.isAdmin, emailVerified: row.emailVerifiedAt !== null },
    session: { id: row.sessionId, expiresAt },
    roles: row.roles,
    renewed,
  };
}

/** Ends every session of a user (password reset, disable, role change), except one if given. */
export async function revokeAllSessions(db: Kysely<DB>, userId: string, exceptSessionId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
