import { z } from 'zod';
import { singleLineText } from './text.js';

/**
 * What an API key may do, one scope per kind of use. A procedure that a key may call names its
 * scope in its meta; the procedure builders check it (packages/api/src/trpc.ts). Public reads
 * (menus, quotes, slots, tracking) need none: anyone may make them.
 */
export const API_SCOPES = ['menu:read', 'orders:write', 'kitchen:read', 'kitchen:write', 'inventory:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const apiScopeSchema = z.enum(API_SCOPES);

/** Every key starts with this, so a leaked one is easy to find (secret scanners) and to tell from a session token. */
export const API_KEY_PREFIX = 'bistro_live_';
/** `bistro_live_<12 hex: the lookup prefix>_<43 base64url: the secret>`. */
export const API_KEY_PATTERN = /^bistro_live_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const apiKeyCreateInput = z.strictObject({
  locationId: z.uuid(),
  name: singleLineText({ max: 80 }),
  scopes: z
    .array(apiScopeSchema)
    .min(1, 'Choose at least one scope')
    .max(API_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'Each scope once'),
  /** Optional; must be in the future (checked against the request's clock). */
  expiresAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
});
export type ApiKeyCreateInput = z.infer<typeof apiKeyCreateInput>;

export const apiKeyListInput = z.strictObject({ locationId: z.uuid() });
export const apiKeyRevokeInput = z.strictObject({ apiKeyId: z.uuid() });
