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

describe('slots', () => {
  it('start on quarter hours, and an instant falls in the slot that starts at or before it', async () => {
    const { isSlotBoundary, slotOf } = await import('../src/index.js');
    expect(isSlotBoundary(new Date('2026-12-02T17:45:00Z'))).toBe(true);
    expect(isSlotBoundary(new Date('2026-12-02T17:50:00Z'))).toBe(false);
    expect(isSlotBoundary(new Date('2026-12-02T17:45:00.001Z'))).toBe(false);
    expect(slotOf(new Date('2026-12-02T17:59:59.999Z'))).toEqual(new Date('2026-12-02T17:45:00Z'));
    expect(slotOf(new Date('2026-12-02T18:00:00Z'))).toEqual(new Date('2026-12-02T18:00:00Z'));
  });

  it('are open from the opening minute up to, not including, the closing minute', async () => {
    const { isOpenAt, slotStartsOn } = await import('../src/index.js');
    // Wednesday 12:00–14:00 in Paris (UTC+1 in December).
    const lunch = [{ weekday: 3, opensAt: 12 * 60, closesAt: 14 * 60 }];
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-12-02T10:59:59Z'))).toBe(false);
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-12-02T11:00:00Z'))).toBe(true);
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-12-02T12:59:59Z'))).toBe(true);
    expect(isOpenAt(lunch, 'Europe/Paris', new Date('2026-12-02T13:00:00Z'))).toBe(false);
    const slots = slotStartsOn(lunch, 'Europe/Paris', '2026-12-02').map((d) => d.toISOString());
    expect(slots).toHaveLength(8);
    expect(slots[0]).toBe('2026-12-02T11:00:00.000Z');
    expect(slots.at(-1)).toBe('2026-12-02T12:45:00.000Z');
    expect(slotStartsOn(lunch, 'Europe/Paris', '2026-12-03')).toEqual([]);
  });

  it('of a range past midnight fall on the calendar day they start, and a closure shuts its late night', async () => {
    const { slotStartsOn } = await import('../src/index.js');
    // Friday 2026-11-27 22:00–01:00 in New York.
    const late = [{ weekday: 5, opensAt: 22 * 60, closesAt: 25 * 60 }];
    const friday = slotStartsOn(late, 'America/New_York', '2026-11-27').map((d) => d.toISOString());
    const saturday = slotStartsOn(late, 'America/New_York', '2026-11-28').map((d) => d.toISOString());
    expect(friday).toEqual(['2026-11-28T03:00:00.000Z', '2026-11-28T03:15:00.000Z', '2026-11-28T03:30:00.000Z', '2026-11-28T03:45:00.000Z',
      '2026-11-28T04:00:00.000Z', '2026-11-28T04:15:00.000Z', '2026-11-28T04:30:00.000Z', '2026-11-28T04:45:00.000Z']);
    expect(saturday).toEqual(['2026-11-28T05:00:00.000Z', '2026-11-28T05:15:00.000Z', '2026-11-28T05:30:00.000Z', '2026-11-28T05:45:00.000Z']);
    // Friday closed: its night is shut on Saturday too; Saturday closed leaves Friday's night alone.
    expect(slotStartsOn(late, 'America/New_York', '2026-11-28', ['2026-11-27'])).toEqual([]);
    expect(slotStartsOn(late, 'America/New_York', '2026-11-28', ['2026-11-28'])).toHaveLength(4);
  });

  it('follow the wall clock on daylight-saving days: the same local hours, an hour more or less of UTC', async () => {
    const { isOpenAt, slotStartsOn } = await import('../src/index.js');
    const allDay = [7].map((weekday) => ({ weekday, opensAt: 0, closesAt: 24 * 60 }));
    // Sunday 29 March 2026: Paris springs forward (23 hours); Sunday 25 October: falls back (25 hours).
    expect(slotStartsOn(allDay, 'Europe/Paris', '2026-03-29')).toHaveLength(23 * 4);
    expect(slotStartsOn(allDay, 'Europe/Paris', '2026-10-25')).toHaveLength(25 * 4);
    // 10:00–11:00 local is 09:00Z before the change and 08:00Z after it.
    const morning = [{ weekday: 7, opensAt: 10 * 60, closesAt: 11 * 60 }];
    expect(slotStartsOn(morning, 'Europe/Paris', '2026-03-22')[0]).toEqual(new Date('2026-03-22T09:00:00Z'));
    expect(slotStartsOn(morning, 'Europe/Paris', '2026-03-29')[0]).toEqual(new Date('2026-03-29T08:00:00Z'));
    expect(isOpenAt(morning, 'Europe/Paris', new Date('2026-03-29T08:59:00Z'))).toBe(true);
    expect(isOpenAt(morning, 'Europe/Paris', new Date('2026-03-29T09:00:00Z'))).toBe(false);
  });
});
