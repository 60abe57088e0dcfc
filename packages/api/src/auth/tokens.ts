import { createHash, randomBytes } from 'node:crypto';

/** A new secret (256 random bits, base64url) and the SHA-256 hash that is all the database keeps. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
