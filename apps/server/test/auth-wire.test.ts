/**
 * Accounts and sessions through the wire: cookie attributes, bearer tokens, CSRF, hashed
 * session storage, revocation, brute-force limits (one instance, two instances sharing Redis,
 * forged X-Forwarded-For), no account enumeration, no secrets in logs, bad input.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import type { BistroServer } from '../src/index.js';
import { fetchFrom, logCollector, startSecondInstance, startTestServer, type TestServer } from './helpers.js';

// Set when a Redis answers (tooling/vitest/services.js); without one, the throttles counted in Redis are skipped.
const REDIS_URL = process.env.REDIS_URL ?? '';
const withRedis = it.skipIf(!REDIS_URL);
const PUBLIC_URL = 'http://bistro.test';
const PASSWORD = 'grilled-halibut-at-nine';
// Every email of this run carries this tag, so Redis keys of this file never meet another run's.
const RUN = randomBytes(4).toString('hex');
let emailCounter = 0;
const newEmail = (what = 'guest') => `${what}.${RUN}.${++emailCounter}@example.com`;

// ---------------------------------------------------------------------------------------------
// The wire, spoken by hand where headers matter (Set-Cookie, Origin, X-Forwarded-For).

interface TrpcErrorJson {
  message: string;
  code: number;
  data: { code: string; httpStatus: number; bistroCode: string; fieldErrors: Record<string, string[]> | null; retryAfterSeconds?: number; path?: string };
}

interface Answer {
  status: number;
  headers: Headers;
  /** `result.data.json` of a success. */
  data: unknown;
  /** `error.json` of a failure. */
  error: TrpcErrorJson | undefined;
  raw: string;
}

interface CallOptions {
  headers?: Record<string, string>;
  /** A fetch bound to a source address (see `fetchFrom`). */
  fetch?: typeof fetch;
}

async function answer(response: Response): Promise<Answer> {
  const raw = await response.text();
  const body = JSON.parse(raw) as { result?: { data?: { json?: unknown } }; error?: { json: TrpcErrorJson } };
  return { status: response.status, headers: response.headers, data: body.result?.data?.json, error: body.error?.json, raw };
}

function mutate(base: string, path: string, input: unknown, options: CallOptions = {}): Promise<Answer> {
  return (options.fetch ?? fetch)(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(input === undefined ? {} : { json: input }),
  }).then(answer);
}

function query(base: string, path: string, options: CallOptions = {}): Promise<Answer> {
  return (options.fetch ?? fetch)(`${base}/trpc/${path}`, { headers: { ...options.headers } }).then(answer);
}

const randomLoopback = () => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;

interface SessionCookie {
  name: string;
  value: string;
  attributes: string[];
  expires: Date | undefined;
}

function sessionCookie(headers: Headers): SessionCookie | undefined {
  const line = headers.getSetCookie().find((c) => /^(__Host-)?bistro_session=/.test(c));
  if (!line) return undefined;
  const [pair, ...attributes] = line.split(';').map((s) => s.trim());
  const [name, value] = pair!.split(/=(.*)/s) as [string, string];
  const expires = attributes.find((a) => /^expires=/i.test(a))?.slice('expires='.length);
  return { name, value, attributes, expires: expires ? new Date(expires) : undefined };
}

/** An account straight in the database (sign-up has its own tests, and its own per-IP limit). */
async function createAccount(t: { server: BistroServer }, email = newEmail(), password = PASSWORD): Promise<{ id: string; email: string; password: string }> {
  const hash = await t.server.services.passwords.hash(password);
  const row = await t.server.database.db
    .insertInto('users')
    .values({ email, name: 'Ada Diner', password_hash: hash, created_at: new Date(), updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email, password };
}

async function signInForToken(url: string, email: string, password = PASSWORD, options: CallOptions = {}): Promise<string> {
  const signedIn = await mutate(url, 'auth.signIn', { email, password, mode: 'token' }, options);
  expect(signedIn.error).toBeUndefined();
  const { token } = signedIn.data as { token: string };
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token;
}

/** `auth.me` as the holder of a bearer token sees it: the user's email, or null when not signed in. */
async function whoAmI(url: string, token: string): Promise<string | null> {
  const me = await createBistroClient({ url, token }).auth.me.query();
  return me?.email ?? null;
}

// ---------------------------------------------------------------------------------------------

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ PUBLIC_URL });
});
afterAll(() => t?.close());

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, lasts 30 days, is not Secure over http, and signs the browser in', async () => {
    const email = newEmail('cookie');
    const signedUp = await mutate(t.url, 'auth.signUp', { email, password: PASSWORD, name: 'Cookie Diner' });
    expect(signedUp.data).toEqual({ status: 'check_your_email' });
    expect(sessionCookie(signedUp.headers)).toBeUndefined();

    const signedIn = await mutate(t.url, 'auth.signIn', { email, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect((signedIn.data as { token: unknown }).token).toBeNull();
    const cookie = sessionCookie(signedIn.headers)!;
    expect(cookie.name).toBe('bistro_session');
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const flags = cookie.attributes.map((a) => a.toLowerCase());
    expect(flags).toContain('httponly');
    expect(flags).toContain('samesite=lax');
    expect(flags).toContain('path=/');
    expect(flags).not.toContain('secure');
    expect(flags.some((f) => f.startsWith('domain='))).toBe(false);
    const thirtyDays = Date.now() + 30 * 24 * 60 * 60 * 1000;
    expect(Math.abs(cookie.expires!.getTime() - thirtyDays)).toBeLessThan(5 * 60 * 1000);

    const me = await createBistroClient({ url: t.url, headers: { cookie: `${cookie.name}=${cookie.value}` } }).auth.me.query();
    expect(me?.email).toBe(email);
    const guest = await createBistroClient({ url: t.url }).auth.me.query();
    expect(guest).toBeNull();
  });

  it('is __Host-bistro_session and Secure when the public URL is https', async () => {
    const https = await startTestServer({ PUBLIC_URL: 'https://bistro.example' });
    try {
      const account = await createAccount(https);
      const signedIn = await mutate(https.url, 'auth.signIn', { email: account.email, password: PASSWORD });
      const cookie = sessionCookie(signedIn.headers)!;
      expect(cookie.name).toBe('__Host-bistro_session');
      const flags = cookie.attributes.map((a) => a.toLowerCase());
      expect(flags).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
      expect(flags.some((f) => f.startsWith('domain='))).toBe(false);
      const me = await query(https.url, 'auth.me', { headers: { cookie: `__Host-bistro_session=${cookie.value}` } });
      expect((me.data as { email: string }).email).toBe(account.email);
      // The unprefixed name means nothing to an https deployment.
      const unprefixed = await query(https.url, 'auth.me', { headers: { cookie: `bistro_session=${cookie.value}` } });
      expect(unprefixed.data).toBeNull();
    } finally {
      await https.close();
    }
  });
});

describe('bearer tokens', () => {
  it("mode 'token' returns a token that createBistroClient({ url, token }) signs in with, and sets no cookie", async () => {
    const account = await createAccount(t);
    const signedIn = await mutate(t.url, 'auth.signIn', { email: account.email, password: PASSWORD, mode: 'token' });
    expect(sessionCookie(signedIn.headers)).toBeUndefined();
    const { token } = signedIn.data as { token: string };
    const bistro = createBistroClient({ url: t.url, token });
    const me = await bistro.auth.me.query();
    expect(me).toMatchObject({ id: account.id, email: account.email, roles: [] });
    const sessions = await bistro.auth.sessions.list.query();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.current).toBe(true);
    // The same works with a plain header.
    const viaHeader = await createBistroClient({ url: t.url, headers: { authorization: `Bearer ${token}` } }).auth.me.query();
    expect(viaHeader?.id).toBe(account.id);
  });
});

describe('cross-site request forgery', () => {
  async function cookieSession() {
    const account = await createAccount(t);
    const signedIn = await mutate(t.url, 'auth.signIn', { email: account.email, password: PASSWORD });
    const cookie = sessionCookie(signedIn.headers)!;
    return { account, cookie: `${cookie.name}=${cookie.value}` };
  }

  it('refuses a mutation carrying the cookie from a foreign Origin with FORBIDDEN_ORIGIN, and changes nothing', async () => {
    const { account, cookie } = await cookieSession();
    const newPassword = 'a-whole-new-password-77';
    const changed = await mutate(t.url, 'auth.changePassword', { currentPassword: PASSWORD, newPassword }, { headers: { cookie, origin: 'https://evil.example' } });
    expect(changed.status).toBe(403);
    expect(changed.error?.data.bistroCode).toBe('FORBIDDEN_ORIGIN');
    expect(sessionCookie(changed.headers)).toBeUndefined();
    const everywhere = await mutate(t.url, 'auth.signOutEverywhere', undefined, { headers: { cookie, origin: 'https://evil.example' } });
    expect(everywhere.error?.data.bistroCode).toBe('FORBIDDEN_ORIGIN');
    // A browser's cross-site fetch without an Origin is refused too.
    const crossSite = await mutate(t.url, 'auth.signOut', undefined, { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.error?.data.bistroCode).toBe('FORBIDDEN_ORIGIN');

    // Nothing changed: the cookie still works, the old password still signs in, the new one does not.
    const me = await query(t.url, 'auth.me', { headers: { cookie } });
    expect((me.data as { email: string }).email).toBe(account.email);
    expect((await mutate(t.url, 'auth.signIn', { email: account.email, password: PASSWORD, mode: 'token' })).error).toBeUndefined();
    expect((await mutate(t.url, 'auth.signIn', { email: account.email, password: newPassword, mode: 'token' })).error?.data.bistroCode).toBe('INVALID_CREDENTIALS');
  });

  it('accepts the same mutation from the public origin', async () => {
    const { cookie } = await cookieSession();
    const signedOut = await mutate(t.url, 'auth.signOut', undefined, { headers: { cookie, origin: PUBLIC_URL } });
    expect(signedOut.error).toBeUndefined();
    expect(signedOut.data).toEqual({ ok: true });
    expect(sessionCookie(signedOut.headers)?.value).toBe('');
    expect((await query(t.url, 'auth.me', { headers: { cookie } })).data).toBeNull();
  });

  it('accepts a bearer-token mutation from any origin (a browser never sends one on its own)', async () => {
    const account = await createAccount(t);
    const token = await signInForToken(t.url, account.email);
    const everywhere = await mutate(t.url, 'auth.signOutEverywhere', undefined, { headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } });
    expect(everywhere.error).toBeUndefined();
    expect(everywhere.data).toEqual({ sessionsEnded: 1 });
    expect(await whoAmI(t.url, token)).toBeNull();
  });
});

describe('session storage and revocation', () => {
  it('keeps only hashes in the sessions table: nothing read from it signs anyone in', async () => {
    const account = await createAccount(t);
    const tokens = [await signInForToken(t.url, account.email), await signInForToken(t.url, account.email)];
    const rows = await t.server.database.db.selectFrom('sessions').selectAll().where('user_id', '=', account.id).execute();
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows, (_key, value: unknown) =>
      value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('hex') : value,
    );
    for (const token of tokens) expect(stored).not.toContain(token);
    expect(rows.map((r) => r.token_hash.toString('hex')).sort()).toEqual(tokens.map((tk) => createHash('sha256').update(tk).digest('hex')).sort());

    for (const row of rows) {
      for (const presented of [row.token_hash.toString('hex'), row.token_hash.toString('base64url'), row.token_hash.toString('base64'), row.id]) {
        expect(await whoAmI(t.url, presented)).toBeNull();
        const asCookie = await query(t.url, 'auth.me', { headers: { cookie: `bistro_session=${presented}` } });
        expect(asCookie.data).toBeNull();
      }
    }
    // The tokens themselves do work, so the nulls above mean something.
    for (const token of tokens) expect(await whoAmI(t.url, token)).toBe(account.email);
  });

  it('ends a token at sign-out, leaving the other sessions', async () => {
    const account = await createAccount(t);
    const [leaving, staying] = [await signInForToken(t.url, account.email), await signInForToken(t.url, account.email)];
    const out = await createBistroClient({ url: t.url, token: leaving }).auth.signOut.mutate();
    expect(out).toEqual({ ok: true });
    expect(await whoAmI(t.url, leaving)).toBeNull();
    expect(await whoAmI(t.url, staying)).toBe(account.email);
  });

  it('ends every token of the account at sign-out everywhere', async () => {
    const account = await createAccount(t);
    const other = await createAccount(t);
    const tokens = [await signInForToken(t.url, account.email), await signInForToken(t.url, account.email), await signInForToken(t.url, account.email)];
    const othersToken = await signInForToken(t.url, other.email);
    const ended = await createBistroClient({ url: t.url, token: tokens[1] }).auth.signOutEverywhere.mutate();
    expect(ended).toEqual({ sessionsEnded: 3 });
    for (const token of tokens) expect(await whoAmI(t.url, token)).toBeNull();
    expect(await whoAmI(t.url, othersToken)).toBe(other.email);
  });

  it('ends every token at a password change; the answer carries the one new token', async () => {
    const account = await createAccount(t);
    const [current, elsewhere] = [await signInForToken(t.url, account.email), await signInForToken(t.url, account.email)];
    const newPassword = 'sea-bass-with-fennel-2026';
    const changed = await createBistroClient({ url: t.url, token: current }).auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword });
    expect(changed.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await whoAmI(t.url, current)).toBeNull();
    expect(await whoAmI(t.url, elsewhere)).toBeNull();
    expect(await whoAmI(t.url, changed.token!)).toBe(account.email);
    expect((await mutate(t.url, 'auth.signIn', { email: account.email, password: PASSWORD })).error?.data.bistroCode).toBe('INVALID_CREDENTIALS');
    expect(await whoAmI(t.url, await signInForToken(t.url, account.email, newPassword))).toBe(account.email);
  });
});

describe('no account enumeration', () => {
  it('answers sign-up with a taken email exactly as with a new one', async () => {
    const taken = newEmail('taken');
    const first = await mutate(t.url, 'auth.signUp', { email: taken, password: PASSWORD, name: 'First' });
    const again = await mutate(t.url, 'auth.signUp', { email: taken, password: 'another-password-9', name: 'Second' });
    const fresh = await mutate(t.url, 'auth.signUp', { email: newEmail('fresh'), password: PASSWORD, name: 'Fresh' });
    for (const a of [first, again, fresh]) {
      expect(a.status).toBe(200);
      expect(a.raw).toBe(first.raw);
      expect(a.headers.getSetCookie()).toEqual([]);
    }
    const users = await t.server.database.db.selectFrom('users').select('name').where('email', '=', taken).execute();
    expect(users).toEqual([{ name: 'First' }]);
  });

  it('answers sign-in with an unknown email and with a wrong password with the same code and message', async () => {
    const account = await createAccount(t);
    const unknown = await mutate(t.url, 'auth.signIn', { email: newEmail('nobody'), password: PASSWORD });
    const wrong = await mutate(t.url, 'auth.signIn', { email: account.email, password: 'not-the-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(unknown.error?.data.bistroCode).toBe('INVALID_CREDENTIALS');
    expect(wrong.error).toEqual(unknown.error);
    expect(wrong.raw).toBe(unknown.raw);
  });
});

describe('brute force', () => {
  let redis: Redis;
  const usedKeys = new Set<string>();
  const forget = (email: string, ip: string) => {
    usedKeys.add(`bistro:limit:signInAccount:${email}`);
    usedKeys.add(`bistro:limit:signInIp:${ip}`);
  };
  beforeAll(() => {
    if (REDIS_URL) redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    // Only this file's counters; other runs' keys are left alone.
    if (usedKeys.size) await redis.del(...usedKeys);
    await redis?.quit();
  });

  async function tenFailures(attempt: (i: number) => Promise<Answer>) {
    for (let i = 0; i < 10; i += 1) {
      const failed = await attempt(i);
      expect.soft(failed.error?.data.bistroCode, `attempt ${i + 1}`).toBe('INVALID_CREDENTIALS');
    }
  }

  function expectRefused(refused: Answer) {
    expect(refused.status).toBe(429);
    expect(refused.error?.data.bistroCode).toBe('TOO_MANY_REQUESTS');
    expect(refused.error?.data.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.error?.data.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(sessionCookie(refused.headers)).toBeUndefined();
  }

  it('refuses the 11th sign-in of an account within 15 minutes, even with the right password', async () => {
    const account = await createAccount(t);
    await tenFailures(() => mutate(t.url, 'auth.signIn', { email: account.email, password: 'guess-number-x' }));
    expectRefused(await mutate(t.url, 'auth.signIn', { email: account.email, password: PASSWORD }));
  });

  withRedis('checks at most 10 of 40 concurrent wrong passwords for one account (counted in Redis); the rest and the right password after them get 429', async () => {
    const ip = randomLoopback();
    const viaIp = fetchFrom(ip);
    const s = await startTestServer({ REDIS_URL });
    try {
      const account = await createAccount(s);
      forget(account.email, ip);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => mutate(s.url, 'auth.signIn', { email: account.email, password: `guess-${i}-at-once` }, { fetch: viaIp })),
      );
      const codes = answers.map((a) => a.error?.data.bistroCode);
      expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
      for (const refused of answers.filter((a) => a.error?.data.bistroCode !== 'INVALID_CREDENTIALS')) expectRefused(refused);
      // Only ten reached the password check: one audit row each.
      const failures = await s.server.database.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.sign_in_failed').where('target_id', '=', account.id).execute();
      expect(failures).toHaveLength(10);
      // The account stays locked for the window, the right password included.
      expectRefused(await mutate(s.url, 'auth.signIn', { email: account.email, password: PASSWORD }, { fetch: viaIp }));
    } finally {
      await s.close();
    }
  });

  withRedis('holds the limit when the attempts are spread over two server instances sharing Redis', async () => {
    const ip = randomLoopback();
    const viaIp = fetchFrom(ip);
    const a = await startTestServer({ REDIS_URL });
    const { server: bServer, url: bUrl } = await startSecondInstance(a, { REDIS_URL });
    try {
      const account = await createAccount(a);
      forget(account.email, ip);
      const instances = [a.url, bUrl];
      // Alternating: each instance on its own has seen only five failures.
      await tenFailures((i) => mutate(instances[i % 2]!, 'auth.signIn', { email: account.email, password: `guess-${i}-wrong` }, { fetch: viaIp }));
      // The count lives in Redis, where both instances read it.
      expect(await redis.exists(`bistro:limit:signInAccount:${account.email}`, `bistro:limit:signInIp:${ip}`)).toBe(2);
      expectRefused(await mutate(a.url, 'auth.signIn', { email: account.email, password: PASSWORD }, { fetch: viaIp }));
      expectRefused(await mutate(bUrl, 'auth.signIn', { email: account.email, password: PASSWORD }, { fetch: viaIp }));
      // Another account from the same address is not locked out by this one.
      const other = await createAccount(a);
      forget(other.email, ip);
      expect(await whoAmI(a.url, await signInForToken(bUrl, other.email, PASSWORD, { fetch: viaIp }))).toBe(other.email);
    } finally {
      await bServer.stop();
      await a.close();
    }
  });

  withRedis('ignores a forged X-Forwarded-For when TRUST_PROXY is unset: per account and per IP', async () => {
    const ip = randomLoopback();
    const viaIp = fetchFrom(ip);
    const s = await startTestServer({ REDIS_URL });
    try {
      const forged = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.${i + 1}` });
      const account = await createAccount(s);
      forget(account.email, ip);
      await tenFailures((i) => mutate(s.url, 'auth.signIn', { email: account.email, password: `guess-${i}-wrong` }, { fetch: viaIp, headers: forged(i) }));
      expectRefused(await mutate(s.url, 'auth.signIn', { email: account.email, password: PASSWORD }, { fetch: viaIp, headers: forged(99) }));

      // The address is the connection's: its 50 failures (10 above, 40 more over other
      // accounts, each with a new forged header) use up the per-IP budget.
      for (let i = 0; i < 40; i += 1) {
        const email = newEmail('stuffing');
        forget(email, ip);
        const failed = await mutate(s.url, 'auth.signIn', { email, password: 'credential-stuffing' }, { fetch: viaIp, headers: forged(i + 10) });
        expect.soft(failed.error?.data.bistroCode, `stuffing attempt ${i + 1}`).toBe('INVALID_CREDENTIALS');
      }
      const fresh = await createAccount(s);
      forget(fresh.email, ip);
      expectRefused(await mutate(s.url, 'auth.signIn', { email: fresh.email, password: PASSWORD }, { fetch: viaIp, headers: forged(200) }));
      // The audit log names the real address, never a forged one.
      const auditIps = await s.server.database.db.selectFrom('audit_log').select('ip').distinct().execute();
      expect(auditIps).toEqual([{ ip }]);
    } finally {
      await s.close();
    }
  });

  it('believes X-Forwarded-For when TRUST_PROXY=true', async () => {
    const s = await startTestServer({ TRUST_PROXY: 'true' });
    try {
      const account = await createAccount(s);
      const token = await signInForToken(s.url, account.email, PASSWORD, { headers: { 'x-forwarded-for': '203.0.113.77' } });
      const sessions = await createBistroClient({ url: s.url, token }).auth.sessions.list.query();
      expect(sessions.map((x) => x.ip)).toEqual(['203.0.113.77']);
      const audit = await s.server.database.db.selectFrom('audit_log').select(['action', 'ip']).where('action', '=', 'auth.signed_in').execute();
      expect(audit).toEqual([{ action: 'auth.signed_in', ip: '203.0.113.77' }]);
    } finally {
      await s.close();
    }
  });
});

describe('logs', () => {
  it('of a whole sign-up, sign-in, change-password and sign-out flow hold no password, token or cookie value', async () => {
    // A real SMTP server, so the verification link travels by email (not, as in development, the log).
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            mails.push(parsed.text ?? '');
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const logs = logCollector();
    const s = await startTestServer({ LOG_LEVEL: 'trace', PUBLIC_URL, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }, { logStream: logs.stream });
    const secrets: string[] = [];
    try {
      const email = newEmail('logged');
      const password = 'first-secret-password-481';
      const newPassword = 'second-secret-password-592';
      secrets.push(password, newPassword);

      expect((await mutate(s.url, 'auth.signUp', { email, password, name: 'Logged Diner' })).error).toBeUndefined();
      const signedIn = await mutate(s.url, 'auth.signIn', { email, password }, { headers: { origin: PUBLIC_URL } });
      const cookie = sessionCookie(signedIn.headers)!;
      secrets.push(cookie.value);
      const headers = { cookie: `${cookie.name}=${cookie.value}`, origin: PUBLIC_URL };
      expect((await query(s.url, 'auth.me', { headers })).error).toBeUndefined();
      expect((await mutate(s.url, 'auth.signIn', { email, password: 'a-wrong-password-here' })).error?.data.bistroCode).toBe('INVALID_CREDENTIALS');
      secrets.push('a-wrong-password-here');
      const changed = await mutate(s.url, 'auth.changePassword', { currentPassword: password, newPassword }, { headers });
      expect(changed.error).toBeUndefined();
      const newCookie = sessionCookie(changed.headers)!;
      secrets.push(newCookie.value);
      const token = await signInForToken(s.url, email, newPassword);
      secrets.push(token);
      expect(await whoAmI(s.url, token)).toBe(email);
      expect((await mutate(s.url, 'auth.signOut', undefined, { headers: { cookie: `${newCookie.name}=${newCookie.value}`, origin: PUBLIC_URL } })).error).toBeUndefined();
      expect((await mutate(s.url, 'auth.signOut', undefined, { headers: { authorization: `Bearer ${token}` } })).error).toBeUndefined();

      // The verification email arrives (in the background) with its single-use token.
      await expect.poll(() => mails.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const verifyToken = /token=([A-Za-z0-9_-]{43})/.exec(mails.join('\n'))?.[1];
      expect(verifyToken).toBeDefined();
      secrets.push(verifyToken!);
    } finally {
      await s.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }

    const text = JSON.stringify(logs.lines);
    // The log did record the flow (so the absence below means something).
    expect(logs.lines.filter((l) => l.msg === 'request completed').length).toBeGreaterThanOrEqual(8);
    expect(text).toContain('auth.changePassword');
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const secret of secrets) expect(text).not.toContain(encodeURIComponent(secret));
  });
});

describe('bad input on the wire', () => {
  async function userCount() {
    const row = await t.server.database.db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const long = 'x'.repeat(10_000);
  const cases: { name: string; path: string; input: Record<string, unknown>; field: string }[] = [
    { name: 'an unknown key (mass assignment)', path: 'auth.signUp', input: { email: newEmail('mass'), password: PASSWORD, name: 'Mass', isAdmin: true }, field: 'isAdmin' },
    { name: 'an unknown key at sign-in', path: 'auth.signIn', input: { email: newEmail('mass'), password: PASSWORD, remember: true }, field: 'remember' },
    { name: 'a 10 kB name', path: 'auth.signUp', input: { email: newEmail('long'), password: PASSWORD, name: long }, field: 'name' },
    { name: 'a 10 kB password', path: 'auth.signUp', input: { email: newEmail('long'), password: long, name: 'Long' }, field: 'password' },
    { name: 'a 10 kB email', path: 'auth.signUp', input: { email: `${long}@example.com`, password: PASSWORD, name: 'Long' }, field: 'email' },
    { name: 'a zero-width space in the email', path: 'auth.signUp', input: { email: `ali\u200Bce.${RUN}@example.com`, password: PASSWORD, name: 'Zw' }, field: 'email' },
    { name: 'a right-to-left override in the email', path: 'auth.signUp', input: { email: `\u202Emoc.elpmaxe@ecila.${RUN}`, password: PASSWORD, name: 'Rtl' }, field: 'email' },
    { name: 'Cyrillic look-alike letters in the email', path: 'auth.signUp', input: { email: `\u0430li\u0441e.${RUN}@ex\u0430mple.com`, password: PASSWORD, name: 'Cyr' }, field: 'email' },
    { name: 'a wrong type', path: 'auth.signUp', input: { email: newEmail('type'), password: 12345678, name: 'Type' }, field: 'password' },
    { name: 'a missing field', path: 'auth.signUp', input: { email: newEmail('missing'), password: PASSWORD }, field: 'name' },
  ];

  it.each(cases)('$name → BAD_REQUEST with a field error and INVALID_INPUT, nothing stored', async ({ path, input, field }) => {
    const before = await userCount();
    const refused = await mutate(t.url, path, input);
    expect(refused.status).toBe(400);
    expect(refused.error?.data.code).toBe('BAD_REQUEST');
    expect(refused.error?.data.bistroCode).toBe('INVALID_INPUT');
    expect(refused.error?.data.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(sessionCookie(refused.headers)).toBeUndefined();
    // The answer does not echo the 10 kB back.
    expect(refused.raw.length).toBeLessThan(2_000);
    expect(await userCount()).toBe(before);
  });
});
