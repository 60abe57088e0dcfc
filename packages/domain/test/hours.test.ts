import { describe, expect, it } from 'vitest';
import { isOpenAt, isValidTimeZone, minuteToClock, openingRangeSchema, type OpeningRange } from '../src/index.js';

// Friday 18:00–02:00 (past midnight) and Saturday 12:00–14:00.
const hours: OpeningRange[] = [
  { weekday: 5, opensAt: 18 * 60, closesAt: 26 * 60 },
  { weekday: 6, opensAt: 12 * 60, closesAt: 14 * 60 },
];

describe('opening hours', () => {
  it('reads the hours on the location’s own wall clock', () => {
    // 2026-11-27 is a Friday. 18:30 in Paris is 17:30 UTC.
    expect(isOpenAt(hours, 'Europe/Paris', new Date('2026-11-27T17:30:00Z'))).toBe(true);
    // The same instant is 12:30 in New York: closed there.
    expect(isOpenAt(hours, 'America/New_York', new Date('2026-11-27T17:30:00Z'))).toBe(false);
  });

  it('keeps a Friday-night range open past midnight into Saturday', () => {
    expect(isOpenAt(hours, 'UTC', new Date('2026-11-28T01:59:00Z'))).toBe(true);
    expect(isOpenAt(hours, 'UTC', new Date('2026-11-28T02:00:00Z'))).toBe(false);
    expect(isOpenAt(hours, 'UTC', new Date('2026-11-28T12:00:00Z'))).toBe(true);
    expect(isOpenAt(hours, 'UTC', new Date('2026-11-27T17:59:00Z'))).toBe(false);
  });

  it('follows daylight saving time changes', () => {
    const lunch: OpeningRange[] = [{ weekday: 7, opensAt: 12 * 60, closesAt: 13 * 60 }];
    // Paris is UTC+2 in summer, UTC+1 in winter: noon local is 10:00Z then 11:00Z.
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-06-28T10:30:00Z'))).toBe(true);
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-12-27T10:30:00Z'))).toBe(false);
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-12-27T11:30:00Z'))).toBe(true);
  });

  it('is closed with no ranges at all', () => {
    expect(isOpenAt([], 'UTC', new Date())).toBe(false);
  });

  it('validates ranges and time zones', () => {
    expect(openingRangeSchema.safeParse({ weekday: 1, opensAt: 600, closesAt: 500 }).success).toBe(false);
    expect(openingRangeSchema.safeParse({ weekday: 8, opensAt: 600, closesAt: 700 }).success).toBe(false);
    expect(openingRangeSchema.safeParse({ weekday: 1, opensAt: 600, closesAt: 700, extra: 1 }).success).toBe(false);
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(minuteToClock(26 * 60 + 5)).toBe('02:05');
  });
});

describe('named time zones and calendar days', () => {
  it('refuses offsets that PostgreSQL would read with the opposite sign', async () => {
    const { isValidTimeZone, calendarDateSchema } = await import('../src/index.js');
    expect(isValidTimeZone('+01:00')).toBe(false);
    expect(isValidTimeZone('-0500')).toBe(false);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(calendarDateSchema.safeParse('2026-12-24').success).toBe(true);
    expect(calendarDateSchema.safeParse('0000-01-01').success).toBe(false);
    expect(calendarDateSchema.safeParse('2026-02-30').success).toBe(false);
  });
});

describe('closures', () => {
  it('shut the ranges that open on a closed day, late night included, and nothing else', async () => {
    const { isOpenAt } = await import('../src/index.js');
    // Friday 2026-11-27 18:00–02:00 and Saturday 12:00–14:00 (UTC).
    const week = [
      { weekday: 5, opensAt: 18 * 60, closesAt: 26 * 60 },
      { weekday: 6, opensAt: 12 * 60, closesAt: 14 * 60 },
    ];
    expect(isOpenAt(week, 'UTC', new Date('2026-11-27T20:00:00Z'), ['2026-11-27'])).toBe(false);
    // Friday's closure also shuts its night, past midnight into Saturday…
    expect(isOpenAt(week, 'UTC', new Date('2026-11-28T01:00:00Z'), ['2026-11-27'])).toBe(false);
    // …but not Saturday's own lunch.
    expect(isOpenAt(week, 'UTC', new Date('2026-11-28T13:00:00Z'), ['2026-11-27'])).toBe(true);
    // Saturday's closure leaves Friday's night running into Saturday.
    expect(isOpenAt(week, 'UTC', new Date('2026-11-28T01:00:00Z'), ['2026-11-28'])).toBe(true);
    expect(isOpenAt(week, 'UTC', new Date('2026-11-28T13:00:00Z'), ['2026-11-28'])).toBe(false);
  });
});
