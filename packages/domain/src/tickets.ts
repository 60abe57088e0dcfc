import { z } from 'zod';
import { calendarDateSchema } from './hours.js';
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

/**
 * A station has finished its lines of a ticket (`done: true`), or not yet after all (`false`, a
 * recall). Not a step of the order's lifecycle: only while the order is placed or preparing.
 */
export const kitchenStationDoneInput = z.strictObject({ orderId: z.uuid(), stationId: z.uuid(), done: z.boolean() });

export const kitchenRejectInput = z.strictObject({ orderId: z.uuid(), reason: reasonSchema });

export const kitchenOnTicketsInput = z.strictObject({ locationId: z.uuid(), stationId: z.uuid().optional(), lastEventId: lastEventIdSchema });

/** The longest span of days one staff order list covers. */
export const MAX_ORDER_LIST_DAYS = 31;
/** Orders on one page of `orders.list`. */
export const ORDERS_PAGE_SIZE = 50;

/**
 * A location's orders for its staff and managers: one day (`day`, default today on the
 * location's calendar) or a span (`from` and `to`, both included, at most MAX_ORDER_LIST_DAYS),
 * optionally of one status, newest first; pass `nextCursor` back as `cursor` for the next page.
 * Every value is a string, so the same input reads from a REST query string.
 */
export const ordersListInput = z
  .strictObject({
    locationId: z.uuid(),
    day: calendarDateSchema.optional(),
    from: calendarDateSchema.optional(),
    to: calendarDateSchema.optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    cursor: cursorSchema.optional(),
  })
  .superRefine((value, ctx) => {
    const { day, from, to } = value;
    if (day !== undefined && (from !== undefined || to !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['day'], message: 'Give a day, or from and to, not both' });
      return;
    }
    if ((from === undefined) !== (to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [from === undefined ? 'from' : 'to'], message: 'Give both from and to' });
      return;
    }
    if (from !== undefined && to !== undefined) {
      const days = Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1;
      if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The range ends before it starts' });
      else if (days > MAX_ORDER_LIST_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `At most ${MAX_ORDER_LIST_DAYS} days at once` });
    }
  });
export type OrdersListInput = z.input<typeof ordersListInput>;
