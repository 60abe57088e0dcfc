import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const milliseconds = z.coerce.number({ error: 'expected milliseconds' }).int('expected a whole number of milliseconds').min(0, 'expected milliseconds');

/** A socket may stay silent this long at least: live feeds send a ping every 15 s. */
const MIN_IDLE_TIMEOUT_MS = 20_000;

/** Every variable Bistro reads, validated once at start-up. */
const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole number')
    .min(0, 'expected 0–65535')
    .max(65535, 'expected 0–65535')
    .default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// or postgresql:// connection string')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DB_POOL_SIZE: z.coerce.number({ error: 'expected a number' }).int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SEED_DEMO: booleanFlag.default(false),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  ALLOWED_ORIGINS: z
    .string()
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'expected comma-separated http(s) origins' }).transform((o) => new URL(o).origin)))
    .optional(),
  TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      if (v === 'true') return true as const;
      if (v === 'false') return false as const;
      if (/^\d+$/.test(v)) return Number(v);
      const list = v.split(',').map((s) => s.trim()).filter(Boolean);
      if (list.length && list.every((s) => /^[0-9a-fA-F.:/]+$/.test(s))) return list;
      ctx.addIssue({ code: 'custom', message: 'expected true, false, a hop count, or comma-separated proxy IPs/CIDRs' });
      return z.NEVER;
    })
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'expected an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).max(200).default('Bistro <no-reply@bistro.localhost>'),
  MENU_CACHE: booleanFlag.default(true),
  BISTRO_DATA_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, 'expected id:base64-of-32-bytes[,id:key…], the current key first')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'expected milliseconds' }).int().min(0).max(120_000).default(8_000),
  MAX_CONNECTIONS_PER_IP: z.coerce.number({ error: 'expected a number' }).int('expected a whole number').min(0, 'expected 0 (no cap) or more').max(100_000).optional(),
  DB_STARTUP_TIMEOUT_MS: milliseconds.max(600_000).default(30_000),
  REQUEST_TIMEOUT_MS: milliseconds.min(100).max(600_000).default(30_000),
  HEADERS_TIMEOUT_MS: milliseconds.min(100).max(600_000).default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: milliseconds.min(100).max(600_000).default(72_000),
  IDLE_TIMEOUT_MS: milliseconds
    .min(MIN_IDLE_TIMEOUT_MS, `expected at least ${MIN_IDLE_TIMEOUT_MS} ms (live feeds are quiet for up to 15 s between pings)`)
    .max(3_600_000)
    .default(120_000),
  WORKERS: booleanFlag.default(true),
  /** Campaign emails sent per minute at most by the whole deployment (every campaign and instance share it: send_pacing), 1 to 100 000. */
  NEWSLETTER_RATE_PER_MINUTE: z.coerce
    .number({ error: 'expected emails per minute' })
    .int('expected a whole number of emails per minute')
    .min(1, 'expected at least 1 email per minute')
    .max(100_000, 'expected at most 100000 emails per minute')
    .default(600),
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').max(200).regex(/^\S+$/, 'expected no spaces').optional(),
  METRICS_PORT: z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65535).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(100).default('bistro'),
  MEDIA_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Payments (issue 14).
  PAYMENTS_PROVIDER: z.enum(['sandbox', 'stripe', 'none'], { error: 'expected sandbox, stripe or none' }).optional(),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'expected a Stripe secret key (sk_test_… or sk_live_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'expected a Stripe webhook signing secret (whsec_…)').optional(),
  /** Public by design (the browser loads Stripe.js with it); without it the web checkout offers no Stripe payment. */
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_[A-Za-z0-9]+$/, 'expected a Stripe publishable key (pk_test_… or pk_live_…)').optional(),
  PAYMENT_TIMEOUT_MINUTES: z.coerce.number({ error: 'expected minutes' }).int('expected whole minutes').min(1, 'expected at least 1 minute').max(1440, 'expected at most 1440 minutes').default(15),
  SANDBOX_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'expected the identity provider\'s issuer URL (https://…)' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_AFTER_SIGN_IN_PATH: z
    .string()
    .regex(/^\/(?![/\\])[\x21-\x7e]*$/, 'expected a path on this site, like /account (not another site)')
    .default('/account'),
  WEB_DIR: z.string().min(1).optional(),
});

export interface Config {
  port: number;
  host: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  dbPoolSize: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  nodeEnv: z.infer<typeof envSchema>['NODE_ENV'];
  /** Seed the demo group into an empty DATABASE_URL database (the embedded one is always seeded when new). */
  seedDemo: boolean;
  /** How long in-flight requests get to finish on SIGTERM before their connections are cut. */
  shutdownTimeoutMs: number;
  /** The address users reach Bistro at (links in emails; https turns on Secure cookies). */
  publicUrl: string;
  /** Origins allowed to send cookie-authenticated mutations. */
  allowedOrigins: string[];
  /** Whether (and which) proxies' X-Forwarded-For to believe. */
  trustProxy: boolean | number | string[];
  /** Shares rate limits, session and menu cache invalidation and live order events across instances; unset: in process. */
  redisUrl: string | undefined;
  /** Outgoing email; unset: messages are printed to the log (development). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where menu photos are stored when no S3 bucket is configured (MEDIA_DIR, default DATA_DIR/media). */
  mediaDir: string;
  /** An S3-compatible bucket for menu photos (S3_*); unset: the mediaDir folder. */
  s3: S3Config | undefined;
  /** Keep prepared menus in memory until they change (on by default). */
  menuCache: boolean;
  /** Keys for personal data at rest; unset outside production: generated into DATA_DIR. */
  dataKeys: string | undefined;
  /** Run the background jobs (emails, scheduled work) in this process; false: only enqueue them (`npm run worker` runs them). */
  workers: boolean;
  /** Campaign emails per minute at most (NEWSLETTER_RATE_PER_MINUTE). */
  newsletterRatePerMinute: number;
  /**
   * Open connections one address may hold (further ones are closed at once); 0: no cap. Off by
   * default behind a proxy (TRUST_PROXY), where every connection comes from the proxy.
   */
  maxConnectionsPerIp: number;
  /** How long start-up waits for an unreachable database before giving up (0: not at all). */
  dbStartupTimeoutMs: number;
  /** Online payments (issue 14): the provider (none: counter only), its secrets, and how long an unpaid order waits. */
  payments: PaymentsConfig;
  /** Prometheus metrics: at /metrics with this bearer token, and/or on their own port; neither: not served. */
  metrics: { token: string | undefined; port: number | undefined };
  /** OpenTelemetry tracing to this OTLP/HTTP endpoint; unset: off. */
  otel: { endpoint: string; serviceName: string } | undefined;
  /** Sign-in with an identity provider (OIDC_*); unset: password only. */
  oidc: OidcConfig | undefined;
  /** The built web app served at `/` (WEB_DIR, default apps/web/dist); nothing is served at `/` when it holds no build. */
  webDir: string;
  /** Limits on what a client may hold: see `timeouts` in server.ts. */
  timeouts: {
    /** To send a whole request, headers and body; past it, 408 and the connection closes. */
    requestMs: number;
    /** To send the request's headers. */
    headersMs: number;
    /** An idle keep-alive connection is closed after this. */
    keepAliveMs: number;
    /** A connection with no traffic either way for this long is closed. */
    idleMs: number;
  };
}

export type PaymentsConfig =
  | { provider: 'none'; timeoutMinutes: number }
  | { provider: 'sandbox'; timeoutMinutes: number; sandboxSecret: string | undefined }
  | { provider: 'stripe'; timeoutMinutes: number; stripeSecretKey: string; stripeWebhookSecret: string; stripePublishableKey: string | undefined };

/** The payments provider and its secrets: Stripe needs both of its own (never echoed). */
function paymentsConfig(e: z.infer<typeof envSchema>): PaymentsConfig {
  const timeoutMinutes = e.PAYMENT_TIMEOUT_MINUTES;
  // The sandbox by default, except in production, where only an explicit provider takes payments.
  const provider = e.PAYMENTS_PROVIDER ?? (e.NODE_ENV === 'production' ? 'none' : 'sandbox');
  if (provider === 'none') return { provider: 'none', timeoutMinutes };
  if (provider === 'sandbox') {
    if (e.NODE_ENV === 'production') throw new ConfigError(['PAYMENTS_PROVIDER: the sandbox takes no real money; set stripe (or none) in production']);
    return { provider: 'sandbox', timeoutMinutes, sandboxSecret: e.SANDBOX_SECRET };
  }
  const missing = (['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const).filter((name) => e[name] === undefined);
  if (missing.length) throw new ConfigError(missing.map((name) => `${name}: required with PAYMENTS_PROVIDER=stripe`));
  return { provider: 'stripe', timeoutMinutes, stripeSecretKey: e.STRIPE_SECRET_KEY!, stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET!, stripePublishableKey: e.STRIPE_PUBLISHABLE_KEY };
}

export interface S3Config {
  bucket: string;
  /** Unset: AWS itself; set for MinIO, R2 and other S3-compatible stores. */
  endpoint: string | undefined;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the browser lands after the provider's callback (a path of the web app); a refusal adds `?signInError=CODE`. */
  afterSignInPath: string;
  /** An http:// issuer (a provider on this machine): only outside production. */
  allowInsecure: boolean;
}

const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** The identity provider, when any of its three variables is set: then all three must be. */
function oidcConfig(e: z.infer<typeof envSchema>): OidcConfig | undefined {
  if (!OIDC_REQUIRED.some((name) => e[name] !== undefined)) return undefined;
  const missing = OIDC_REQUIRED.filter((name) => e[name] === undefined);
  if (missing.length) throw new ConfigError(missing.map((name) => `${name}: required when any of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET is set`));
  const insecure = e.OIDC_ISSUER!.startsWith('http://');
  if (insecure && e.NODE_ENV === 'production') throw new ConfigError(['OIDC_ISSUER: must be https:// in production']);
  return { issuer: e.OIDC_ISSUER!, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, afterSignInPath: e.OIDC_AFTER_SIGN_IN_PATH, allowInsecure: insecure };
}

const S3_REQUIRED = ['S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** The bucket, when any S3_* variable is set: then all but S3_ENDPOINT must be. */
function s3Config(e: z.infer<typeof envSchema>): S3Config | undefined {
  if (!S3_REQUIRED.some((name) => e[name] !== undefined) && e.S3_ENDPOINT === undefined) return undefined;
  const missing = S3_REQUIRED.filter((name) => e[name] === undefined);
  if (missing.length) throw new ConfigError(missing.map((name) => `${name}: required when any S3_* variable is set`));
  return {
    bucket: e.S3_BUCKET!,
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION!,
    accessKeyId: e.S3_ACCESS_KEY_ID!,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from environment variables. A wrong value throws a ConfigError
 * naming each bad variable (but never echoing its value: it may be a secret).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = result.data;
  if (e.NODE_ENV === 'production' && !e.SMTP_URL) {
    // Without SMTP, emails (with their reset and invitation links) would be printed to the log.
    throw new ConfigError(['SMTP_URL: required in production (password resets and invitations are sent by email)']);
  }
  if (e.NODE_ENV === 'production' && e.SEED_DEMO) {
    // The demo accounts' password is printed to the log: anyone reading it would be an admin.
    throw new ConfigError(['SEED_DEMO: not allowed in production (the demo accounts, an admin among them, have a password printed to the log)']);
  }
  if (e.NODE_ENV === 'production' && !e.BISTRO_DATA_KEYS) {
    throw new ConfigError(['BISTRO_DATA_KEYS: required in production (personal data is encrypted at rest); generate one with `node -e "console.log(\'k1:\' + require(\'crypto\').randomBytes(32).toString(\'base64\'))"`']);
  }
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    // Node refuses a headers timeout longer than the whole request's.
    throw new ConfigError(['HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS']);
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT || 3000}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    dbPoolSize: e.DB_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (process.stdout.isTTY && e.NODE_ENV !== 'production' ? 'pretty' : 'json'),
    nodeEnv: e.NODE_ENV,
    seedDemo: e.SEED_DEMO,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    publicUrl,
    allowedOrigins: [...new Set([new URL(publicUrl).origin, ...(e.ALLOWED_ORIGINS ?? [])])],
    trustProxy: e.TRUST_PROXY ?? false,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mediaDir: e.MEDIA_DIR ?? join(e.DATA_DIR, 'media'),
    s3: s3Config(e),
    oidc: oidcConfig(e),
    menuCache: e.MENU_CACHE,
    dataKeys: e.BISTRO_DATA_KEYS,
    workers: e.WORKERS,
    newsletterRatePerMinute: e.NEWSLETTER_RATE_PER_MINUTE,
    dbStartupTimeoutMs: e.DB_STARTUP_TIMEOUT_MS,
    payments: paymentsConfig(e),
    // apps/web/dist beside this package, from src/ (tests) and dist/ (npm start) alike.
    webDir: e.WEB_DIR ?? fileURLToPath(new URL('../../web/dist', import.meta.url)),
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP ?? (e.TRUST_PROXY === undefined || e.TRUST_PROXY === false ? 256 : 0),
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    otel: e.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME } : undefined,
    timeouts: {
      requestMs: e.REQUEST_TIMEOUT_MS,
      headersMs: e.HEADERS_TIMEOUT_MS,
      keepAliveMs: e.KEEP_ALIVE_TIMEOUT_MS,
      idleMs: e.IDLE_TIMEOUT_MS,
    },
  };
}
