import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The guest's tracking token: 16 bytes of the order id and 16 random bytes (128 bits of
 * secret), base64url, 43 characters. The database keeps only the SHA-256 of the secret; the
 * order is found by its id and the secret compared in constant time.
 */
export function newTrackingToken(orderId: string): { token: string; secretHash: Buffer } {
  const secret = randomBytes(16);
  const id = Buffer.from(orderId.replaceAll('-', ''), 'hex');
  return { token: Buffer.concat([id, secret]).toString('base64url'), secretHash: hashSecret(secret) };
}

/** The order id a token names, and a check of its secret; null for a malformed token. */
export function readTrackingToken(token: string): { orderId: string; matches: (secretHash: Buffer) => boolean } | null {
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== token) return null;
  const hex = raw.subarray(0, 16).toString('hex');
  const orderId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const presented = hashSecret(raw.subarray(16));
  return { orderId, matches: (secretHash) => secretHash.length === presented.length && timingSafeEqual(secretHash, presented) };
}

function hashSecret(secret: Buffer): Buffer {
  return createHash('sha256').update(secret).digest();
}
