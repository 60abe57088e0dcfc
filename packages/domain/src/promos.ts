import { z } from 'zod';
import { calendarDateSchema } from './hours.js';
import { currencyCodeSchema, nonNegativeMinorUnitsSchema } from './money.js';

/** Discount codes (DOMAIN.md: promo code). How one applies to a cart is priceCart's (pricing.ts). */
export const PROMO_KINDS = ['percent', 'amount'] as const;
export type PromoKind = (typeof PROMO_KINDS)[number];

/** A code as typed: letters, digits, - and _, any case (stored upper case). */
export const promoCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,32}$/, 'Use 3 to 32 letters, digits, - or _')
  .transform((code) => code.toUpperCase());

/**
 * A percentage off (in basis points: 1500 is 15 %), or a fixed amount in a currency. A location's
 * own code takes the location's currency (`currency` may be left out, or must name it); a code
 * for every location must name its currency, and applies only at locations that charge in it
 * (priceCart's promoProblem: PROMO_CURRENCY_MISMATCH elsewhere).
 */
export const promoDiscountSchema = z.union([
  z.strictObject({ percentBp: z.number().int().min(1, 'At least 0.01 %').max(10_000, 'At most 100 %') }),
  z.strictObject({ amountMinor: nonNegativeMinorUnitsSchema.min(1).max(100_000_000), currency: currencyCodeSchema.optional() }),
]);
export type PromoDiscount = z.infer<typeof promoDiscountSchema>;

const promoMinSubtotalSchema = nonNegativeMinorUnitsSchema.max(100_000_000);
const promoMaxUsesSchema = z.number().int().min(1, 'At least 1').max(1_000_000);
const promoMaxUsesPerCustomerSchema = z.number().int().min(1, 'At least 1').max(1000);

function validDates(p: { validFrom?: string | null | undefined; validTo?: string | null | undefined }, ctx: z.RefinementCtx) {
  if (p.validFrom && p.validTo && p.validFrom > p.validTo) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'Ends before it starts' });
}

export const promoCreateInput = z
  .strictObject({
    /** The location the code is for; null: every location (admins only). */
    locationId: z.uuid().nullable(),
    code: promoCodeSchema,
    discount: promoDiscountSchema,
    minSubtotalMinor: promoMinSubtotalSchema.default(0),
    /** Calendar dates in the location's time zone, both included. */
    validFrom: calendarDateSchema.optional(),
    validTo: calendarDateSchema.optional(),
    maxUses: promoMaxUsesSchema.optional(),
    maxUsesPerCustomer: promoMaxUsesPerCustomerSchema.optional(),
    active: z.boolean().default(true),
  })
  .superRefine(validDates)
  .superRefine((p, ctx) => {
    if (p.locationId === null && 'amountMinor' in p.discount && !p.discount.currency) {
      ctx.addIssue({ code: 'custom', path: ['discount', 'currency'], message: 'A fixed amount for every location needs its currency' });
    }
  });
export type PromoCreateInput = z.infer<typeof promoCreateInput>;

/**
 * A code's terms, edited: every term is given (null clears a date or a limit). The code itself
 * stays (guests may already hold it); its uses so far stay counted.
 */
export const promoUpdateInput = z
  .strictObject({
    promoId: z.uuid(),
    discount: promoDiscountSchema,
    minSubtotalMinor: promoMinSubtotalSchema,
    validFrom: calendarDateSchema.nullable(),
    validTo: calendarDateSchema.nullable(),
    maxUses: promoMaxUsesSchema.nullable(),
    maxUsesPerCustomer: promoMaxUsesPerCustomerSchema.nullable(),
    active: z.boolean(),
  })
  .superRefine(validDates);
export type PromoUpdateInput = z.infer<typeof promoUpdateInput>;

export const promoListInput = z.strictObject({ locationId: z.uuid() });
export const promoSetActiveInput = z.strictObject({ promoId: z.uuid(), active: z.boolean() });
