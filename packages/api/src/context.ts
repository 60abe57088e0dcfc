import type { Kysely } from 'kysely';
import type { BaseLogger } from 'pino';
import type { DB } from '@bistro/db';
import type { BistroErrorCode } from '@bistro/domain';
import type { SessionCache } from './auth/session-cache.js';
import { resolveSession, type ResolvedSession } from './auth/sessions.js';
import { hashToken } from './auth/tokens.js';
import { looksLikeApiKey, resolveApiKey } from './api-keys/keys.js';
import type { Limiter } from './limiter.js';
import type { Mailer } from './mailer.js';
import type { MediaStorage } from './media.js';
import type { Passwords } from './auth/passwords.js';
import type { Bus } from './bus.js';
import type { DataKeys } from './crypto/data-keys.js';
import type { Payments } from './payments/provider.js';
import type { JobQueue } from './jobs/queue.js';

/** A pino-compatible logger; on the server it is the request's child logger, carrying its id. */
export type Logger = Pick<BaseLogger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'>;

/** Long-lived helpers the server builds once and every request shares. */
export interface Services {
  /** Resolved sessions, so signed-in requests skip a query; absent: every request reads the database. */
  sessionCache?: SessionCache;
  /** Messages between instances (order events, cache invalidation); in-process without Redis. */
  bus?: Bus;
  /** Encrypts personal data at rest (BISTRO_DATA_KEYS). */
  dataKeys?: DataKeys;
  /** Cached menus, invalidated on every change (across instances with Redis). Absent: no cache. */
  menuCache?: MenuCacheLike;
  /** Where menu photos are stored (a folder or an S3 bucket). Absent: photos can't be uploaded. */
  media?: MediaStorage;
  /** The payment provider (the sandbox by default) and its settings. Absent: orders are paid at the counter only. */
  payments?: Payments;
  /** Measures every procedure call (metrics, tracing); absent: nothing is measured. */
  telemetry?: Telemetry;
  passwords: Passwords;
  limiter: Limiter;
  mailer: Mailer;
  /**
   * Background jobs (emails, scheduled work), enqueued in the transaction of the change that
   * causes them. Absent: nothing that enqueues may run (the server always has one).
   */
  jobs?: JobQueue;
  /** How fast campaigns go out (NEWSLETTER_RATE_PER_MINUTE); absent: NEWSLETTER_DEFAULTS (newsletter/sending.ts). */
  newsletter?: { ratePerMinute: number; batchSize?: number };
  settings: {
    /** Where links in emails point, e.g. https://bistro.example.com */
    publicUrl: string;
    /** Origins allowed to send cookie-authenticated mutations (the public URL's origin is always one). */
    allowedOrigins: readonly string[];
  };
}

/** What the server measures of each procedure call (apps/server/src/metrics.ts and tracing.ts). */
export interface Telemetry {
  /** Runs a call inside a trace span named `name`, a child of its request's span (or just runs it when tracing is off). */
  trace<T>(name: string, requestId: string, run: () => Promise<T>): Promise<T>;
  procedureEnded(call: { path: string; type: string; code: BistroErrorCode | 'OK'; seconds: number }): void;
}

/** See MenuCache in menu/cache.ts. */
export interface MenuCacheLike {
  invalidate(locationId: string): void;
}

/** What the HTTP layer tells a procedure about the request. */
export interface RequestInfo {
  /** The client's IP (X-Forwarded-For only counts when TRUST_PROXY says so). */
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
  /** The browser's Sec-Fetch-Site header, when sent. */
  fetchSite: string | null;
  /** Where the session token came from, if one was sent. */
  credential: 'cookie' | 'bearer' | null;
}

/** Sets or clears the session cookie on the response (the server knows the cookie's name and flags). */
export interface SessionCookies {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export type Auth = ResolvedSession & { via: 'cookie' | 'bearer' };

/** What every procedure gets. */
export interface Context {
  db: Kysely<DB>;
  log: Logger;
  requestId: string;
  /** The current instant; tests pass a fixed one. */
  now: () => Date;
  services: Services;
  request: RequestInfo;
  cookies: SessionCookies;
  /** The signed-in caller, or null. */
  auth: Auth | null;
  /** An API key was sent but opens nothing (unknown, revoked, expired): every procedure refuses it. */
  apiKeyRejected?: boolean;
}

export interface ContextOptions {
  db: Kysely<DB>;
  log: Logger;
  requestId: string;
  services: Services;
  now?: () => Date;
  request?: Partial<RequestInfo>;
  cookies?: SessionCookies;
  /** The session token sent with the request (cookie or bearer, per `request.credential`). */
  token?: string | null;
}

const noCookies: SessionCookies = { set() {}, clear() {} };

/** Builds a request's context, resolving its session token (one query) when one was sent. */
export async function createContext(options: ContextOptions): Promise<Context> {
  // The one place a request's clock is the wall clock; everything else asks ctx.now().
  // eslint-disable-next-line no-restricted-syntax
  const now = options.now ?? (() => new Date());
  const request: RequestInfo = {
    ip: options.request?.ip ?? null,
    userAgent: options.request?.userAgent ?? null,
    origin: options.request?.origin ?? null,
    fetchSite: options.request?.fetchSite ?? null,
    credential: options.token ? (options.request?.credential ?? 'bearer') : null,
  };
  const cookies = options.cookies ?? noCookies;
  let auth: Auth | null = null;
  let apiKeyRejected = false;
  if (options.token && request.credential) {
    const cache = options.services.sessionCache;
    const key = cache ? hashToken(options.token).toString('base64url') : '';
    // An API key is only ever a bearer credential; a cookie holding one opens nothing.
    const isKey = looksLikeApiKey(options.token);
    let resolved = isKey && request.credential !== 'bearer' ? undefined : cache?.get(key, now());
    if (!resolved && !(isKey && request.credential !== 'bearer')) {
      const fill = cache?.startFill() ?? 0;
      resolved = (await (isKey ? resolveApiKey : resolveSession)(options.db, options.token, now())) ?? undefined;
      if (resolved && cache) cache.set(key, resolved, fill, now());
    }
    if (isKey && !resolved) apiKeyRejected = true;
    if (resolved) {
      auth = { ...resolved, via: request.credential };
      if (resolved.renewed && auth.via === 'cookie') cookies.set(options.token, resolved.session.expiresAt);
    } else if (request.credential === 'cookie') {
      // A stale cookie is dropped so the browser stops sending it.
      cookies.clear();
    }
  }
  return { db: options.db, log: options.log, requestId: options.requestId, now, services: options.services, request, cookies, auth, apiKeyRejected };
}
