import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class DataKeyError extends Error {
  override name = 'DataKeyError';
}

/**
 * Encryption at rest for personal data the kitchen does not need (phone, email, address):
 * AES-256-GCM, a fresh random nonce per value, the key id stored with the ciphertext so keys
 * can be rotated (new values use the first key; old ones still decrypt with theirs). The
 * additional data binds a value to its place (`orders.contact_phone:<order id>`), so a
 * ciphertext copied to another row or column fails to decrypt. Tampering is an error, never garbage.
 *
 * Layout: version (1) | key id length (1) | key id | nonce (12) | tag (16) | ciphertext.
 */
export class DataKeys {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(keys: readonly { id: string; key: Buffer }[]) {
    if (keys.length === 0) throw new DataKeyError('At least one data key is needed');
    for (const { id, key } of keys) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new DataKeyError(`Data key id "${id}" must be 1–32 letters, digits, - or _`);
      if (key.length !== 32) throw new DataKeyError(`Data key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    }
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.currentKeyId = keys[0]!.id;
  }

  /** Parses `BISTRO_DATA_KEYS`: `id:base64key[,id:base64key…]`, the current key first. */
  static parse(spec: string): DataKeys {
    const keys = spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [id, encoded] = part.split(':');
        if (!id || !encoded) throw new DataKeyError('Expected id:base64key entries separated by commas');
        return { id, key: Buffer.from(encoded, 'base64') };
      });
    return new DataKeys(keys);
  }

  /** A new random key spec (for development data folders and `npm run` helpers). */
  // A key's id only has to differ from the previous key's; it is no request time.
  // eslint-disable-next-line no-restricted-syntax
  static generateSpec(id = `k${Date.now().toString(36)}`): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  encrypt(plaintext: string, aad: string): Buffer {
    const key = this.keys.get(this.currentKeyId)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const id = Buffer.from(this.currentKeyId, 'utf8');
    return Buffer.concat([Buffer.from([VERSION, id.length]), id, nonce, cipher.getAuthTag(), ciphertext]);
  }

  /**
   * A keyed hash (HMAC-SHA-256) to find a row by a value stored encrypted (a subscriber's
   * address), without decrypting every row and without a plain hash anyone could reverse by
   * trying addresses. Keyed by a key derived (HKDF, per `purpose`) from the OLDEST key held (the
   * last one listed): rotating in a new current key leaves lookups as they were. Retiring that
   * oldest key changes every hash, so its rows must be re-hashed first.
   */
  lookupHash(value: string, purpose: string): Buffer {
    const oldest = [...this.keys.values()].at(-1)!;
    const key = Buffer.from(hkdfSync('sha256', oldest, Buffer.alloc(0), `bistro lookup:${purpose}`, 32));
    return createHmac('sha256', key).update(value, 'utf8').digest();
  }

  decrypt(blob: Buffer, aad: string): string {
    if (blob.length < 2 || blob[0] !== VERSION) throw new DataKeyError('Unknown ciphertext format');
    const idLength = blob[1]!;
    const headerEnd = 2 + idLength;
    if (blob.length < headerEnd + NONCE_BYTES + TAG_BYTES) throw new DataKeyError('Ciphertext is truncated');
    const keyId = blob.subarray(2, headerEnd).toString('utf8');
    const key = this.keys.get(keyId);
    if (!key) throw new DataKeyError(`No data key "${keyId}" to decrypt with`);
    const nonce = blob.subarray(headerEnd, headerEnd + NONCE_BYTES);
    const tag = blob.subarray(headerEnd + NONCE_BYTES, headerEnd + NONCE_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(blob.subarray(headerEnd + NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DataKeyError('Ciphertext failed authentication (tampered, or bound to another row)');
    }
  }
}
