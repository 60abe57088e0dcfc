import { bistroErrorCode, type BistroErrorCode } from '@bistro/client';

/**
 * What a guest reads for each refusal Bistro can answer. The map is typed over the whole code
 * union: a code added on the server without a message here fails to compile (`satisfies`), and
 * so does a message for a code that no longer exists.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: 'Some details need another look.',
  NOT_FOUND: 'We couldn’t find that. It may have been removed.',
  UNAUTHORIZED: 'Please sign in to continue.',
  PAYLOAD_TOO_LARGE: 'That is more than we can take in one go.',
  TOO_MANY_REQUESTS: 'Too many attempts. Please wait a moment and try again.',
  METHOD_NOT_SUPPORTED: 'Something went wrong on our side. Please try again.',
  UNAVAILABLE: 'We can’t reach the restaurant right now. Please try again in a moment.',
  INVALID_CREDENTIALS: 'That email and password don’t match an account.',
  PASSWORD_TOO_COMMON: 'That password is too common. Please choose another.',
  TOKEN_INVALID: 'This link is not valid. Check that you opened the whole link from the email.',
  TOKEN_EXPIRED: 'This link has expired. Ask for a new one.',
  TOKEN_USED: 'This link has already been used.',
  FORBIDDEN_ORIGIN: 'This page may not make changes. Open Bistro from its own address.',
  CANNOT_DISABLE_SELF: 'You can’t disable your own account.',
  STALE_VERSION: 'Someone changed this meanwhile. Reload and try again.',
  ALREADY_EXISTS: 'That name is already taken.',
  STOCK_WOULD_GO_NEGATIVE: 'There isn’t enough stock for that.',
  INGREDIENT_UNIT_LOCKED: 'This ingredient’s unit can’t change any more.',
  MENU_ENTRY_ARCHIVED: 'That is no longer on the menu.',
  MENU_ORDER_MISMATCH: 'The menu changed meanwhile. Reload and try again.',
  OPTION_GROUP_RULES: 'Those choices don’t follow the rules of the group.',
  OPTION_GROUP_TOO_DEEP: 'Choices can’t nest that deep.',
  SOLD_OUT: 'Something in your order has just sold out.',
  CART_ITEM_UNKNOWN: 'An item in your cart is no longer on the menu.',
  CART_OPTION_INVALID: 'A choice in your cart is no longer offered.',
  CART_OPTION_RULES: 'A dish in your cart needs its choices completed.',
  LOCATION_CLOSED: 'The restaurant isn’t taking orders at that time.',
  WANTED_AT_INVALID: 'That time can’t be chosen any more. Pick another.',
  SLOT_FULL: 'That time is fully booked.',
  ORDER_TRANSITION_REFUSED: 'This order has already moved on, so that can’t be done now.',
  STATION_NOT_ON_TICKET: 'This station has nothing on that ticket.',
  IDEMPOTENCY_KEY_REUSED: 'Your order changed while it was being sent. Please place it again.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  PHOTO_TOO_LARGE: 'That photo is too large.',
  PHOTO_EMPTY: 'That photo is empty.',
  PHOTO_TYPE_NOT_ALLOWED: 'Use a JPEG, PNG or WebP photo.',
  PHOTO_TOO_MANY_PIXELS: 'That photo has too many pixels.',
  PHOTO_UNREADABLE: 'That photo can’t be read.',
  UNSUPPORTED_MEDIA_TYPE: 'Something went wrong on our side. Please try again.',
  BATCH_TOO_LARGE: 'Something went wrong on our side. Please try again.',
  FORBIDDEN: 'You can’t do that.',
  CONFLICT: 'That clashes with a change made meanwhile. Reload and try again.',
  PRECONDITION_FAILED: 'Something changed meanwhile. Reload and try again.',
  UNPROCESSABLE: 'That can’t be done as it stands.',
  REQUEST_TIMEOUT: 'The connection is slow. Please try again.',
  CLIENT_CLOSED_REQUEST: 'The request was cancelled.',
  REFUND_EXCEEDS_CAPTURED: 'That is more than is left to refund on this order.',
  NOTHING_TO_REFUND: 'There is nothing left to refund on this order.',
  TENDER_REFUSED: 'This order can’t take that payment now.',
  PAYMENT_INVALID: 'This payment is no longer valid. Please start the payment again.',
  WEBHOOK_SIGNATURE_INVALID: 'Something went wrong on our side. Please try again.',
  WEBHOOK_TIMESTAMP_INVALID: 'Something went wrong on our side. Please try again.',
  PROMO_INVALID: 'That code isn’t valid here.',
  PROMO_EXPIRED: 'That code isn’t valid at this time.',
  PROMO_EXHAUSTED: 'That code has been used up.',
  PROMO_MINIMUM_NOT_MET: 'Your order is below that code’s minimum.',
  API_KEY_INVALID: 'This API key is not valid.',
  SCOPE_MISSING: 'This API key may not do that.',
  NOT_IN_FUTURE: 'Choose a time in the future.',
  OIDC_STATE_INVALID: 'That sign-in didn’t complete. Please start again.',
  OIDC_FAILED: 'We couldn’t sign you in with that provider. Please try again.',
  OIDC_EMAIL_UNVERIFIED: 'Your provider hasn’t verified your email, so we can’t sign you in with it.',
  CAMPAIGN_NOT_DRAFT: 'This campaign is being sent or was sent; it can’t change any more.',
  CAMPAIGN_NO_RECIPIENTS: 'No one has confirmed a subscription to this newsletter yet.',
} as const satisfies Record<BistroErrorCode, string>;

/** When there is no Bistro answer at all (offline, the connection dropped). */
export const NETWORK_MESSAGE = 'We couldn’t reach the restaurant. Check your connection and try again.';

/** The guest's message for anything a call threw. */
export function errorMessage(error: unknown): string {
  const code = bistroErrorCode(error);
  return code ? ERROR_MESSAGES[code] : NETWORK_MESSAGE;
}
