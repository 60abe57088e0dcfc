import { describe, expect, it } from 'vitest';
import { applyBasisPoints, currencyDigits, formatMoney, minorUnitsSchema, money, multiplyMoney, addMoney, toDecimalString } from '../src/index.js';

describe('money', () => {
  it('refuses a fractional amount instead of storing a float', () => {
    expect(() => money(12.5, 'EUR')).toThrow(RangeError);
    expect(minorUnitsSchema.safeParse(12.5).success).toBe(false);
    expect(minorUnitsSchema.safeParse('1250').success).toBe(false);
  });

  it('formats from integer minor units for each currency exponent', () => {
    expect(formatMoney(money(1250, 'EUR'), 'en-IE')).toBe('€12.50');
    expect(formatMoney(money(1250, 'JPY'), 'en-US')).toBe('¥1,250');
    expect(formatMoney(money(1, 'KWD'), 'en-US')).toMatch(/^KWD\s0\.001$/);
    expect(toDecimalString(money(-5, 'USD'))).toBe('-0.05');
    expect(currencyDigits('JPY')).toBe(0);
  });

  it('keeps sums exact where floats drift (0.1 + 0.2)', () => {
    expect(addMoney(money(10, 'EUR'), money(20, 'EUR')).amount).toBe(30);
    expect(multiplyMoney(money(333, 'EUR'), 3).amount).toBe(999);
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).toThrow(/EUR and USD/);
  });

  it('rounds a tax of basis points half up to the minor unit', () => {
    expect(applyBasisPoints(1000, 825)).toBe(83); // 82.5 → 83
    expect(applyBasisPoints(1000, 824)).toBe(82); // 82.4 → 82
    expect(applyBasisPoints(-1000, 825)).toBe(-83);
    expect(applyBasisPoints(Number.MAX_SAFE_INTEGER, 1)).toBe(900719925474); // exact, no float overflow
  });
});
