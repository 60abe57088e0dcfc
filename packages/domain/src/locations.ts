import { z } from 'zod';
import { calendarDateSchema, MINUTES_PER_DAY, timeZoneSchema, type OpeningRange } from './hours.js';
import { currencyCodeSchema } from './money.js';
import { slugSchema } from './schemas.js';
import { multiLineText, singleLineText } from './text.js';

/**
 * Editing a location: its details, opening hours as a manager types them ("HH:MM"), and
 * closures on dates. Shared by the api and by front-end forms.
 */

const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A wall-clock time of day, "00:00" to "23:59". */
export const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 00:00 to 23:59');

export function clockToMinute(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** One opening range. `closes` at or before `opens` means it closes after midnight (18:00–02:00). */
export const openingHoursRangeSchema = z.strictObject({
  /** ISO weekday, 1 = Monday … 7 = Sunday: the day the range opens. */
  weekday: z.number().int().min(1).max(7),
  opens: clockSchema,
  closes: clockSchema,
});
export type OpeningHoursRange = z.infer<typeof openingHoursRangeSchema>;

/** The stored form: minutes after local midnight, `closesAt` past 1440 when it closes after midnight. */
export function rangeToMinutes(range: OpeningHoursRange): OpeningRange {
  const opensAt = clockToMinute(range.opens);
  const closes = clockToMinute(range.closes);
  return { weekday: range.weekday, opensAt, closesAt: closes <= opensAt ? closes + MINUTES_PER_DAY : closes };
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * Index pairs of ranges that overlap anywhere in the week, which wraps: Sunday's 22:00–02:00
 * overlaps Monday's 01:00–10:00. Touching ranges (12:00–15:00 and 15:00–18:00) don't overlap.
 */
export function overlappingRanges(ranges: readonly OpeningRange[]): [number, number][] {
  const spans = ranges.map((r) => {
    const start = (r.weekday - 1) * MINUTES_PER_DAY + r.opensAt;
    return { start, end: start + (r.closesAt - r.opensAt) };
  });
  const pairs: [number, number][] = [];
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i]!;
      const b = spans[j]!;
      for (const shift of [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK]) {
        if (a.start < b.end + shift && b.start + shift < a.end) {
          pairs.push([i, j]);
          break;
        }
      }
    }
  }
  return pairs;
}

/** A week of opening ranges (several a day allowed), refused when any two overlap. */
export const openingHoursSchema = z
  .array(openingHoursRangeSchema)
  .max(7 * 12, 'At most 12 ranges a day')
  .superRefine((ranges, ctx) => {
    for (const [i, j] of overlappingRanges(ranges.map(rangeToMinutes))) {
      const other = ranges[i]!;
      ctx.addIssue({
        code: 'custom',
        path: [j],
        message: `Overlaps ${WEEKDAY_NAMES[other.weekday - 1]} ${other.opens}–${other.closes}`,
      });
    }
  });

/** A day the location is closed, whatever its hours say. */
export const closureSchema = z.strictObject({
  date: calendarDateSchema,
  reason: singleLineText({ max: 200, min: 0 }).default(''),
});

export const closuresSchema = z
  .array(closureSchema)
  .max(366)
  .superRefine((closures, ctx) => {
    const seen = new Set<string>();
    closures.forEach((c, i) => {
      if (seen.has(c.date)) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: 'This date is listed twice' });
      seen.add(c.date);
    });
  });

/** A tax rate in basis points: 2000 = 20 %. Never a fraction. */
export const taxRateBpSchema = z.number().int('Use whole basis points (2000 = 20 %)').min(0).max(10_000);

export const locationNameSchema = singleLineText({ max: 200 });

/** The street address as printed: may span lines, may be empty. */
export const addressSchema = multiLineText({ max: 500, min: 0 });

/** Ordering settings: how far ahead a wanted-at time must be, and how many orders one 15-minute slot takes. */
export const prepMinutesSchema = z.number().int().min(0).max(1440);
export const slotCapacitySchema = z.number().int().min(0).max(1000);
/** The letters before the daily order number: "#A-042". */
export const orderPrefixSchema = z.string().regex(/^[A-Z]{1,3}$/, 'Use 1 to 3 capital letters');

export const locationCreateInput = z.strictObject({
  slug: slugSchema,
  name: locationNameSchema,
  address: addressSchema.default(''),
  timeZone: timeZoneSchema,
  currency: currencyCodeSchema,
  taxRateBp: taxRateBpSchema,
  openingHours: openingHoursSchema.default([]),
  closures: closuresSchema.default([]),
  acceptingOrders: z.boolean().default(true),
  prepMinutes: prepMinutesSchema.default(20),
  slotCapacity: slotCapacitySchema.default(10),
  orderPrefix: orderPrefixSchema.default('A'),
});
export type LocationCreateInput = z.input<typeof locationCreateInput>;

/** A location as its manager edits it (`locations.get`): details, hours, closures and the `version` to send back. */
export const locationGetInput = z.strictObject({ locationId: z.uuid() });

/** The changes a manager makes, with the `version` they last saw. Absent fields stay as they are. */
export const locationUpdateInput = z.strictObject({
  locationId: z.uuid(),
  version: z.number().int().min(1).max(2_147_483_647),
  name: locationNameSchema.optional(),
  address: addressSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  currency: currencyCodeSchema.optional(),
  taxRateBp: taxRateBpSchema.optional(),
  /** Replaces the whole week. */
  openingHours: openingHoursSchema.optional(),
  /** Replaces the whole set of closures. */
  closures: closuresSchema.optional(),
  acceptingOrders: z.boolean().optional(),
  prepMinutes: prepMinutesSchema.optional(),
  slotCapacity: slotCapacitySchema.optional(),
  orderPrefix: orderPrefixSchema.optional(),
});
export type LocationUpdateInput = z.input<typeof locationUpdateInput>;
