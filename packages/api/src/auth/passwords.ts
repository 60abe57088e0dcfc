import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { BistroError } from '../errors.js';

/** OWASP's argon2id parameters: 19 MiB, 2 iterations, 1 lane. */
// `algorithm: 2` is Argon2id (a const enum in the typings, which isolated modules can't read).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes at once by default: half the cores, at most 3. Each argon2id hash holds a core for
 * tens of ms; on 2 cores, two at a time left the event loop and PostgreSQL fighting for CPU
 * (bench, 4 runs each: menu.get p99 during a sign-in flood ×1.65–2.5 with two, ×0.8–1.9 with
 * one, for 12–14 instead of ~30 sign-ins/s). libuv's pool has 4 threads; one stays free for
 * fs, dns and crypto.
 */
export const DEFAULT_HASH_CONCURRENCY = Math.max(1, Math.min(3, Math.floor(availableParallelism() / 2)));

export interface PasswordsOptions {
  /** Hashes running at once (default DEFAULT_HASH_CONCURRENCY); the rest wait. Keeps a sign-in flood from starving other work. */
  concurrency?: number;
  /** Hashes allowed to wait; beyond that callers get TOO_MANY_REQUESTS at once. */
  queueLimit?: number;
}

let common: Set<string> | undefined;

/**
 * Password hashing with argon2id on libuv's thread pool (never on the event loop), capped in
 * concurrency, plus the check against ~50 000 common breached passwords (zxcvbn-ts's list).
 */
export class Passwords {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private dummy: Promise<string> | undefined;

  constructor(options: PasswordsOptions = {}) {
    this.concurrency = options.concurrency ?? DEFAULT_HASH_CONCURRENCY;
    this.queueLimit = options.queueLimit ?? 100;
  }

  /** True when the password is on the common-passwords list (compared case-insensitively). */
  static isCommon(password: string): boolean {
    common ??= new Set(dictionary['passwords-common']);
    return common.has(password.normalize('NFKC').toLowerCase());
  }

  /** Refuses a common password with PASSWORD_TOO_COMMON, naming the field. */
  static assertNotCommon(password: string, field = 'password'): void {
    if (Passwords.isCommon(password)) {
      throw new BistroError('PASSWORD_TOO_COMMON', 'This password is too common; choose another', {
        fieldErrors: { [field]: ['This password appears in lists of breached passwords; choose another'] },
      });
    }
  }

  hash(password: string): Promise<string> {
    return this.limited(() => hash(password.normalize('NFKC'), ARGON2));
  }

  /** Verifies against a stored hash; with `null` (no such account) it verifies a dummy so both take the same time. */
  async verify(storedHash: string | null, password: string): Promise<boolean> {
    if (storedHash === null) {
      this.dummy ??= hash('dummy password for timing', ARGON2);
      await this.limited(async () => verify(await this.dummy!, password.normalize('NFKC')));
      return false;
    }
    return this.limited(() => verify(storedHash, password.normalize('NFKC')));
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) {
        throw new BistroError('TOO_MANY_REQUESTS', 'The server is busy; try again shortly', { retryAfterSeconds: 1 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
