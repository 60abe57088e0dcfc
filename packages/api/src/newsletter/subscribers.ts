import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { NEWSLETTER_CONFIRM_TTL_MS, normalizeEmail } from '@bistro/domain';
import type { Context } from '../context.js';
import type { DataKeys } from '../crypto/data-keys.js';
import { BistroError } from '../errors.js';
import { hashToken, newToken } from '../auth/tokens.js';

/**
 * Subscribers: the address is stored as guests' contact details are (AES-GCM with the data keys,
 * bound to its row) and found by a keyed hash of the normalised address (DataKeys.lookupHash).
 * Each subscriber has a one-click unsubscribe secret: its hash finds the row, its sealed copy
 * goes into every campaign email.
 */

const LOOKUP_PURPOSE = 'newsletter_subscribers.email';
export const emailAad = (subscriberId: string) => `newsletter_subscribers.email:${subscriberId}`;
export const unsubscribeAad = (subscriberId: string) => `newsletter_subscribers.unsubscribe:${subscriberId}`;

export function requireKeys(ctx: Pick<Context, 'services'>): DataKeys {
  const keys = ctx.services.dataKeys;
  if (!keys) throw new Error('Data keys are not configured (BISTRO_DATA_KEYS)');
  return keys;
}

export function emailLookupHash(keys: DataKeys, email: string): Buffer {
  return keys.lookupHash(normalizeEmail(email), LOOKUP_PURPOSE);
}

export interface Subscriber {
  id: string;
  status: 'pending' | 'confirmed' | 'unsubscribed';
}

/**
 * The subscriber row of this address on this list (a location's, or every location's when
 * `locationId` is null), created as `pending` if there is none. One statement: two racing
 * requests for the same address find the same row (the unique index decides).
 */
export async function findOrCreateSubscriber(
  db: Kysely<DB>,
  keys: DataKeys,
  values: { email: string; locationId: string | null; userId: string | null; now: Date },
): Promise<Subscriber> {
  const hash = emailLookupHash(keys, values.email);
  const existing = await findSubscriber(db, hash, values.locationId);
  if (existing) return existing;
  // The id is chosen here: the encrypted address is bound to it.
  const id = randomUUID();
  const unsubscribe = newToken();
  const inserted = await db
    .insertInto('newsletter_subscribers')
    .values({
      id,
      location_id: values.locationId,
      email_hash: hash,
      email_enc: keys.encrypt(normalizeEmail(values.email), emailAad(id)),
      user_id: values.userId,
      status: 'pending',
      unsubscribe_hash: unsubscribe.hash,
      unsubscribe_sealed: keys.encrypt(unsubscribe.token, unsubscribeAad(id)),
      created_at: values.now,
      updated_at: values.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'status'])
    .executeTakeFirst();
  if (inserted) return inserted;
  // Another request created it meanwhile.
  const raced = await findSubscriber(db, hash, values.locationId);
  if (!raced) throw new Error('newsletter subscriber vanished while being created');
  return raced;
}

async function findSubscriber(db: Kysely<DB>, hash: Buffer, locationId: string | null): Promise<Subscriber | undefined> {
  return db
    .selectFrom('newsletter_subscribers')
    .select(['id', 'status'])
    .where('email_hash', '=', hash)
    .where((eb) => (locationId === null ? eb('location_id', 'is', null) : eb('location_id', '=', locationId)))
    .executeTakeFirst();
}

/** A new single-use confirmation link's secret (only its hash is stored), valid NEWSLETTER_CONFIRM_TTL_MS. */
export async function issueConfirmToken(db: Kysely<DB>, subscriberId: string, now: Date): Promise<string> {
  const { token, hash } = newToken();
  await db
    .insertInto('newsletter_tokens')
    .values({ subscriber_id: subscriberId, token_hash: hash, created_at: now, expires_at: new Date(now.getTime() + NEWSLETTER_CONFIRM_TTL_MS) })
    .execute();
  return token;
}

/**
 * Uses a confirmation token, decided by one conditional UPDATE (unused, unexpired), so two
 * racing clicks cannot both use it; says why when it can't: TOKEN_USED, TOKEN_EXPIRED, TOKEN_INVALID.
 */
export async function consumeConfirmToken(db: Kysely<DB>, token: string, now: Date): Promise<string> {
  const hash = hashToken(token);
  const row = await db
    .updateTable('newsletter_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('subscriber_id')
    .executeTakeFirst();
  if (row) return row.subscriber_id;
  const found = await db.selectFrom('newsletter_tokens').select(['used_at as usedAt']).where('token_hash', '=', hash).executeTakeFirst();
  if (!found) throw tokenError('TOKEN_INVALID', 'This link is not valid');
  if (found.usedAt !== null) throw tokenError('TOKEN_USED', 'This link was already used');
  throw tokenError('TOKEN_EXPIRED', 'This link has expired; subscribe again for a new one');
}

function tokenError(code: 'TOKEN_INVALID' | 'TOKEN_USED' | 'TOKEN_EXPIRED', message: string): BistroError {
  return new BistroError(code, message, { fieldErrors: { token: [message] } });
}

/**
 * Unsubscribes the holder of an unsubscribe secret: idempotent (a second click, or the mail
 * client's POST after the page's, answers the same). Unknown secret: TOKEN_INVALID.
 */
export async function unsubscribeByToken(db: Kysely<DB>, token: string, now: Date): Promise<void> {
  const hash = hashToken(token);
  const changed = await db
    .updateTable('newsletter_subscribers')
    .set({ status: 'unsubscribed', unsubscribed_at: now, updated_at: now })
    .where('unsubscribe_hash', '=', hash)
    .where('status', '!=', 'unsubscribed')
    .returning('id')
    .executeTakeFirst();
  if (changed) return;
  const known = await db.selectFrom('newsletter_subscribers').select('id').where('unsubscribe_hash', '=', hash).executeTakeFirst();
  if (!known) throw tokenError('TOKEN_INVALID', 'This link is not valid');
}
