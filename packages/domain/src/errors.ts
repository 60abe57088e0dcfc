/**
 * The stable error codes of Bistro's contract. Front ends switch on `error.data.bistroCode`,
 * never on the message. Each code maps to the tRPC (and so HTTP) status it is sent with.
 * Codes are only ever added; renaming one breaks every client that handles it.
 */
export const ERROR_CODES = {
  /** The input failed validation; `error.data.fieldErrors` says where. */
  INVALID_INPUT: 'BAD_REQUEST',
  /** The thing does not exist, or the caller may not see it (the two are indistinguishable). */
  NOT_FOUND: 'NOT_FOUND',
  /** The procedure needs a signed-in caller. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** The request body or a field is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The caller is sending too much; `error.data.retryAfterSeconds` says when to try again. */
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  /** The HTTP method does not fit the procedure (a query sent as POST, say). */
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  /** The server is shutting down or its database is unreachable; retry later. */
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Wrong email or password, or a disabled account: the same answer for each, on purpose. */
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  /** The password is on the list of common, breached passwords. */
  PASSWORD_TOO_COMMON: 'BAD_REQUEST',
  /** A single-use link's token does not exist (mistyped, or never issued). */
  TOKEN_INVALID: 'BAD_REQUEST',
  /** A single-use link's token is past its expiry. */
  TOKEN_EXPIRED: 'BAD_REQUEST',
  /** A single-use link's token was already used. */
  TOKEN_USED: 'BAD_REQUEST',
  /** A cookie-authenticated change sent from an origin that is not allowed. */
  FORBIDDEN_ORIGIN: 'FORBIDDEN',
  /** An admin tried to disable their own account (which would lock them out). */
  CANNOT_DISABLE_SELF: 'BAD_REQUEST',
  /** The thing changed since the editor read it (its `version` is stale); nothing was changed. Reload and retry. */
  STALE_VERSION: 'CONFLICT',
  /** A name or slug that must be unique is already taken; `error.data.fieldErrors` names the field. */
  ALREADY_EXISTS: 'CONFLICT',
  /** A stock movement would take an ingredient below zero; nothing was written. */
  STOCK_WOULD_GO_NEGATIVE: 'CONFLICT',
  /** An ingredient's unit can't change once stock movements exist in it. */
  INGREDIENT_UNIT_LOCKED: 'CONFLICT',
  /** The menu entry (or the category, item or option it would hang off) is archived; archived entries cannot change. */
  MENU_ENTRY_ARCHIVED: 'CONFLICT',
  /** A reorder must list every active entry of its parent exactly once, and nothing else. */
  MENU_ORDER_MISMATCH: 'BAD_REQUEST',
  /** An option group breaks its rules: 0 ≤ min ≤ max, max ≥ 1, max ≤ options, defaults ≤ max, distinct names. */
  OPTION_GROUP_RULES: 'BAD_REQUEST',
  /** Choices may nest at most three groups deep (item → group → option → group → option → group). */
  OPTION_GROUP_TOO_DEEP: 'BAD_REQUEST',
  /** An item or option of the cart is sold out (86'd, or not enough stock); the message names it. */
  SOLD_OUT: 'CONFLICT',
  /** A cart line names an item that is not on this location's menu. */
  CART_ITEM_UNKNOWN: 'BAD_REQUEST',
  /** A cart line names an option that does not belong to its item (or to a chosen option). */
  CART_OPTION_INVALID: 'BAD_REQUEST',
  /** A cart line chooses too few or too many options of a group. */
  CART_OPTION_RULES: 'BAD_REQUEST',
  /** The location is not taking orders now, or is closed at the wanted time. */
  LOCATION_CLOSED: 'CONFLICT',
  /** The wanted-at time is in the past, too soon for the kitchen, or not on a slot. */
  WANTED_AT_INVALID: 'BAD_REQUEST',
  /** The chosen time slot has no capacity left. */
  SLOT_FULL: 'CONFLICT',
  /** The order is not in a state this action applies to (it may have moved on). */
  ORDER_TRANSITION_REFUSED: 'CONFLICT',
  /** The kitchen named a station that has no lines on this ticket: there is nothing of it to mark done. */
  STATION_NOT_ON_TICKET: 'BAD_REQUEST',
  /** The idempotency key was already used for a different request. */
  IDEMPOTENCY_KEY_REUSED: 'UNPROCESSABLE_CONTENT',
  /** Something failed on the server; the response carries no detail, the log has the request id. */
  INTERNAL: 'INTERNAL_SERVER_ERROR',
  /** The photo is larger than MAX_PHOTO_BYTES (5 MiB); nothing was stored. */
  PHOTO_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The photo file is empty; nothing was stored. */
  PHOTO_EMPTY: 'BAD_REQUEST',
  /** The file's content (its magic bytes, not its name or declared type) is not JPEG, PNG or WebP. */
  PHOTO_TYPE_NOT_ALLOWED: 'BAD_REQUEST',
  /** The photo has more than MAX_PHOTO_PIXELS (40 megapixels); refused before decoding. */
  PHOTO_TOO_MANY_PIXELS: 'BAD_REQUEST',
  /** The photo could not be decoded (truncated or corrupt); nothing was stored. */
  PHOTO_UNREADABLE: 'BAD_REQUEST',
  /** The request's body is in a format Bistro does not read (send `application/json`, or `multipart/form-data` for a photo). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** A batch holds more calls than MAX_BATCH_SIZE; none of them was run. Split it. */
  BATCH_TOO_LARGE: 'BAD_REQUEST',
  /** The caller may not do this (a refusal tRPC raised without a more precise Bistro code). */
  FORBIDDEN: 'FORBIDDEN',
  /** The request clashes with the current state of the thing (without a more precise Bistro code). */
  CONFLICT: 'CONFLICT',
  /** A precondition the request carries (or must carry) does not hold. */
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  /** The request is well-formed but cannot be processed as it stands. */
  UNPROCESSABLE: 'UNPROCESSABLE_CONTENT',
  /** The client took too long to send its request. */
  REQUEST_TIMEOUT: 'TIMEOUT',
  /** The client went away before the answer was ready (it never reads this one). */
  CLIENT_CLOSED_REQUEST: 'CLIENT_CLOSED_REQUEST',
  // Payments (issue 14).
  /** The refund asks for more than was captured minus what was already refunded; nothing was refunded. */
  REFUND_EXCEEDS_CAPTURED: 'CONFLICT',
  /** The order (or the tender named) has nothing captured left to refund. */
  NOTHING_TO_REFUND: 'CONFLICT',
  /** The tender would take the order past its total, or the order no longer takes payments. */
  TENDER_REFUSED: 'CONFLICT',
  /** The payment (its client secret) is unknown to the provider, or already settled. */
  PAYMENT_INVALID: 'BAD_REQUEST',
  /** A provider webhook whose signature does not verify (or is missing); nothing was applied. */
  WEBHOOK_SIGNATURE_INVALID: 'BAD_REQUEST',
  /** A provider webhook signed too long ago (a replay); nothing was applied. */
  WEBHOOK_TIMESTAMP_INVALID: 'BAD_REQUEST',
  /** The discount code does not exist here, or is switched off. */
  PROMO_INVALID: 'BAD_REQUEST',
  /** The discount code is not valid at this time (before its start or after its end). */
  PROMO_EXPIRED: 'BAD_REQUEST',
  /** The discount code has no uses left (in total, or for this customer). */
  PROMO_EXHAUSTED: 'CONFLICT',
  /** The cart's subtotal is below the discount code's minimum. */
  PROMO_MINIMUM_NOT_MET: 'BAD_REQUEST',
  /** An API key that does not exist, was revoked, has expired, or whose creator lost the right to make it. */
  API_KEY_INVALID: 'UNAUTHORIZED',
  /** The API key lacks the scope this procedure needs (or keys may not call it at all). */
  SCOPE_MISSING: 'FORBIDDEN',
  /** A time that must lie ahead (an expiry) is not in the future. */
  NOT_IN_FUTURE: 'BAD_REQUEST',
  /** A provider sign-in came back without the state this browser started it with (tampered, replayed or expired): start again. */
  OIDC_STATE_INVALID: 'BAD_REQUEST',
  /** The identity provider's answer did not check out (a bad or replayed code, a wrong nonce, a bad ID token). */
  OIDC_FAILED: 'UNAUTHORIZED',
  /** The provider did not vouch for the account's email: Bistro links or creates accounts only by a verified email. */
  OIDC_EMAIL_UNVERIFIED: 'FORBIDDEN',
  // Newsletter (issue 15).
  /** The campaign is being sent or was sent: it can no longer be edited or sent again. */
  CAMPAIGN_NOT_DRAFT: 'CONFLICT',
  /** The location's newsletter has no confirmed subscribers: there is no one to send the campaign to. */
  CAMPAIGN_NO_RECIPIENTS: 'CONFLICT',
} as const satisfies Record<string, TrpcErrorCodeName>;

export type BistroErrorCode = keyof typeof ERROR_CODES;

/** The most calls one HTTP request may carry (a batch); a longer one is refused whole with BATCH_TOO_LARGE. */
export const MAX_BATCH_SIZE = 50;

/**
 * tRPC's error code names, kept here so the domain needs no tRPC import (a type test in
 * @bistro/api proves the list is tRPC's own).
 */
export const TRPC_ERROR_CODE_NAMES = [
  'PARSE_ERROR',
  'BAD_REQUEST',
  'INTERNAL_SERVER_ERROR',
  'NOT_IMPLEMENTED',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
  'UNAUTHORIZED',
  'PAYMENT_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_SUPPORTED',
  'TIMEOUT',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE_CONTENT',
  'PRECONDITION_REQUIRED',
  'TOO_MANY_REQUESTS',
  'CLIENT_CLOSED_REQUEST',
] as const;

export type TrpcErrorCodeName = (typeof TRPC_ERROR_CODE_NAMES)[number];

export function isBistroErrorCode(value: unknown): value is BistroErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The Bistro code for an error raised by tRPC (or anything else) rather than by Bistro, for every
 * tRPC code: INTERNAL only for the server's own faults.
 */
const BISTRO_CODE_FOR_TRPC_CODE = {
  PARSE_ERROR: 'INVALID_INPUT',
  BAD_REQUEST: 'INVALID_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  NOT_IMPLEMENTED: 'INTERNAL',
  BAD_GATEWAY: 'UNAVAILABLE',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
  GATEWAY_TIMEOUT: 'UNAVAILABLE',
  UNAUTHORIZED: 'UNAUTHORIZED',
  PAYMENT_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  TIMEOUT: 'REQUEST_TIMEOUT',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE_CONTENT: 'UNPROCESSABLE',
  PRECONDITION_REQUIRED: 'PRECONDITION_FAILED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  CLIENT_CLOSED_REQUEST: 'CLIENT_CLOSED_REQUEST',
} as const satisfies Record<TrpcErrorCodeName, BistroErrorCode>;

/** The Bistro code to report for an error that was raised by tRPC itself rather than by Bistro. */
export function bistroCodeForTrpcCode(code: string): BistroErrorCode {
  // An unknown code (a future tRPC's) is not the client's fault as far as anyone can tell.
  return Object.hasOwn(BISTRO_CODE_FOR_TRPC_CODE, code) ? BISTRO_CODE_FOR_TRPC_CODE[code as TrpcErrorCodeName] : 'INTERNAL';
}
