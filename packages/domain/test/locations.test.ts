import { describe, expect, it } from 'vitest';
import {
  clockSchema,
  clockToMinute,
  closuresSchema,
  locationCreateInput,
  locationUpdateInput,
  openingHoursSchema,
  orderPrefixSchema,
  overlappingRanges,
  rangeToMinutes,
  taxRateBpSchema,
  WEEKDAY_NAMES,
} from '../src/index.js';
import { accepts, ID, problems } from './issues.js';

describe('times a manager types', () => {
  it('are HH:MM from 00:00 to 23:59', () => {
    for (const ok of ['00:00', '09:30', '19:59', '23:59']) expect(accepts(clockSchema, ok), ok).toBe(true);
    for (const bad of ['24:00', '9:30', '09:60', '0930', '09:30 ', ' 09:30', '29:00']) expect(problems(clockSchema, bad), bad).toEqual([': Use HH:MM, 00:00 to 23:59']);
    expect(clockToMinute('00:00')).toBe(0);
    expect(clockToMinute('18:45')).toBe(1125);
  });

  it('a range closing at or before its opening closes after midnight; 00:00–00:00 is the whole day', () => {
    expect(rangeToMinutes({ weekday: 5, opens: '18:00', closes: '02:00' })).toEqual({ weekday: 5, opensAt: 1080, closesAt: 1560 });
    expect(rangeToMinutes({ weekday: 1, opens: '12:00', closes: '15:00' })).toEqual({ weekday: 1, opensAt: 720, closesAt: 900 });
    expect(rangeToMinutes({ weekday: 1, opens: '00:00', closes: '00:00' })).toEqual({ weekday: 1, opensAt: 0, closesAt: 1440 });
    expect(rangeToMinutes({ weekday: 1, opens: '10:00', closes: '10:00' })).toEqual({ weekday: 1, opensAt: 600, closesAt: 2040 });
  });
});

describe('overlapping opening hours', () => {
  it('touching ranges do not overlap; one minute more does', () => {
    expect(overlappingRanges([{ weekday: 1, opensAt: 720, closesAt: 900 }, { weekday: 1, opensAt: 900, closesAt: 1080 }])).toEqual([]);
    expect(overlappingRanges([{ weekday: 1, opensAt: 900, closesAt: 1080 }, { weekday: 1, opensAt: 720, closesAt: 900 }])).toEqual([]);
    expect(overlappingRanges([{ weekday: 1, opensAt: 720, closesAt: 901 }, { weekday: 1, opensAt: 900, closesAt: 1080 }])).toEqual([[0, 1]]);
    expect(overlappingRanges([{ weekday: 1, opensAt: 900, closesAt: 1080 }, { weekday: 1, opensAt: 720, closesAt: 901 }])).toEqual([[0, 1]]);
    expect(overlappingRanges([{ weekday: 1, opensAt: 700, closesAt: 1100 }, { weekday: 1, opensAt: 720, closesAt: 900 }])).toEqual([[0, 1]]);
    // The same hours on different days don't overlap.
    expect(overlappingRanges([{ weekday: 1, opensAt: 720, closesAt: 900 }, { weekday: 2, opensAt: 720, closesAt: 900 }])).toEqual([]);
  });

  it('a late night overlaps the next morning, across the end of the week too', () => {
    const friday = { weekday: 5, opensAt: 1080, closesAt: 1560 };
    expect(overlappingRanges([friday, { weekday: 6, opensAt: 60, closesAt: 600 }])).toEqual([[0, 1]]);
    expect(overlappingRanges([friday, { weekday: 6, opensAt: 120, closesAt: 600 }])).toEqual([]);
    const sunday = { weekday: 7, opensAt: 1320, closesAt: 1560 };
    expect(overlappingRanges([{ weekday: 1, opensAt: 60, closesAt: 600 }, sunday])).toEqual([[0, 1]]);
    expect(overlappingRanges([sunday, { weekday: 1, opensAt: 60, closesAt: 600 }])).toEqual([[0, 1]]);
    expect(overlappingRanges([sunday, { weekday: 1, opensAt: 120, closesAt: 600 }])).toEqual([]);
    expect(overlappingRanges([sunday, { weekday: 3, opensAt: 60, closesAt: 600 }, { weekday: 1, opensAt: 60, closesAt: 600 }])).toEqual([[0, 2]]);
  });

  it('a week refuses the later of two overlapping ranges, naming the other', () => {
    expect(
      problems(openingHoursSchema, [
        { weekday: 7, opens: '22:00', closes: '02:00' },
        { weekday: 3, opens: '09:00', closes: '17:00' },
        { weekday: 1, opens: '01:00', closes: '10:00' },
      ]),
    ).toEqual(['2: Overlaps Sunday 22:00–02:00']);
    expect(problems(openingHoursSchema, [{ weekday: 1, opens: '12:00', closes: '15:00' }, { weekday: 1, opens: '14:00', closes: '16:00' }])).toEqual(['1: Overlaps Monday 12:00–15:00']);
    expect(WEEKDAY_NAMES).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(accepts(openingHoursSchema, Array.from({ length: 84 }, (_, i) => ({ weekday: (i % 7) + 1, opens: `${String(Math.floor(i / 7)).padStart(2, '0')}:00`, closes: `${String(Math.floor(i / 7)).padStart(2, '0')}:30` })))).toBe(true);
    expect(problems(openingHoursSchema, Array.from({ length: 85 }, () => ({ weekday: 1, opens: '00:00', closes: '00:01' })))[0]).toBe(': At most 12 ranges a day');
    expect(accepts(openingHoursSchema, [{ weekday: 8, opens: '09:00', closes: '10:00' }])).toBe(false);
    expect(accepts(openingHoursSchema, [{ weekday: 0, opens: '09:00', closes: '10:00' }])).toBe(false);
  });
});

describe('closures and settings', () => {
  it('a date may be closed once, with a trimmed reason', () => {
    expect(closuresSchema.parse([{ date: '2026-12-25', reason: ' Christmas ' }, { date: '2026-12-26' }])).toEqual([
      { date: '2026-12-25', reason: 'Christmas' },
      { date: '2026-12-26', reason: '' },
    ]);
    expect(problems(closuresSchema, [{ date: '2026-12-25' }, { date: '2026-12-26' }, { date: '2026-12-25' }])).toEqual(['2.date: This date is listed twice']);
    expect(accepts(closuresSchema, [{ date: '2026-12-25', reason: 'x'.repeat(201) }])).toBe(false);
  });

  it('tax in whole basis points up to 100 %, an order prefix of 1 to 3 capitals', () => {
    expect(accepts(taxRateBpSchema, 0)).toBe(true);
    expect(accepts(taxRateBpSchema, 10_000)).toBe(true);
    expect(accepts(taxRateBpSchema, 10_001)).toBe(false);
    expect(accepts(taxRateBpSchema, -1)).toBe(false);
    expect(problems(taxRateBpSchema, 20.5)).toEqual([': Use whole basis points (2000 = 20 %)']);
    for (const ok of ['A', 'KB', 'XYZ']) expect(accepts(orderPrefixSchema, ok)).toBe(true);
    for (const bad of ['', 'abc', 'ABCD', 'A1', ' A']) expect(problems(orderPrefixSchema, bad), bad).toEqual([': Use 1 to 3 capital letters']);
  });

  it('a new location gets sensible defaults', () => {
    const created = locationCreateInput.parse({ slug: 'harbor', name: ' Harbor ', timeZone: 'Europe/Lisbon', currency: 'EUR', taxRateBp: 2300 });
    expect(created).toEqual({
      slug: 'harbor',
      name: 'Harbor',
      address: '',
      timeZone: 'Europe/Lisbon',
      currency: 'EUR',
      taxRateBp: 2300,
      openingHours: [],
      closures: [],
      acceptingOrders: true,
      prepMinutes: 20,
      slotCapacity: 10,
      orderPrefix: 'A',
    });
    expect(problems(locationCreateInput, { slug: 'h', name: 'H\u0000', timeZone: 'UTC', currency: 'EUR', taxRateBp: 0 })).toEqual(['name: Remove control characters']);
    expect(problems(locationCreateInput, { slug: 'h', name: '  ', timeZone: 'UTC', currency: 'EUR', taxRateBp: 0 })).toEqual(['name: Enter some text']);
  });

  it('an update changes only what it names, with the version last seen', () => {
    expect(locationUpdateInput.parse({ locationId: ID, version: 3, address: ' 1 Quay St ' })).toEqual({ locationId: ID, version: 3, address: '1 Quay St' });
    expect(accepts(locationUpdateInput, { locationId: ID })).toBe(false);
    expect(accepts(locationUpdateInput, { locationId: ID, version: 1, slug: 'new' })).toBe(false);
    expect(accepts(locationUpdateInput, { locationId: ID, version: 1, prepMinutes: 1441 })).toBe(false);
    expect(accepts(locationUpdateInput, { locationId: ID, version: 1, prepMinutes: 1440, slotCapacity: 1000 })).toBe(true);
    expect(accepts(locationUpdateInput, { locationId: ID, version: 1, slotCapacity: 1001 })).toBe(false);
  });
});
