import { z } from 'zod';
import { ORDER_STATUSES } from './lifecycle.js';
import { cursorSchema } from './auth.js';
import { singleLineText } from './text.js';

/**
 * Inputs of an order's life after it is placed: reading it, cancelling it, the kitchen's
 * queue and bumps, and the live feeds.
 */

/** An event id from a live feed (order_events.id), as the client got it from `tracked()`. */
export const lastEventIdSchema = z.string().regex(/^\d{1,18}$/, 'Not an event id').nullish();

const reasonSchema = singleLineText({ max: 300 });

/**
 * A tracking token as presented: any short run of printable ASCII characters. A wrong or mangled
 * token answers NOT_FOUND, like a wrong one, rather than telling a prober which strings look
 * like tokens; control characters and other non-ASCII text are no token of any shape (INVALID_INPUT).
 */
const presentedTokenSchema = z.string().min(1).max(200).regex(/^[\x20-\x7e]+$/, 'Not a tracking token');

/** One order: a signed-in orderer or staff name it by id, anyone holding its tracking token by the token. */
export const orderGetInput = z.union([z.strictObject({ orderId: z.uuid() }), z.strictObject({ trackingToken: presentedTokenSchema })]);
export const orderTrackInput = z.strictObject({ trackingToken: presentedTokenSchema });
export const ordersListMineInput = z.strictObject({ cursor: cursorSchema.optional() }).optional();

/** The orderer cancels: a signed-in customer by the order's id, anyone by its tracking token. */
export const orderCancelInput = z.union([
  z.strictObject({ orderId: z.uuid(), reason: reasonSchema.optional() }),
  z.strictObject({ trackingToken: presentedTokenSchema, reason: reasonSchema.optional() }),
]);

export const orderOnStatusInput = z.union([
  z.strictObject({ orderId: z.uuid(), lastEventId: lastEventIdSchema }),
  z.strictObject({ trackingToken: presentedTokenSchema, lastEventId: lastEventIdSchema }),
]);

/** With `stationId`, only that station's lines (and only tickets that have some); without it, expo: whole orders. */
export const kitchenQueueInput = z.strictObject({ locationId: z.uuid(), stationId: z.uuid().optional() });

/** `from` is the status the screen showed: if the ticket has moved on since, the bump is refused. */
export const kitchenBumpInput = z.strictObject({ orderId: z.uuid(), from: z.enum(ORDER_STATUSES) });

export const kitchenRejectInput = z.strictObject({ orderId: z.uuid(), reason: reasonSchema });

export const kitchenOnTicketsInput = z.strictObject({ locationId: z.uuid(), stationId: z.uuid().optional(), lastEventId: lastEventIdSchema });
