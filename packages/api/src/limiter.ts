import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { BistroError } from './errors.js';

/** Each throttled action, with how many attempts it allows per window. */
export const LIMITS = {
  /** Failed sign-ins per account (normalized email, whether or not it exists). */
  signInAccount: { points: 10, durationSeconds: 15 * 60 },
  /** Failed sign-ins per client IP, across accounts (credential stuffing). */
  signInIp: { points: 50, durationSeconds: 15 * 60 },
  /** Sign-ups per client IP. */
  signUpIp: { points: 10, durationSeconds: 60 * 60 },
  /** Password-reset and verification emails per client IP, and per address. */
  emailIp: { points: 10, durationSeconds: 60 * 60 },
  emailAddress: { points: 3, durationSeconds: 60 * 60 },
  /** Orders placed by guests (not signed in) per client IP: a real party orders a few times, a script hundreds. */
  placeIp: { points: 30, durationSeconds: 10 * 60 },
  /** Orders placed by a signed-in customer per account (idempotent replays do not count). */
  placeUser: { points: 30, durationSeconds: 10 * 60 },
  /** Calls per API key, whatever they are (a POS polls the kitchen queue; a runaway script is stopped). */
  apiKey: { points: 600, durationSeconds: 60 },
} as const;
export type LimitName = keyof typeof LIMITS;

/**
 * Attempt counters. With Redis they are shared by every server instance (so spreading a brute
 * force over instances gains nothing); without it they live in this process. When Redis fails,
 * an in-memory limiter stands in rather than letting everything through.
 */
export class Limiter {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;

  constructor(redis?: Redis) {
    const make = (name: LimitName): RateLimiterAbstract => {
      const { points, durationSeconds } = LIMITS[name];
      const options = { keyPrefix: `bistro:limit:${name}`, points, duration: durationSeconds };
      return redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
    };
    this.limiters = {
      signInAccount: make('signInAccount'),
      signInIp: make('signInIp'),
      signUpIp: make('signUpIp'),
      emailIp: make('emailIp'),
      emailAddress: make('emailAddress'),
      placeIp: make('placeIp'),
      placeUser: make('placeUser'),
      apiKey: make('apiKey'),
    };
  }

  /**
   * Counts one attempt; refuses once the attempts are used up. The count is taken atomically
   * before the work it guards, so concurrent attempts cannot all slip past one check.
   */
  async hit(name: LimitName, key: string): Promise<void> {
    try {
      await this.limiters[name].consume(key, 1);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw tooMany(error);
      throw error;
    }
  }

  /** Gives back one attempt taken by `hit` (the attempt succeeded, or never did the guarded work). */
  async refund(name: LimitName, key: string): Promise<void> {
    await this.limiters[name].reward(key, 1);
  }

  async reset(name: LimitName, key: string): Promise<void> {
    await this.limiters[name].delete(key);
  }
}

function tooMany(state: RateLimiterRes): BistroError {
  const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return new BistroError('TOO_MANY_REQUESTS', `Too many attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
