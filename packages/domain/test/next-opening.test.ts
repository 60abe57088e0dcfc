import { describe, expect, it } from 'vitest';
import { nextOpeningAt, type OpeningRange } from '../src/index.js';

// Friday 18:00–02:00 (past midnight) and Saturday 12:00–14:00.
const hours: OpeningRange[] = [
  { weekday: 5, opensAt: 18 * 60, closesAt: 26 * 60 },
  { weekday: 6, opensAt: 12 * 60, closesAt: 14 * 60 },
];

describe('nextOpeningAt', () => {
  it('is the instant itself while the location is open, up to the closing minute', () => {
    const open = new Date('2026-11-27T18:00:00Z');
    expect(nextOpeningAt(hours, 'UTC', open)).toEqual(open);
    // 02:00 Saturday: the Friday range has just closed; next is Saturday noon.
    expect(nextOpeningAt(hours, 'UTC', new Date('2026-11-28T02:00:00Z'))).toEqual(new Date('2026-11-28T12:00:00Z'));
  });

  it('finds the next opening on the location’s wall clock, a week ahead at most', () => {
    // Monday noon UTC: next is Friday 18:00 in Paris (17:00Z in winter).
    expect(nextOpeningAt(hours, 'Europe/Paris', new Date('2026-11-23T12:00:00Z'))).toEqual(new Date('2026-11-27T17:00:00Z'));
    // One minute before opening.
    expect(nextOpeningAt(hours, 'UTC', new Date('2026-11-27T17:59:00Z'))).toEqual(new Date('2026-11-27T18:00:00Z'));
  });

  it('skips closure days, and answers null when nothing opens', () => {
    expect(nextOpeningAt(hours, 'UTC', new Date('2026-11-23T12:00:00Z'), ['2026-11-27'])).toEqual(new Date('2026-11-28T12:00:00Z'));
    expect(nextOpeningAt([], 'UTC', new Date('2026-11-23T12:00:00Z'))).toBeNull();
    expect(nextOpeningAt(hours, 'UTC', new Date('2026-11-23T12:00:00Z'), ['2026-11-27', '2026-11-28', '2026-12-04', '2026-12-05'])).toBeNull();
  });
});
