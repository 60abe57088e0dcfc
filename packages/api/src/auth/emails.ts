import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { LocationRole, TokenKind } from '@bistro/domain';
import type { Context } from '../context.js';
import { BistroError } from '../errors.js';
import { hashToken, newToken } from './tokens.js';

/** How long each single-use link works. */
export const TOKEN_TTL_MS: Record<TokenKind, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
  invitation: 7 * 24 * 60 * 60 * 1000,
};

/** Issues a single-use token (only its hash is stored) and returns the secret for the link. */
export async function issueToken(
  db: Kysely<DB>,
  values: { kind: TokenKind; email: string; userId?: string | null; locationId?: string | null; role?: LocationRole | null; createdBy?: string | null; now: Date },
): Promise<string> {
  const { token, hash } = newToken();
  await db
    .insertInto('auth_tokens')
    .values({
      kind: values.kind,
      token_hash: hash,
      email: values.email,
      user_id: values.userId ?? null,
      location_id: values.locationId ?? null,
      role: values.role ?? null,
      created_by: values.createdBy ?? null,
      created_at: values.now,
      expires_at: new Date(values.now.getTime() + TOKEN_TTL_MS[values.kind]),
    })
    .execute();
  return token;
}

const pending = new Set<Promise<void>>();

/**
 * Runs work after the answer has gone (lookups and emails whose timing must not reveal
 * anything). Failures are logged, never thrown. `backgroundWorkSettled()` waits for it all.
 */
export function inBackground(ctx: Pick<Context, 'log'>, what: string, work: () => Promise<void>, logFields: Record<string, unknown> = {}): void {
  const running: Promise<void> = Promise.resolve()
    .then(work)
    .catch((error: unknown) => {
      ctx.log.error({ err: error, ...logFields }, `${what} failed`);
    })
    .finally(() => pending.delete(running));
  pending.add(running);
}

/** Resolves once every piece of background work (including work it started) has finished: for shutdown and tests. */
export async function backgroundWorkSettled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

export interface ConsumedToken {
  id: string;
  userId: string | null;
  email: string;
  locationId: string | null;
  role: LocationRole | null;
  createdBy: string | null;
}

/**
 * Uses a single-use token, decided by the database: one conditional UPDATE marks it used only
 * if it is of this kind, unused and unexpired, so two racing requests cannot both use it. When
 * it can't be used, says why: TOKEN_USED, TOKEN_EXPIRED or TOKEN_INVALID (unknown, or of
 * another kind). Run it in the transaction of the change it allows, so a refused change leaves
 * the token unused.
 */
export async function consumeToken(db: Kysely<DB>, kind: TokenKind, token: string, now: Date): Promise<ConsumedToken> {
  const row = await db
    .updateTable('auth_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'user_id as userId', 'email', 'location_id as locationId', 'role', 'created_by as createdBy'])
    .executeTakeFirst();
  if (row) return row;
  await peekToken(db, kind, token, now);
  // Usable a moment ago but not by the UPDATE's clock: treat as expired.
  throw tokenError('TOKEN_EXPIRED', 'This link has expired; ask for a new one');
}

/**
 * Checks a token the way consumeToken would, without using it, and says whom it was sent to:
 * a cheap refusal before costly work (argon2). The use itself is still decided by consumeToken.
 */
export async function peekToken(db: Kysely<DB>, kind: TokenKind, token: string, now: Date): Promise<{ email: string; userId: string | null }> {
  const found = await db
    .selectFrom('auth_tokens')
    .select(['used_at as usedAt', 'expires_at as expiresAt', 'email', 'user_id as userId'])
    .where('token_hash', '=', hashToken(token))
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (!found) throw tokenError('TOKEN_INVALID', 'This link is not valid; ask for a new one');
  if (found.usedAt !== null) throw tokenError('TOKEN_USED', 'This link was already used; ask for a new one');
  if (new Date(found.expiresAt).getTime() <= now.getTime()) throw tokenError('TOKEN_EXPIRED', 'This link has expired; ask for a new one');
  return { email: found.email, userId: found.userId };
}

function tokenError(code: 'TOKEN_INVALID' | 'TOKEN_USED' | 'TOKEN_EXPIRED', message: string): BistroError {
  return new BistroError(code, message, { fieldErrors: { token: [message] } });
}
