import { z } from 'zod';
import { calendarDateSchema } from './hours.js';

/**
 * Reports for a location's manager: sales, the kitchen's speed and the items. Every range is a
 * span of the location's own calendar days, `from` and `to` both included, so a day that is 23
 * or 25 hours long around a DST change counts exactly its own orders.
 */

/** How sales are split into rows. */
export const SALES_GROUPINGS = ['day', 'hour', 'weekday', 'item', 'category', 'orderType'] as const;
export type SalesGrouping = (typeof SALES_GROUPINGS)[number];

/** The longest range one report covers: a year and a bit, so a year against the last is one call. */
export const MAX_REPORT_DAYS = 400;

const DAY_MS = 86_400_000;

/** Days from `from` to `to`, both included (calendar arithmetic on UTC noon: no DST in it). */
export function reportDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / DAY_MS) + 1;
}

const range = {
  locationId: z.uuid(),
  from: calendarDateSchema,
  to: calendarDateSchema,
};

function checkRange(value: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = reportDays(value.from, value.to);
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The range ends before it starts' });
  else if (days > MAX_REPORT_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `A report covers at most ${MAX_REPORT_DAYS} days` });
}

export const salesReportInput = z.strictObject({ ...range, groupBy: z.enum(SALES_GROUPINGS) }).superRefine(checkRange);
export type SalesReportInput = z.infer<typeof salesReportInput>;

export const kitchenReportInput = z.strictObject(range).superRefine(checkRange);
export type KitchenReportInput = z.infer<typeof kitchenReportInput>;

/** How many best and worst sellers `reports.items` lists. */
export const itemsReportInput = z.strictObject({ ...range, limit: z.number().int().min(1).max(100).default(10) }).superRefine(checkRange);
export type ItemsReportInput = z.infer<typeof itemsReportInput>;

export const overviewInput = z.strictObject({ locationId: z.uuid() });

/** The reports a CSV download can carry; `orders` is every counted order of the range, one row each. */
export const CSV_REPORTS = ['sales', 'kitchen', 'items', 'orders'] as const;
export type CsvReport = (typeof CSV_REPORTS)[number];

/** A CSV download's query string (all values arrive as text). */
export const csvReportQuery = z
  .strictObject({ ...range, groupBy: z.enum(SALES_GROUPINGS).optional() })
  .superRefine(checkRange);

/**
 * The money figures of a report row, in minor units of the location's currency, each its own
 * figure: net = gross − discounts − refunds (tax and tips are beside it, never inside).
 */
export interface SalesFigures {
  orders: number;
  grossMinor: number;
  discountMinor: number;
  refundMinor: number;
  netMinor: number;
  taxMinor: number;
  tipMinor: number;
}

/** Median and 90th percentile of seconds from placed to ready, or null with no ticket ready. */
export interface PrepTimes {
  tickets: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused (formula injection in spreadsheets). */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
