import { z } from 'zod';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const MINUTES_PER_DAY = 24 * 60;

/**
 * One opening range on a weekday, in minutes after the location's local midnight.
 * `closesAt` may pass midnight (up to 24 h after `opensAt`): a bar open 18:00–02:00 on
 * Friday is `{ weekday: 5, opensAt: 1080, closesAt: 1560 }`.
 */
export interface OpeningRange {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  readonly opensAt: number;
  readonly closesAt: number;
}

// Schemas are marked pure, as in money.ts: a bundle that uses only the hour rules (the web app's
// first page) leaves them, and zod, out.
export const openingRangeSchema = /* @__PURE__ */ z
  .strictObject({
    weekday: z.number().int().min(1).max(7),
    opensAt: z.number().int().min(0).max(MINUTES_PER_DAY - 1),
    closesAt: z.number().int().min(1).max(2 * MINUTES_PER_DAY),
  })
  .refine((r) => r.closesAt > r.opensAt && r.closesAt - r.opensAt <= MINUTES_PER_DAY, {
    message: 'closesAt must be after opensAt and at most 24 hours later',
    path: ['closesAt'],
  });

/** Whether `timeZone` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  // Intl also takes offsets such as "+01:00", which PostgreSQL reads with the opposite sign
  // (POSIX): only named zones are accepted, so the JavaScript and SQL clocks always agree.
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = /* @__PURE__ */ z.string().min(1).max(64).refine(isValidTimeZone, 'Unknown IANA time zone');

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_NUMBER: Record<string, IsoWeekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The calendar day, weekday and minute of the day that `at` is on a wall clock in `timeZone`. */
export function localWeekdayAndMinute(timeZone: string, at: Date): { date: string; weekday: IsoWeekday; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  let weekday: IsoWeekday | undefined;
  let year = '';
  let month = '';
  let day = '';
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAY_NUMBER[part.value];
    else if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  if (weekday === undefined) throw new Error(`Could not read the weekday in ${timeZone}`);
  return { date: `${year}-${month}-${day}`, weekday, minute: hour * 60 + minute };
}

/** The calendar day before `date` ('YYYY-MM-DD'). */
function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The first calendar day whose closure can still matter at `at`, anywhere on Earth: a closure
 * of "yesterday" (local) can shut a late night, and local days run from UTC−12 to UTC+14, so
 * two UTC days back covers every zone. Queries read closures from this day on; older ones are
 * harmless to include and never needed. Taken from the request's clock, never the database's.
 */
export function closuresSince(at: Date): string {
  return new Date(at.getTime() - 2 * 24 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Whether a location with these opening ranges is open at the instant `at`, reading the
 * ranges on the location's own wall clock. A range that passes midnight keeps the location
 * open into the next morning. A closure date shuts the ranges that open on that date (its
 * late night included). The one opening-hours rule: menu.get, locations.list, orders.slots
 * and orders.place all ask it.
 */
export function isOpenAt(ranges: readonly OpeningRange[], timeZone: string, at: Date, closures: readonly string[] = []): boolean {
  if (ranges.length === 0) return false;
  const { date, weekday, minute } = localWeekdayAndMinute(timeZone, at);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  const closedToday = closures.includes(date);
  const closedYesterday = closures.length > 0 && closures.includes(dayBefore(date));
  for (const range of ranges) {
    if (!closedToday && range.weekday === weekday && minute >= range.opensAt && minute < range.closesAt) return true;
    if (!closedYesterday && range.weekday === yesterday && minute + MINUTES_PER_DAY < range.closesAt) return true;
  }
  return false;
}

/** "HH:MM" for a minute of the day; minutes past midnight wrap (1560 → "02:00"). */
export function minuteToClock(minute: number): string {
  const m = ((minute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * A calendar day, `YYYY-MM-DD`, that exists (no 2026-02-30) and lies in years PostgreSQL and
 * a restaurant both care about (1970–9999).
 */
export const calendarDateSchema = /* @__PURE__ */ z.iso.date('Use YYYY-MM-DD').refine((day) => {
  const year = Number(day.slice(0, 4));
  return year >= 1970 && year <= 9999;
}, 'Use a date between 1970 and 9999');

/** Orders are taken for 15-minute slots; a wanted-at time must start one. */
export const SLOT_MINUTES = 15;
export const SLOT_MS = SLOT_MINUTES * 60_000;

/** Whether `at` starts a slot (a quarter hour on every real time zone's wall clock). */
export function isSlotBoundary(at: Date): boolean {
  return at.getTime() % SLOT_MS === 0;
}

/** The slot `at` falls in. */
export function slotOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / SLOT_MS) * SLOT_MS);
}

/** The calendar day (`YYYY-MM-DD`) that `at` is on a wall clock in `timeZone`: the day an order's daily number counts in. */
export function localDate(timeZone: string, at: Date): string {
  return localWeekdayAndMinute(timeZone, at).date;
}

/**
 * Every slot that starts on the local calendar `date` while the location is open (by
 * `isOpenAt`, closures included), in time order. A range running past midnight gives its
 * late slots to the next calendar day; on a daylight-saving day the wall clock decides (a day
 * of 23 or 25 hours has 92 or 100 quarter hours).
 */
export function slotStartsOn(ranges: readonly OpeningRange[], timeZone: string, date: string, closures: readonly string[] = []): Date[] {
  // Local days run from UTC−12 to UTC+14: every instant of `date` anywhere lies in this span.
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  const starts: Date[] = [];
  for (let t = midnightUtc - 14 * 3_600_000; t < midnightUtc + 36 * 3_600_000; t += SLOT_MS) {
    const at = new Date(t);
    if (localDate(timeZone, at) === date && isOpenAt(ranges, timeZone, at, closures)) starts.push(at);
  }
  return starts;
}

/** `YYYY-MM-DD` plus `days`, as a calendar day. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * When a location opens next after `at`: `at` itself while it is open, else the first slot start
 * (a quarter hour) at which `isOpenAt` holds, looking eight days ahead; null when it stays shut.
 * The picker's "opens Tue 12:00" and a closed location's refusal both read it.
 */
export function nextOpeningAt(ranges: readonly OpeningRange[], timeZone: string, at: Date, closures: readonly string[] = []): Date | null {
  if (isOpenAt(ranges, timeZone, at, closures)) return at;
  const today = localDate(timeZone, at);
  // Yesterday too: its range past midnight may still open a slot this morning (slotStartsOn counts it for today).
  for (let d = 0; d <= 8; d++) {
    const date = addDays(today, d);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
    const yesterday = weekday === 1 ? 7 : weekday - 1;
    // Only days with a range that can open slots on them are scanned quarter hour by quarter hour.
    if (!ranges.some((r) => r.weekday === weekday || (r.weekday === yesterday && r.closesAt > MINUTES_PER_DAY))) continue;
    const next = slotStartsOn(ranges, timeZone, date, closures).find((start) => start > at);
    if (next) return next;
  }
  return null;
}
