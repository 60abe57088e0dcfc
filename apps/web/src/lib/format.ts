import { formatMoney, money } from '@bistro/client';

/** The guest's language, for numbers and dates; the restaurant's currency and time zone come with each call. */
export const locale = typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';

/** Integer minor units in the location's currency: 1250 EUR → "€12.50" (no floats on the way). */
export function formatPrice(amountMinor: number, currency: string): string {
  return formatMoney(money(amountMinor, currency), locale);
}

/** A price delta for an option: "+€2.50", or nothing for a free one. */
export function formatDelta(deltaMinor: number, currency: string): string {
  if (deltaMinor === 0) return '';
  return `${deltaMinor > 0 ? '+' : '−'}${formatPrice(Math.abs(deltaMinor), currency)}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = timeFormats.get(key);
  if (!f) timeFormats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return f;
}

/** "19:15" on the restaurant's wall clock. */
export function formatTime(at: Date, timeZone: string): string {
  return format(timeZone, { hour: 'numeric', minute: '2-digit' }).format(at);
}

/** "Tue 1 Dec, 19:15" on the restaurant's wall clock. */
export function formatDayTime(at: Date, timeZone: string): string {
  return format(timeZone, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(at);
}

/** "Tuesday" for an ISO weekday (1 = Monday). */
export function weekdayName(weekday: number): string {
  // 2024-01-01 was a Monday.
  return format('UTC', { weekday: 'long' }).format(Date.UTC(2024, 0, weekday));
}

/** A minute of the restaurant's day as its wall-clock time, "12:00"; past midnight wraps. */
export function formatMinute(minute: number): string {
  const m = ((minute % 1440) + 1440) % 1440;
  return format('UTC', { hour: 'numeric', minute: '2-digit' }).format(Date.UTC(2024, 0, 1, Math.floor(m / 60), m % 60));
}

/**
 * "Paris time" when the guest's own time zone is not the restaurant's (times are always the
 * restaurant's), or nothing when they are the same.
 */
export function zoneLabel(timeZone: string): string | null {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (own === timeZone) return null;
  const city = timeZone.split('/').at(-1)?.replaceAll('_', ' ') ?? timeZone;
  return `${city} time`;
}
