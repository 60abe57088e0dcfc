import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const PRODUCTION = { NODE_ENV: 'production', BISTRO_DATA_KEYS: KEY, SMTP_URL: 'smtp://mail:25' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration in production', () => {
  it('needs the data keys and an SMTP server, naming each', () => {
    expect(problems({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25' })).toEqual([expect.stringMatching(/^BISTRO_DATA_KEYS: required in production/)]);
    expect(problems({ NODE_ENV: 'production', BISTRO_DATA_KEYS: KEY })).toEqual([expect.stringMatching(/^SMTP_URL: required in production/)]);
    expect(problems({ NODE_ENV: 'production', BISTRO_DATA_KEYS: KEY, SMTP_URL: 'smtp://mail:25' })).toEqual([]);
  });

  it('refuses malformed data keys without echoing them', () => {
    const found = problems({ BISTRO_DATA_KEYS: 'k1:too-short-secret' });
    expect(found).toEqual([expect.stringMatching(/^BISTRO_DATA_KEYS: /)]);
    expect(found.join()).not.toContain('too-short-secret');
  });

  it('derives allowed origins from PUBLIC_URL and adds the listed ones', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://bistro.example/', ALLOWED_ORIGINS: 'https://app.bistro.example, http://localhost:5173' });
    expect(config.publicUrl).toBe('https://bistro.example');
    expect(config.allowedOrigins).toEqual(['https://bistro.example', 'https://app.bistro.example', 'http://localhost:5173']);
  });
});

describe('the demo seed', () => {
  it('is refused in production, naming SEED_DEMO (its admin password would be printed to the log)', () => {
    expect(problems({ ...PRODUCTION, SEED_DEMO: 'true' })).toEqual([expect.stringMatching(/^SEED_DEMO: /)]);
    expect(problems(PRODUCTION)).toEqual([]);
    expect(problems({ ...PRODUCTION, SEED_DEMO: 'false' })).toEqual([]);
  });

  it('is allowed in development and in tests', () => {
    expect(loadConfig({ SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });
});

describe('timeouts', () => {
  it('default to limits fit for a public server, and take milliseconds from the environment', () => {
    expect(loadConfig({}).timeouts).toEqual({ requestMs: 30_000, headersMs: 10_000, keepAliveMs: 72_000, idleMs: 120_000 });
    expect(loadConfig({}).dbStartupTimeoutMs).toBe(30_000);
    const config = loadConfig({ REQUEST_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '5000', KEEP_ALIVE_TIMEOUT_MS: '5000', IDLE_TIMEOUT_MS: '30000', DB_STARTUP_TIMEOUT_MS: '0' });
    expect(config.timeouts).toEqual({ requestMs: 60_000, headersMs: 5_000, keepAliveMs: 5_000, idleMs: 30_000 });
    expect(config.dbStartupTimeoutMs).toBe(0);
  });

  it('refuses a headers timeout longer than the request timeout, an idle timeout that would cut a live feed, and non-numbers', () => {
    expect(problems({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '10000' })).toEqual(['HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS']);
    expect(problems({ IDLE_TIMEOUT_MS: '10000' })).toEqual([expect.stringMatching(/^IDLE_TIMEOUT_MS: expected at least 20000 ms \(live feeds/)]);
    expect(problems({ REQUEST_TIMEOUT_MS: 'soon' })).toEqual([expect.stringMatching(/^REQUEST_TIMEOUT_MS: expected milliseconds/)]);
    expect(problems({ DB_STARTUP_TIMEOUT_MS: '-1' })).toEqual([expect.stringMatching(/^DB_STARTUP_TIMEOUT_MS: /)]);
  });
});

describe('the cap on connections per address', () => {
  it('is on by default, off by default behind a proxy (every connection comes from it), and can be set', () => {
    expect(loadConfig({}).maxConnectionsPerIp).toBe(256);
    expect(loadConfig({ TRUST_PROXY: '1' }).maxConnectionsPerIp).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '1', MAX_CONNECTIONS_PER_IP: '64' }).maxConnectionsPerIp).toBe(64);
    expect(loadConfig({ MAX_CONNECTIONS_PER_IP: '0' }).maxConnectionsPerIp).toBe(0);
    expect(problems({ MAX_CONNECTIONS_PER_IP: '-1' })).toEqual([expect.stringMatching(/^MAX_CONNECTIONS_PER_IP: /)]);
  });
});

describe('payments configuration', () => {
  it('is the sandbox by default, none by default in production, and refuses the sandbox in production', () => {
    expect(loadConfig({}).payments).toMatchObject({ provider: 'sandbox', timeoutMinutes: 15 });
    expect(loadConfig(PRODUCTION).payments.provider).toBe('none');
    expect(() => loadConfig({ ...PRODUCTION, PAYMENTS_PROVIDER: 'sandbox' })).toThrow(/PAYMENTS_PROVIDER/);
  });

  it('needs both Stripe secrets with stripe, naming each missing one and never echoing a value', () => {
    const key = 'sk_test_secretvalue123';
    let message = '';
    try {
      loadConfig({ PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: key });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRET: required/);
    expect(message).not.toContain(key);
    expect(loadConfig({ PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).payments.provider).toBe('stripe');
    expect(() => loadConfig({ PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'pk_test_public', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toThrow(/STRIPE_SECRET_KEY/);
  });

  it('takes Stripe’s publishable key for the web checkout, and refuses a secret key in its place', () => {
    const stripe = { PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_secretvalue123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
    expect(loadConfig({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'pk_test_public123' }).payments).toMatchObject({ provider: 'stripe', stripePublishableKey: 'pk_test_public123' });
    expect(loadConfig(stripe).payments).toMatchObject({ provider: 'stripe', stripePublishableKey: undefined });
    let message = '';
    try {
      loadConfig({ ...stripe, STRIPE_PUBLISHABLE_KEY: 'sk_test_secretvalue456' });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/STRIPE_PUBLISHABLE_KEY/);
    expect(message).not.toContain('sk_test_secretvalue456');
  });

  it('takes PAYMENT_TIMEOUT_MINUTES from 1 to 1440', () => {
    expect(loadConfig({ PAYMENT_TIMEOUT_MINUTES: '1' }).payments.timeoutMinutes).toBe(1);
    expect(() => loadConfig({ PAYMENT_TIMEOUT_MINUTES: '0' })).toThrow(/PAYMENT_TIMEOUT_MINUTES/);
    expect(() => loadConfig({ PAYMENT_TIMEOUT_MINUTES: '1441' })).toThrow(/PAYMENT_TIMEOUT_MINUTES/);
  });
});

describe('newsletter', () => {
  it('sends campaigns at NEWSLETTER_RATE_PER_MINUTE (600 by default), from 1 to 100000 a minute, naming the variable otherwise', () => {
    expect(loadConfig({}).newsletterRatePerMinute).toBe(600);
    expect(loadConfig({ NEWSLETTER_RATE_PER_MINUTE: '120' }).newsletterRatePerMinute).toBe(120);
    expect(problems({ NEWSLETTER_RATE_PER_MINUTE: '0' })).toEqual([expect.stringMatching(/^NEWSLETTER_RATE_PER_MINUTE: expected at least 1/)]);
    expect(problems({ NEWSLETTER_RATE_PER_MINUTE: '2.5' })).toEqual([expect.stringMatching(/^NEWSLETTER_RATE_PER_MINUTE: expected a whole number/)]);
    expect(problems({ NEWSLETTER_RATE_PER_MINUTE: 'fast' })).toEqual([expect.stringMatching(/^NEWSLETTER_RATE_PER_MINUTE: expected emails per minute/)]);
  });
});

describe('background workers', () => {
  it('run in the server by default; WORKERS=false only enqueues; anything else is refused, naming WORKERS', () => {
    expect(loadConfig({}).workers).toBe(true);
    expect(loadConfig({ WORKERS: 'false' }).workers).toBe(false);
    expect(loadConfig({ WORKERS: '1' }).workers).toBe(true);
    expect(problems({ WORKERS: 'sometimes' })).toEqual([expect.stringMatching(/^WORKERS: expected true or false/)]);
  });
});

describe('the identity provider (OIDC_*)', () => {
  const OIDC = { OIDC_ISSUER: 'https://accounts.example.com', OIDC_CLIENT_ID: 'bistro', OIDC_CLIENT_SECRET: 'a-client-secret-value' };

  it('is off without its variables, and needs all three once one is set, naming the missing ones without echoing the secret', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    const found = problems({ OIDC_CLIENT_SECRET: 'a-client-secret-value' });
    expect(found).toEqual([expect.stringMatching(/^OIDC_ISSUER: required/), expect.stringMatching(/^OIDC_CLIENT_ID: required/)]);
    expect(found.join()).not.toContain('a-client-secret-value');
    expect(loadConfig(OIDC).oidc).toEqual({ ...{ issuer: 'https://accounts.example.com', clientId: 'bistro', clientSecret: 'a-client-secret-value' }, afterSignInPath: '/account', allowInsecure: false });
  });

  it('lands on a path of this site only: another site (//evil.example, a URL, a backslash trick) is refused', () => {
    expect(loadConfig({ ...OIDC, OIDC_AFTER_SIGN_IN_PATH: '/me/settings?tab=sign-in' }).oidc?.afterSignInPath).toBe('/me/settings?tab=sign-in');
    for (const path of ['//evil.example/account', 'https://evil.example/', '/\\evil.example', 'account']) {
      expect(problems({ ...OIDC, OIDC_AFTER_SIGN_IN_PATH: path })).toEqual([expect.stringMatching(/^OIDC_AFTER_SIGN_IN_PATH: /)]);
    }
  });

  it('takes an http:// issuer (a provider on this machine) outside production only', () => {
    expect(loadConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:8080' }).oidc?.allowInsecure).toBe(true);
    expect(problems({ ...PRODUCTION, ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:8080' })).toEqual([expect.stringMatching(/^OIDC_ISSUER: must be https/)]);
    expect(problems({ ...PRODUCTION, ...OIDC })).toEqual([]);
  });
});
