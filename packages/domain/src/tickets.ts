import { z } from 'zod';
import { ORDER_STATUSES } from './lifecycle.js';

/**
 * Inputs of an order's life after it is placed: reading it, cancelling it, the kitchen's
 * queue and bumps, and the live feeds.
 */

/** An event id from a live feed (order_events.id), as the client got it from `tracked()`. */
export const lastEventIdSchema = z.string().regex(/^\d{1,18}$/, 'Not an event id').nullish();

const reasonSchema = z.string().trim().min(1).max(300);

/**
 * A tracking token as presented: any short string. A wrong or mangled token answers NOT_FOUND,
 * like a wrong one, rather than telling a prober which strings look like tokens.
 */
const presentedTokenSchema = z.string().min(1).max(200);

/** One order: a signed-in orderer or staff name it by id, anyone holding its tracking token by the token. */
export const orderGetInput = z.union([z.strictObject({ orderId: z.uuid() }), z.strictObject({ trackingToken: presentedTokenSchema })]);
export const orderTrackInput = z.strictObject({ trackingToken: presentedTokenSchema });
export const ordersListMineInput = z.strictObject({ cursor: z.string().max(200).optional() }).optional();

/** The orderer cancels: a signed-in customer by the order's id, anyone by its tracking token. */
export const orderCancelInput = z.union([
  z.strictObject({ orderId: z.uuid(), reason: reasonSchema.optional() }),
  z.strictObject({ trackingToken: presentedTokenSchema, reason: reasonSchema.optional() }),
]);

export const orderOnStatusInput = z.union([
  z.strictObject({ orderId: z.uuid(), lastEventId: lastEventIdSchema }),
  z.strictObject({ trackingToken: presentedTokenSchema, lastEventId: lastEventIdSchema }),
]);

export const kitchenQueueInput = z.strictObject({ locationId: z.uuid() });

/** `from` is the status the screen showed: if the ticket has moved on since, the bump is refused. */
export const kitchenBumpInput = z.strictObject({ orderId: z.uuid(), from: z.enum(ORDER_STATUSES) });

export const kitchenRejectInput = z.strictObject({ orderId: z.uuid(), reason: reasonSchema });

export const kitchenOnTicketsInput = z.strictObject({ locationId: z.uuid(), lastEventId: lastEventIdSchema });
