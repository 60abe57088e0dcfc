import { describe, expect, it } from 'vitest';
import { calendarDateSchema, closuresSince, isOpenAt, isValidTimeZone, localWeekdayAndMinute, minuteToClock, openingRangeSchema, timeZoneSchema, type OpeningRange } from '../src/index.js';
import { problems } from './issues.js';

// 2026-11-23 is a Monday; the zone is UTC so wall clock and instant agree.
const monday = (hhmm: string, day = 23) => new Date(`2026-11-${day}T${hhmm}:00Z`);

describe('the last order at closing time', () => {
  const lunch: OpeningRange[] = [{ weekday: 1, opensAt: 12 * 60, closesAt: 14 * 60 + 30 }];
  it('is open from the opening minute up to the minute before closing, and closed at the closing minute', () => {
    expect(isOpenAt(lunch, 'UTC', monday('11:59'))).toBe(false);
    expect(isOpenAt(lunch, 'UTC', monday('12:00'))).toBe(true);
    expect(isOpenAt(lunch, 'UTC', monday('14:29'))).toBe(true);
    expect(isOpenAt(lunch, 'UTC', monday('14:30'))).toBe(false);
    // Same hours, another weekday: closed.
    expect(isOpenAt(lunch, 'UTC', monday('13:00', 24))).toBe(false);
  });

  it('a Sunday night past midnight keeps the location open into Monday morning, until the closing minute', () => {
    const sundayNight: OpeningRange[] = [{ weekday: 7, opensAt: 20 * 60, closesAt: 26 * 60 }];
    expect(isOpenAt(sundayNight, 'UTC', monday('00:00'))).toBe(true);
    expect(isOpenAt(sundayNight, 'UTC', monday('01:59'))).toBe(true);
    expect(isOpenAt(sundayNight, 'UTC', monday('02:00'))).toBe(false);
    // The night that opened on Monday is Tuesday's early hours, not Monday's.
    expect(isOpenAt(sundayNight, 'UTC', monday('01:00', 24))).toBe(false);
    expect(isOpenAt(sundayNight, 'UTC', new Date('2026-11-22T20:00:00Z'))).toBe(true);
    expect(isOpenAt(sundayNight, 'UTC', new Date('2026-11-22T19:59:00Z'))).toBe(false);
  });

  it('a range that ends at midnight does not spill into the next day', () => {
    const evening: OpeningRange[] = [{ weekday: 1, opensAt: 18 * 60, closesAt: 24 * 60 }];
    expect(isOpenAt(evening, 'UTC', monday('23:59'))).toBe(true);
    expect(isOpenAt(evening, 'UTC', monday('00:00', 24))).toBe(false);
  });

  it('a closure of the day before shuts only the night that opened on it', () => {
    const nights: OpeningRange[] = [
      { weekday: 7, opensAt: 20 * 60, closesAt: 26 * 60 },
      { weekday: 1, opensAt: 0, closesAt: 24 * 60 },
    ];
    // Sunday closed: Monday's own range still opens at midnight.
    expect(isOpenAt(nights, 'UTC', monday('01:00'), ['2026-11-22'])).toBe(true);
    expect(isOpenAt(nights.slice(0, 1), 'UTC', monday('01:00'), ['2026-11-22'])).toBe(false);
    expect(isOpenAt(nights.slice(0, 1), 'UTC', monday('01:00'), ['2026-11-21'])).toBe(true);
    // A closure on the last day of a month reaches back across the month and year.
    const newYearsEve: OpeningRange[] = [{ weekday: 4, opensAt: 20 * 60, closesAt: 27 * 60 }];
    expect(isOpenAt(newYearsEve, 'UTC', new Date('2027-01-01T01:00:00Z'))).toBe(true);
    expect(isOpenAt(newYearsEve, 'UTC', new Date('2027-01-01T01:00:00Z'), ['2026-12-31'])).toBe(false);
  });
});

describe('opening ranges that make no sense are refused', () => {
  it('zero length, backwards or longer than 24 hours', () => {
    const message = ['closesAt: closesAt must be after opensAt and at most 24 hours later'];
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 600, closesAt: 600 })).toEqual(message);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 600, closesAt: 599 })).toEqual(message);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 600, closesAt: 600 + 1441 })).toEqual(message);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 600, closesAt: 600 + 1440 })).toEqual([]);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 600, closesAt: 601 })).toEqual([]);
  });

  it('weekdays 1 to 7, openings within the day, closings up to two days', () => {
    expect(problems(openingRangeSchema, { weekday: 7, opensAt: 0, closesAt: 1 })).toEqual([]);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 1439, closesAt: 2879 })).toEqual([]);
    expect(problems(openingRangeSchema, { weekday: 0, opensAt: 0, closesAt: 60 })).not.toEqual([]);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: 1440, closesAt: 1500 })).not.toEqual([]);
    expect(problems(openingRangeSchema, { weekday: 1, opensAt: -1, closesAt: 60 })).not.toEqual([]);
    expect(problems(openingRangeSchema, { weekday: 1.5, opensAt: 0, closesAt: 60 })).not.toEqual([]);
  });
});

describe('wall clocks and calendars', () => {
  it('reads the local date, weekday and minute of an instant', () => {
    expect(localWeekdayAndMinute('UTC', new Date('2026-11-29T23:59:00Z'))).toEqual({ date: '2026-11-29', weekday: 7, minute: 1439 });
    expect(localWeekdayAndMinute('Europe/Paris', new Date('2026-11-29T23:59:00Z'))).toEqual({ date: '2026-11-30', weekday: 1, minute: 59 });
    expect(localWeekdayAndMinute('Pacific/Kiritimati', new Date('2026-11-24T10:30:00Z'))).toEqual({ date: '2026-11-25', weekday: 3, minute: 30 });
    expect(localWeekdayAndMinute('America/New_York', new Date('2026-11-26T05:05:00Z'))).toEqual({ date: '2026-11-26', weekday: 4, minute: 5 });
    expect(localWeekdayAndMinute('UTC', new Date('2026-11-27T12:00:00Z')).weekday).toBe(5);
    expect(localWeekdayAndMinute('UTC', new Date('2026-11-28T12:00:00Z')).weekday).toBe(6);
    expect(localWeekdayAndMinute('UTC', new Date('2026-11-24T00:00:00Z'))).toEqual({ date: '2026-11-24', weekday: 2, minute: 0 });
  });

  it('prints minutes as HH:MM, wrapping past midnight either way', () => {
    expect(minuteToClock(0)).toBe('00:00');
    expect(minuteToClock(9 * 60 + 5)).toBe('09:05');
    expect(minuteToClock(1439)).toBe('23:59');
    expect(minuteToClock(1440)).toBe('00:00');
    expect(minuteToClock(-30)).toBe('23:30');
  });

  it('reads closures from two UTC days before the request', () => {
    expect(closuresSince(new Date('2026-03-01T10:00:00Z'))).toBe('2026-02-27');
    expect(closuresSince(new Date('2026-11-29T00:00:00Z'))).toBe('2026-11-27');
  });

  it('takes calendar days from 1970 to 9999 only', () => {
    expect(calendarDateSchema.safeParse('1970-01-01').success).toBe(true);
    expect(calendarDateSchema.safeParse('9999-12-31').success).toBe(true);
    expect(problems(calendarDateSchema, '1969-12-31')).toEqual([': Use a date between 1970 and 9999']);
    expect(problems(calendarDateSchema, '24-12-2026')[0]).toBe(': Use YYYY-MM-DD');
  });

  it('takes named time zones only', () => {
    expect(isValidTimeZone('utc')).toBe(true);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('1/Paris')).toBe(false);
    expect(problems(timeZoneSchema, 'Mars/Olympus_Mons')).toEqual([': Unknown IANA time zone']);
    expect(problems(timeZoneSchema, 'Europe/Paris')).toEqual([]);
  });
});
