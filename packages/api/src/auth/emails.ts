import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { Context } from '../context.js';
import type { Email } from '../mailer.js';
import { newToken } from './tokens.js';

export type TokenKind = 'verify_email' | 'reset_password' | 'invitation';

/** How long each single-use link works. */
export const TOKEN_TTL_MS: Record<TokenKind, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
  invitation: 7 * 24 * 60 * 60 * 1000,
};

/** Issues a single-use token (only its hash is stored) and returns the secret for the link. */
export async function issueToken(
  db: Kysely<DB>,
  values: { kind: TokenKind; email: string; userId?: string | null; locationId?: string | null; role?: string | null; createdBy?: string | null; now: Date },
): Promise<string> {
  const { token, hash } = newToken();
  await db
    .insertInto('auth_tokens')
    .values({
      kind: values.kind,
      token_hash: hash,
      email: values.email,
      user_id: values.userId ?? null,
      location_id: values.locationId ?? null,
      role: values.role ?? null,
      created_by: values.createdBy ?? null,
      created_at: values.now,
      expires_at: new Date(values.now.getTime() + TOKEN_TTL_MS[values.kind]),
    })
    .execute();
  return token;
}

export function link(ctx: Pick<Context, 'services'>, path: string, token: string): string {
  const url = new URL(path, ctx.services.settings.publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Sends without making the caller wait: a request's answer and timing must not depend on
 * whether an email went out (no account enumeration). Failures are logged, never thrown.
 */
export function sendInBackground(ctx: Pick<Context, 'services' | 'log'>, email: Email): void {
  ctx.services.mailer.send(email).catch((error: unknown) => {
    ctx.log.error({ err: error, subject: email.subject }, 'sending an email failed');
  });
}

export function verificationEmail(ctx: Pick<Context, 'services'>, to: string, token: string): Email {
  return {
    to,
    subject: 'Confirm your email for Bistro',
    text: `Confirm this email address for your Bistro account by opening:\n\n${link(ctx, '/verify-email', token)}\n\nThe link works once, for 48 hours. If you did not sign up, ignore this message.`,
  };
}

export function alreadyRegisteredEmail(ctx: Pick<Context, 'services'>, to: string): Email {
  return {
    to,
    subject: 'Someone tried to sign up to Bistro with your email',
    text: `Someone (perhaps you) tried to create a Bistro account with this address, which already has one.\n\nIf you forgot your password, reset it at ${new URL('/reset-password', ctx.services.settings.publicUrl).toString()}.\nOtherwise, ignore this message.`,
  };
}
