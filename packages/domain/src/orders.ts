import { z } from 'zod';
import { emailSchema, personNameSchema } from './auth.js';
import { nonNegativeMinorUnitsSchema } from './money.js';
import { calendarDateSchema } from './hours.js';
import { promoCodeSchema } from './promos.js';
import { slugSchema } from './schemas.js';
import { multiLineText, singleLineText } from './text.js';

/** Limits that keep one order to something a kitchen can cook. */
export const MAX_CART_LINES = 50;
export const MAX_LINE_QUANTITY = 99;
export const MAX_NOTE_LENGTH = 500;

// Types a client sees are written without zod, so @bistro/client's declarations need no zod.
export const ORDER_TYPES = ['dine_in', 'pickup', 'delivery'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const orderTypeSchema = z.enum(ORDER_TYPES);

export const cartLineSchema = z.strictObject({
  itemId: z.uuid(),
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  options: z.array(z.uuid()).max(30).default([]),
  note: multiLineText({ max: MAX_NOTE_LENGTH, min: 0 }).optional(),
});

export const tipSchema = z.union([
  z.strictObject({ percent: z.number().int().min(0).max(100) }),
  z.strictObject({ amountMinor: nonNegativeMinorUnitsSchema.max(1_000_000) }),
]);

const cartFields = {
  locationSlug: slugSchema,
  type: orderTypeSchema,
  table: singleLineText({ max: 20 }).optional(),
  /** When the guest wants it (a Date, or an ISO 8601 string with offset); omitted means as soon as possible. */
  wantedAt: z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]).optional(),
  lines: z.array(cartLineSchema).min(1).max(MAX_CART_LINES),
  tip: tipSchema.optional(),
  /** A discount code, as the guest typed it. */
  promoCode: promoCodeSchema.optional(),
};

function tableRules(cart: { type: OrderType; table?: string | undefined }, ctx: z.RefinementCtx) {
  if (cart.type === 'dine_in' && !cart.table) ctx.addIssue({ code: 'custom', path: ['table'], message: 'A dine-in order needs a table' });
  if (cart.type !== 'dine_in' && cart.table) ctx.addIssue({ code: 'custom', path: ['table'], message: 'Only dine-in orders have a table' });
}

export const quoteInput = z.strictObject(cartFields).superRefine(tableRules);
export type QuoteInput = z.infer<typeof quoteInput>;

export const contactSchema = z.strictObject({
  name: personNameSchema,
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'Enter a phone number').optional(),
  email: emailSchema.optional(),
  /** Delivery orders only. */
  address: multiLineText({ min: 5, max: 300 }).optional(),
});

export const placeInput = z
  .strictObject({
    ...cartFields,
    contact: contactSchema,
    /** A fresh random key per checkout (a UUID); retrying with it never places a second order. */
    idempotencyKey: z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/),
    /** `online`: pay through the provider before the kitchen sees the order; omitted: at the counter. */
    payment: z.enum(['counter', 'online']).optional(),
    /** Online only: the part this card pays (the rest by other tenders: another card, or cash at the counter); omitted: the whole total. */
    paymentAmountMinor: nonNegativeMinorUnitsSchema.min(1).optional(),
  })
  .superRefine(tableRules)
  .superRefine((order, ctx) => {
    if (order.type === 'delivery' && !order.contact.address) {
      ctx.addIssue({ code: 'custom', path: ['contact', 'address'], message: 'A delivery needs an address' });
    }
    if (order.type !== 'delivery' && order.contact.address) {
      ctx.addIssue({ code: 'custom', path: ['contact', 'address'], message: 'Only deliveries take an address' });
    }
    if (order.paymentAmountMinor !== undefined && order.payment !== 'online') {
      ctx.addIssue({ code: 'custom', path: ['paymentAmountMinor'], message: 'Only an online payment takes an amount' });
    }
  });
export type PlaceInput = z.infer<typeof placeInput>;

export const slotsInput = z.strictObject({ locationSlug: slugSchema, date: calendarDateSchema });
