import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { PlaceInput } from '@bistro/domain';
import type { Context } from '../context.js';
import type { DataKeys } from '../crypto/data-keys.js';
import { BistroError } from '../errors.js';
import type { PaymentStep } from '../payments/start.js';

/** What orders.place answers. */
export interface PlacedOrder {
  id: string;
  /** The daily number the counter calls out: "#A-042". */
  number: string;
  /** `pending_payment` when paid online: the kitchen sees it once the payment is captured. */
  status: 'placed' | 'pending_payment';
  totalMinor: number;
  currency: string;
  /** The guest's secret for following the order (orders.track, orders.onStatus). */
  trackingToken: string;
  /** Paid online: what the payment page needs; null at the counter. */
  payment: PaymentStep | null;
}

/** What the idempotency row keeps: the answer, with the tracking token sealed (it is a secret) and the online tender by id. */
interface StoredAnswer extends Omit<PlacedOrder, 'trackingToken' | 'payment'> {
  trackingTokenSealed: string;
  tenderId: string | null;
}

/** One idempotency key as orders.place claims it. */
export interface KeyClaim {
  scope: string;
  key: string;
  requestHash: Buffer;
}

/** JSON with object keys sorted, so equal requests hash equally whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The key of this request, in the scope it lives in. A signed-in caller's keys are theirs. A
 * guest has no account, so their keys are scoped by the contact they give: a retry carries the
 * same contact (it is the same request), whatever network it comes from; the client's IP is
 * deliberately not part of it, since a retry after switching from Wi-Fi to mobile data is
 * exactly what idempotency is for. Two guests never share a scope unless they give the same
 * contact details, and even then a stored answer is only handed to a request identical in
 * every field (the request hash).
 */
export function keyOf(ctx: Pick<Context, 'auth'>, input: PlaceInput): KeyClaim {
  const { idempotencyKey, ...request } = input;
  // A key's retries are its own: never mixed with its creator's own orders.
  const scope = ctx.auth?.apiKey
    ? `key:${ctx.auth.apiKey.id}`
    : ctx.auth
      ? `user:${ctx.auth.user.id}`
      : `guest:${sha256(canonical(input.contact)).toString('base64url')}`;
  return { scope, key: idempotencyKey, requestHash: sha256(canonical(request)) };
}

function trackingAad(orderId: string): string {
  return `idempotency_keys.tracking_token:${orderId}`;
}

/** The tracking token as the stored answer keeps it. */
export function sealTrackingToken(keys: DataKeys, orderId: string, token: string): string {
  return keys.encrypt(token, trackingAad(orderId)).toString('base64');
}

/** The tracking token sealed by `sealTrackingToken`, in the clear (the emails' links). */
export function openTrackingToken(keys: DataKeys, orderId: string, sealed: string): string {
  return keys.decrypt(Buffer.from(sealed, 'base64'), trackingAad(orderId));
}

/**
 * Claims the key, first thing in the transaction: a concurrent attempt with the same key waits
 * here until the first commits (then answers what it answered) or rolls back (then goes on).
 * False when the key was already used. It takes no contended lock.
 */
export async function claimKey(trx: Kysely<DB>, claim: KeyClaim, now: Date): Promise<boolean> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ scope: claim.scope, key: claim.key, request_hash: claim.requestHash, created_at: now })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

/**
 * The answer the first attempt with this key gave, for a retry of the same request;
 * IDEMPOTENCY_KEY_REUSED for a different request under the same key.
 */
export async function replay(trx: Kysely<DB>, keys: DataKeys, claim: KeyClaim): Promise<Omit<PlacedOrder, 'payment'> & { tenderId: string | null }> {
  const first = await trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .executeTakeFirst();
  if (!first?.response) throw new Error('Idempotency key row without an answer');
  if (!first.request_hash.equals(claim.requestHash)) {
    throw new BistroError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different order; use a fresh key for a new order');
  }
  // Field by field: jsonb keeps its own key order, and a replay must read exactly like the first answer.
  const stored = first.response as unknown as StoredAnswer;
  return {
    id: stored.id,
    number: stored.number,
    status: stored.status,
    totalMinor: stored.totalMinor,
    currency: stored.currency,
    trackingToken: keys.decrypt(Buffer.from(stored.trackingTokenSealed, 'base64'), trackingAad(stored.id)),
    tenderId: stored.tenderId ?? null,
  };
}
