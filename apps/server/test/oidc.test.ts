/**
 * Sign-in with an identity provider, against a real OpenID provider in this process
 * (`oidc-provider`), driven as a browser would (redirects and cookies): sign-in, linking only
 * by a verified email, a tampered state, a callback from another browser, a replayed callback and
 * a replayed code, a wrong nonce, an unverified email.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { startTestServer, type TestServer } from './helpers.js';

const CLIENT_ID = 'bistro-test';
const CLIENT_SECRET = randomUUID();
const PASSWORD = 'grilled-halibut-at-nine';

interface Account {
  email: string;
  email_verified: boolean;
  name: string;
}
/** The provider's accounts by subject; `signsIn` is the one the next login at the provider is. */
const accounts = new Map<string, Account>();
let signsIn = '';

let t: TestServer;
let providerServer: Server;
let issuer: string;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  providerServer = createHttpServer();
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
  const bistroPort = await freePort();
  const bistroUrl = `http://127.0.0.1:${bistroPort}`;

  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${bistroUrl}/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // The claims in the ID token itself (Bistro reads no userinfo).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomUUID()] },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  const callback = provider.callback();
  // The login page: whoever `signsIn` is logs in and consents at once.
  providerServer.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    void (async () => {
      await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: signsIn, clientId: CLIENT_ID });
      grant.addOIDCScope('openid email profile');
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: signsIn }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })();
  });

  t = await startTestServer({
    PORT: String(bistroPort),
    PUBLIC_URL: bistroUrl,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_AFTER_SIGN_IN_PATH: '/account',
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => providerServer?.close(() => resolve()));
});

/** A browser: a cookie jar per host, following redirects one at a time. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).host)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.jars.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(host, jar);
  }

  /** GETs `url` and follows redirects until one leads where `stop` says (by default the web app's /account); returns that location. */
  async go(url: string, stop: (location: URL) => boolean = (location) => location.pathname === '/account'): Promise<URL> {
    let current = new URL(url);
    for (let hops = 0; hops < 20; hops++) {
      const jar = this.jars.get(current.host) ?? new Map<string, string>();
      const response = await fetch(current, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, value] = pair!.split(/=(.*)/s) as [string, string];
        if (/expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line) || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      this.jars.set(current.host, jar);
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) throw new Error(`stopped at ${current.href} with ${response.status}`);
      const next = new URL(location, current);
      if (stop(next) || ![new URL(t.url).host, new URL(issuer).host].includes(next.host)) return next;
      current = next;
    }
    throw new Error('too many redirects');
  }
}

const atCallback = (location: URL) => location.pathname === '/auth/oidc/callback';

/** A provider account for this test. */
function providerAccount(account: Partial<Account> = {}): string {
  const sub = randomUUID();
  accounts.set(sub, { email: `oidc.${sub.slice(0, 8)}@example.com`, email_verified: true, name: 'Olive Provider', ...account });
  return sub;
}

/** Who the browser's Bistro session belongs to (auth.me with its cookie), or null. */
async function whoAmI(browser: Browser): Promise<string | null> {
  const session = browser.cookie(t.url, 'bistro_session');
  if (!session) return null;
  const me = await createBistroClient({ url: t.url, fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, cookie: `bistro_session=${session}` } }) }).auth.me.query();
  return me?.email ?? null;
}

async function identitiesOf(sub: string) {
  return t.tdb.db.selectFrom('user_identities').select(['user_id', 'issuer', 'email']).where('subject', '=', sub).execute();
}

describe('signing in with the identity provider', () => {
  it('a first sign-in with a verified email creates the account, with no password, and lands on the configured page signed in', async () => {
    const sub = providerAccount();
    signsIn = sub;
    const browser = new Browser();
    const landed = await browser.go(`${t.url}/auth/oidc/start`);
    expect(`${landed.pathname}${landed.search}`).toBe('/account');
    const email = accounts.get(sub)!.email;
    expect(await whoAmI(browser)).toBe(email);
    const user = await t.tdb.db.selectFrom('users').select(['id', 'password_hash', 'email_verified_at', 'name']).where('email', '=', email).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ password_hash: null, name: 'Olive Provider' });
    expect(user.email_verified_at).not.toBeNull();
    expect(await identitiesOf(sub)).toEqual([{ user_id: user.id, issuer, email }]);

    // The second time, the linked subject signs in to the same account.
    const again = new Browser();
    await again.go(`${t.url}/auth/oidc/start`);
    expect(await whoAmI(again)).toBe(email);
    expect(await t.tdb.db.selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(1);
  });

  it('links to an existing password account by a verified email; the password still works', async () => {
    const email = `linked.${randomUUID().slice(0, 8)}@example.com`;
    const { id } = await t.tdb.db
      .insertInto('users')
      .values({ email, name: 'Pat Password', password_hash: await t.server.services.passwords.hash(PASSWORD) })
      .returning('id')
      .executeTakeFirstOrThrow();
    signsIn = providerAccount({ email: email.toUpperCase() });
    const browser = new Browser();
    await browser.go(`${t.url}/auth/oidc/start`);
    expect(await whoAmI(browser)).toBe(email);
    expect((await identitiesOf(signsIn)).map((i) => i.user_id)).toEqual([id]);
    const signedIn = await createBistroClient({ url: t.url }).auth.signIn.mutate({ email, password: PASSWORD, mode: 'token' });
    expect(signedIn.user.id).toBe(id);
  });

  it('never links or creates by an unverified email: refused with OIDC_EMAIL_UNVERIFIED, nobody signed in', async () => {
    const email = `victim.${randomUUID().slice(0, 8)}@example.com`;
    await t.tdb.db.insertInto('users').values({ email, name: 'Vic Tim', password_hash: await t.server.services.passwords.hash(PASSWORD) }).execute();
    signsIn = providerAccount({ email, email_verified: false });
    const browser = new Browser();
    const landed = await browser.go(`${t.url}/auth/oidc/start`);
    expect(`${landed.pathname}${landed.search}`).toBe('/account?signInError=OIDC_EMAIL_UNVERIFIED');
    expect(await whoAmI(browser)).toBeNull();
    expect(await identitiesOf(signsIn)).toEqual([]);

    const stranger = providerAccount({ email_verified: false });
    signsIn = stranger;
    const other = await new Browser().go(`${t.url}/auth/oidc/start`);
    expect(other.searchParams.get('signInError')).toBe('OIDC_EMAIL_UNVERIFIED');
    expect(await t.tdb.db.selectFrom('users').select('id').where('email', '=', accounts.get(stranger)!.email).execute()).toEqual([]);
  });
});

describe('a forged or replayed provider answer', () => {
  it('a tampered state is refused (OIDC_STATE_INVALID), and so is a callback in a browser that did not start the sign-in', async () => {
    signsIn = providerAccount();
    const browser = new Browser();
    const callback = await browser.go(`${t.url}/auth/oidc/start`, atCallback);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const landed = await browser.go(tampered.href);
    expect(landed.searchParams.get('signInError')).toBe('OIDC_STATE_INVALID');
    expect(await whoAmI(browser)).toBeNull();

    // Login CSRF: the attacker's own callback, opened in the victim's browser (no state cookie).
    const attacker = new Browser();
    const attackersCallback = await attacker.go(`${t.url}/auth/oidc/start`, atCallback);
    const victim = new Browser();
    const forced = await victim.go(attackersCallback.href);
    expect(forced.searchParams.get('signInError')).toBe('OIDC_STATE_INVALID');
    expect(await whoAmI(victim)).toBeNull();
  });

  it('a replayed callback finds its state used up; a replayed code with a fresh state is refused by the provider (OIDC_FAILED)', async () => {
    signsIn = providerAccount();
    const browser = new Browser();
    const callback = await browser.go(`${t.url}/auth/oidc/start`, atCallback);
    const stateCookie = browser.cookie(t.url, 'bistro_oidc_state')!;
    await browser.go(callback.href);
    expect(await whoAmI(browser)).toBe(accounts.get(signsIn)!.email);

    const replayer = new Browser();
    replayer.setCookie(t.url, 'bistro_oidc_state', stateCookie);
    const replayed = await replayer.go(callback.href);
    expect(replayed.searchParams.get('signInError')).toBe('OIDC_STATE_INVALID');
    expect(await whoAmI(replayer)).toBeNull();

    // A new sign-in of the attacker's own, its state and cookie valid, but carrying the stolen code.
    const attacker = new Browser();
    const fresh = await attacker.go(`${t.url}/auth/oidc/start`, (location) => location.host === new URL(issuer).host);
    const stolen = new URL(callback);
    stolen.searchParams.set('state', fresh.searchParams.get('state')!);
    const refused = await attacker.go(stolen.href);
    expect(refused.searchParams.get('signInError')).toBe('OIDC_FAILED');
    expect(await whoAmI(attacker)).toBeNull();
  });

  it('an ID token minted for another nonce is refused (OIDC_FAILED)', async () => {
    signsIn = providerAccount();
    const browser = new Browser();
    const callback = await browser.go(`${t.url}/auth/oidc/start`, atCallback);
    // As if the code were injected from a sign-in started elsewhere: the nonce this browser expects differs.
    const stateHash = createHash('sha256').update(callback.searchParams.get('state')!).digest();
    const updated = await t.tdb.db.updateTable('oidc_logins').set({ nonce: 'a-nonce-from-another-sign-in' }).where('state_hash', '=', stateHash).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    const landed = await browser.go(callback.href);
    expect(landed.searchParams.get('signInError')).toBe('OIDC_FAILED');
    expect(await whoAmI(browser)).toBeNull();
  });
});
