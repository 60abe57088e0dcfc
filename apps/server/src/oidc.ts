import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BistroError, OidcSignIn, type Context } from '@bistro/api';
import type { OidcConfig } from './config.js';

export interface OidcRoutesOptions {
  oidc: OidcConfig;
  publicUrl: string;
  /** A context without credentials (a sign-in has none yet). */
  createContext(req: FastifyRequest, reply: FastifyReply): Promise<Context>;
  /** Sets the session cookie on the reply, as auth.signIn does. */
  setSession(reply: FastifyReply, token: string, expiresAt: Date): void;
}

/** Holds the sign-in's state between the provider and its callback; only sent back to the callback. */
const STATE_COOKIE = 'bistro_oidc_state';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/**
 * Sign-in with the configured identity provider, for browsers: `GET /auth/oidc/start` sends the
 * browser to the provider; the provider sends it back to `GET /auth/oidc/callback`, which signs it
 * in (the session cookie) and sends it on to OIDC_AFTER_SIGN_IN_PATH, with `?signInError=CODE`
 * when refused. Never answers with the provider's tokens.
 */
export function registerOidc(app: FastifyInstance, options: OidcRoutesOptions): void {
  const { oidc, publicUrl } = options;
  const signIn = new OidcSignIn({
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret,
    redirectUri: `${publicUrl}${OIDC_CALLBACK_PATH}`,
    allowInsecure: oidc.allowInsecure,
  });
  // SameSite=Lax: the provider's redirect back is a top-level GET, which carries Lax cookies.
  const cookie = { path: OIDC_CALLBACK_PATH, httpOnly: true, sameSite: 'lax', secure: publicUrl.startsWith('https://'), maxAge: 600 } as const;

  app.get('/auth/oidc/start', async (req, reply) => {
    const { url, state } = await signIn.start(await options.createContext(req, reply));
    reply.setCookie(STATE_COOKIE, state, cookie);
    return reply.redirect(url, 302);
  });

  app.get(OIDC_CALLBACK_PATH, async (req, reply) => {
    const ctx = await options.createContext(req, reply);
    reply.clearCookie(STATE_COOKIE, { path: cookie.path });
    try {
      const session = await signIn.finish(ctx, new URL(req.url, publicUrl), req.cookies[STATE_COOKIE] ?? null);
      options.setSession(reply, session.token, session.expiresAt);
      return reply.redirect(oidc.afterSignInPath, 302);
    } catch (error) {
      if (!(error instanceof BistroError)) throw error;
      const target = new URL(oidc.afterSignInPath, publicUrl);
      target.searchParams.set('signInError', error.bistroCode);
      return reply.redirect(`${target.pathname}${target.search}`, 302);
    }
  });
}
