/**
 * Opening hours for display. Whether a location is open and when it opens next are the domain's
 * rules (`isOpenAt`, `nextOpeningAt`), answered by the server in `locations.list` or run on
 * menu.get's hours; here only the restaurant's wall clock is read, with Intl alone, so the first
 * page carries no schema library.
 */

/** A location's hours as Bistro sends them: ISO weekday, minutes of its own wall clock. */
export interface Hours {
  timeZone: string;
  openingHours: readonly { weekday: number; opensAt: number; closesAt: number }[];
  closures: readonly string[];
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const clocks = new Map<string, Intl.DateTimeFormat>();

/** The restaurant's calendar day, ISO weekday and minute of the day at `at`. */
export function wallClock(timeZone: string, at: Date): { date: string; weekday: number; minute: number } {
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** `YYYY-MM-DD` plus `days`, as a calendar day. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today's opening ranges on the restaurant's wall clock (none on a closure day). */
export function todaysRanges(hours: Hours, at: Date): { opensAt: number; closesAt: number }[] {
  const { date, weekday } = wallClock(hours.timeZone, at);
  if (hours.closures.includes(date)) return [];
  return hours.openingHours.filter((r) => r.weekday === weekday).sort((a, b) => a.opensAt - b.opensAt);
}

/** When today's open range ends, while open now (null past midnight or when closed). */
export function openUntil(hours: Hours, at: Date): Date | null {
  const { minute } = wallClock(hours.timeZone, at);
  const range = todaysRanges(hours, at).find((r) => minute >= r.opensAt && minute < r.closesAt);
  return range ? new Date(at.getTime() + (range.closesAt - minute) * 60_000 - (at.getTime() % 60_000)) : null;
}

/** The closure days still ahead (today included), soonest first. */
export function upcomingClosures(hours: Hours, at: Date): string[] {
  const { date } = wallClock(hours.timeZone, at);
  return [...hours.closures].filter((d) => d >= date).sort();
}
