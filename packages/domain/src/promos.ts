import { z } from 'zod';
import { calendarDateSchema } from './hours.js';
import { nonNegativeMinorUnitsSchema } from './money.js';

/** Discount codes (DOMAIN.md: promo code). How one applies to a cart is priceCart's (pricing.ts). */
export const PROMO_KINDS = ['percent', 'amount'] as const;
export type PromoKind = (typeof PROMO_KINDS)[number];

/** A code as typed: letters, digits, - and _, any case (stored upper case). */
export const promoCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,32}$/, 'Use 3 to 32 letters, digits, - or _')
  .transform((code) => code.toUpperCase());

export const promoCreateInput = z
  .strictObject({
    locationId: z.uuid(),
    code: promoCodeSchema,
    /** A percentage off (in basis points: 1500 is 15 %), or a fixed amount in the location's currency. */
    discount: z.union([
      z.strictObject({ percentBp: z.number().int().min(1).max(10_000) }),
      z.strictObject({ amountMinor: nonNegativeMinorUnitsSchema.min(1).max(100_000_000) }),
    ]),
    minSubtotalMinor: nonNegativeMinorUnitsSchema.max(100_000_000).default(0),
    /** Calendar dates in the location's time zone, both included. */
    validFrom: calendarDateSchema.optional(),
    validTo: calendarDateSchema.optional(),
    maxUses: z.number().int().min(1).max(1_000_000).optional(),
    maxUsesPerCustomer: z.number().int().min(1).max(1000).optional(),
    active: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    if (p.validFrom && p.validTo && p.validFrom > p.validTo) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'Ends before it starts' });
  });
export type PromoCreateInput = z.infer<typeof promoCreateInput>;

export const promoListInput = z.strictObject({ locationId: z.uuid() });
export const promoSetActiveInput = z.strictObject({ promoId: z.uuid(), active: z.boolean() });
