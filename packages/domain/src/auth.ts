import { z } from 'zod';
import { auditActionSchema } from './audit.js';
import { isWellFormedText, singleLineText, textProblem } from './text.js';

/**
 * Emails are compared in one canonical form: Unicode NFKC (so full-width "ａ" is "a"),
 * trimmed, lower case, and then plain ASCII only. Zero-width characters, right-to-left
 * overrides and look-alike letters from other scripts are refused rather than stored.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export const emailSchema = z
  .string()
  .max(254, 'An email address has at most 254 characters')
  .transform(normalizeEmail)
  .pipe(z.string().regex(EMAIL, 'Enter a valid email address (plain ASCII, like name@example.com)'));

/**
 * 8 to 256 characters of almost anything; no composition rules (NIST SP 800-63B, OWASP ASVS 5).
 * Unlike free text (text.ts) a password is neither trimmed nor changed here: spaces are part of
 * it, and the hasher applies NFKC itself (api/auth/passwords.ts), so stored hashes stay valid.
 * Refused, as in any text (text.ts): control characters (NUL, ESC, DEL, C1, tab, line breaks:
 * nobody types them, and NUL cuts strings short in C libraries), bidi overrides, noncharacters,
 * and lone surrogates (not text: they encode to U+FFFD, so two different passwords would hash alike).
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`)
  .refine(isWellFormedText, 'The password is not valid Unicode (a lone surrogate)')
  .refine((s) => textProblem(s, false) === undefined, 'Remove control characters and line breaks');

/** A person's displayed name (text.ts rules), 1 to 100 characters. */
export const personNameSchema = singleLineText({ max: 100 });

/** Session and single-use tokens: 32 random bytes, base64url (43 characters). */
export const TOKEN_LENGTH = 43;
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a valid token');

/** What a single-use emailed link is for. */
export const TOKEN_KINDS = ['verify_email', 'reset_password', 'invitation'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

// Types a client sees are written without zod, so @bistro/client's declarations need no zod.
export const LOCATION_ROLES = ['staff', 'manager'] as const;
export type LocationRole = (typeof LOCATION_ROLES)[number];
export const locationRoleSchema = z.enum(LOCATION_ROLES);

/**
 * Who a procedure is for, from least to most trusted; `orderer` and `order` are about one order:
 * `orderer` is the customer who placed it (by id) or whoever holds its tracking token; `order`
 * adds staff of its location (admins count as managers everywhere).
 */
export const ACCESS_LEVELS = ['public', 'authed', 'orderer', 'order', 'staff', 'manager', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const signUpInput = z.strictObject({ email: emailSchema, password: passwordSchema, name: personNameSchema });
export const signInInput = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  /** `cookie` (browsers, the default) sets an HttpOnly cookie; `token` returns a bearer token. */
  mode: z.enum(['cookie', 'token']).optional(),
});
export const revokeSessionInput = z.strictObject({ sessionId: z.uuid() });
export const verifyEmailInput = z.strictObject({ token: tokenSchema });
export const requestPasswordResetInput = z.strictObject({ email: emailSchema });
export const resetPasswordInput = z.strictObject({ token: tokenSchema, password: passwordSchema });
export const changePasswordInput = z.strictObject({ currentPassword: passwordSchema, newPassword: passwordSchema });
/** Staff invitations: a manager names the location, the invitee's email and the role to grant. */
export const listStaffInput = z.strictObject({ locationId: z.uuid() });
export const inviteStaffInput = z.strictObject({ locationId: z.uuid(), email: emailSchema, role: locationRoleSchema });
/**
 * Accepting an invitation: `name` and `password` create the account when the invited email has
 * none yet; for an existing account they are ignored (the role is linked to it).
 */
export const acceptInvitationInput = z.strictObject({
  token: tokenSchema,
  name: personNameSchema.optional(),
  password: passwordSchema.optional(),
});

/** An opaque page cursor, as a list returned it (base64url); the server checks what is inside. */
export const cursorSchema = z
  .string()
  .max(200, 'Not a valid cursor')
  .regex(/^[A-Za-z0-9_-]+$/, 'Not a valid cursor');

/** A search by email or name: one line of text (text.ts rules), matched as a substring (wildcards mean themselves). */
export const userSearchSchema = singleLineText({ max: 100, min: 0 });

export const adminUsersListInput = z.strictObject({ cursor: cursorSchema.optional(), query: userSearchSchema.optional() });
/** `role: null` removes the user's role at the location. */
export const adminSetRoleInput = z.strictObject({ userId: z.uuid(), locationId: z.uuid(), role: locationRoleSchema.nullable() });
export const adminSetDisabledInput = z.strictObject({ userId: z.uuid(), disabled: z.boolean() });
export const adminAuditListInput = z.strictObject({
  cursor: cursorSchema.optional(),
  /** One of AUDIT_ACTIONS, e.g. `role.changed`, `auth.sign_in_failed`. */
  action: auditActionSchema.optional(),
  /** Rows where this user is the actor or the target. */
  userId: z.uuid().optional(),
});
