import { timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { emailSchema, personNameSchema } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import type { Context } from '../context.js';
import { BistroError } from '../errors.js';
import { createSession } from './sessions.js';
import { hashToken } from './tokens.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This server's callback, registered with the provider: `${PUBLIC_URL}/auth/oidc/callback`. */
  redirectUri: string;
  /** An http:// issuer is refused unless this is set (development and tests only). */
  allowInsecure: boolean;
}

/** A sign-in started at the provider must come back within this long. */
const LOGIN_TTL_MS = 10 * 60_000;

const stateInvalid = () => new BistroError('OIDC_STATE_INVALID', 'This sign-in did not start here, was already used or has expired: start again');

/**
 * Sign-in with an OpenID Connect provider (Google, Microsoft, Keycloak …): the authorization
 * code flow with PKCE, state and nonce, through openid-client, which checks the provider's answer
 * (its ID token's signature with the provider's published keys and the algorithm it announces,
 * `iss`, `aud`, `exp`, the nonce). Bistro issues no JWT of its own: a signed-in browser gets the
 * usual session.
 */
export class OidcSignIn {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  /** The provider's metadata, discovered once (again after a failure). */
  private config(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, allowInsecure } = this.settings;
    this.configuration ??= client
      .discovery(new URL(issuer), clientId, clientSecret, undefined, allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /**
   * Starts a sign-in: a fresh state, nonce and PKCE verifier, kept (the state only as its hash)
   * until the callback. The browser must carry `state` back in a cookie: a callback from another
   * browser (login CSRF) is refused.
   */
  async start(ctx: Pick<Context, 'db' | 'now'>): Promise<{ url: string; state: string }> {
    const config = await this.config();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const verifier = client.randomPKCECodeVerifier();
    await ctx.db
      .insertInto('oidc_logins')
      .values({ state_hash: hashToken(state), code_verifier: verifier, nonce, expires_at: new Date(ctx.now().getTime() + LOGIN_TTL_MS) })
      .execute();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * The provider's callback: checks the state against this browser's cookie and consumes it
   * (a replay finds nothing), redeems the code with the PKCE verifier, checks the ID token and its
   * nonce, then signs in the user the provider's subject is linked to, links one by a verified
   * email, or creates one. Returns the new session.
   */
  async finish(ctx: Context, callbackUrl: URL, cookieState: string | null): Promise<{ token: string; expiresAt: Date; userId: string }> {
    const state = callbackUrl.searchParams.get('state');
    if (!state || !cookieState || !sameText(state, cookieState)) throw stateInvalid();
    const login = await ctx.db
      .deleteFrom('oidc_logins')
      .where('state_hash', '=', hashToken(state))
      .returning(['code_verifier as verifier', 'nonce', 'expires_at as expiresAt'])
      .executeTakeFirst();
    if (!login || new Date(login.expiresAt).getTime() <= ctx.now().getTime()) throw stateInvalid();

    const config = await this.config();
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(
        config,
        new URL(`${this.settings.redirectUri}${callbackUrl.search}`),
        { pkceCodeVerifier: login.verifier, expectedState: state, expectedNonce: login.nonce, idTokenExpected: true },
      );
      claims = tokens.claims();
    } catch (error) {
      ctx.log.warn({ err: error }, 'identity provider answer refused');
      throw new BistroError('OIDC_FAILED', 'The identity provider’s answer could not be checked: sign in again');
    }
    if (!claims) throw new BistroError('OIDC_FAILED', 'The identity provider sent no ID token');
    const userId = await userForIdentity(ctx, config.serverMetadata().issuer, claims);
    const session = await createSession(ctx.db, userId, { ip: ctx.request.ip, userAgent: ctx.request.userAgent, now: ctx.now() });
    await recordAudit(ctx.db, ctx, { action: 'auth.signed_in', actorUserId: userId, targetType: 'session', targetId: session.sessionId, details: { via: 'oidc' } });
    return { token: session.token, expiresAt: session.expiresAt, userId };
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The user a provider's subject signs in as. Already linked: that user. Otherwise only by an
 * email the provider marks verified: the account with that email gets the identity linked (a
 * user may hold a password and providers), or a new account is made. An unverified or missing
 * email links nothing and makes nothing. A disabled account signs in no more than with a password.
 */
async function userForIdentity(ctx: Context, issuer: string, claims: client.IDToken): Promise<string> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const linked = await trx
      .selectFrom('user_identities as i')
      .innerJoin('users as u', 'u.id', 'i.user_id')
      .select(['u.id', 'u.disabled_at as disabledAt'])
      .where('i.issuer', '=', issuer)
      .where('i.subject', '=', claims.sub)
      .executeTakeFirst();
    if (linked) {
      if (linked.disabledAt !== null) throw new BistroError('INVALID_CREDENTIALS', 'This account cannot sign in');
      return linked.id;
    }
    const email = emailSchema.safeParse(claims['email']);
    if (!email.success || claims['email_verified'] !== true) {
      throw new BistroError('OIDC_EMAIL_UNVERIFIED', 'Your identity provider did not confirm your email address, so it can’t sign you in here');
    }
    const existing = await trx.selectFrom('users').select(['id', 'disabled_at as disabledAt']).where('email', '=', email.data).executeTakeFirst();
    if (existing?.disabledAt) throw new BistroError('INVALID_CREDENTIALS', 'This account cannot sign in');
    let userId = existing?.id;
    if (!userId) {
      const name = personNameSchema.safeParse(claims['name']);
      const created = await trx
        .insertInto('users')
        .values({ email: email.data, name: name.success ? name.data : email.data.split('@')[0]!, password_hash: null, email_verified_at: now, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = created.id;
    }
    await trx.insertInto('user_identities').values({ user_id: userId, issuer, subject: claims.sub, email: email.data, created_at: now }).execute();
    await recordAudit(trx, ctx, { action: 'auth.identity_linked', actorUserId: userId, targetType: 'user', targetId: userId, details: { issuer, created: !existing } });
    return userId;
  });
}
