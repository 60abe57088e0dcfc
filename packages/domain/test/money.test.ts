import { describe, expect, it } from 'vitest';
import { addMoney, applyBasisPoints, currencyCodeSchema, currencyDigits, formatMoney, minorUnitsSchema, money, multiplyMoney, nonNegativeMinorUnitsSchema, parseMoneyInput, toDecimalString } from '../src/index.js';

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

describe('money at its edges', () => {
  it('prints nothing owed as €0.00, never -€0.00', () => {
    expect(formatMoney(money(0, 'EUR'), 'en-IE')).toBe('€0.00');
    expect(toDecimalString(money(0, 'EUR'))).toBe('0.00');
    expect(toDecimalString(money(0, 'JPY'))).toBe('0');
  });

  it('writes exact decimals in major units for 0, 2 and 3 digit currencies, either sign', () => {
    expect(toDecimalString(money(1250, 'EUR'))).toBe('12.50');
    expect(toDecimalString(money(7, 'EUR'))).toBe('0.07');
    expect(toDecimalString(money(-1250, 'EUR'))).toBe('-12.50');
    expect(toDecimalString(money(1250, 'JPY'))).toBe('1250');
    expect(toDecimalString(money(-3, 'JPY'))).toBe('-3');
    expect(toDecimalString(money(1234, 'KWD'))).toBe('1.234');
    expect(formatMoney(money(-1250, 'EUR'), 'en-IE')).toBe('-€12.50');
    expect(formatMoney(money(1250, 'EUR'), 'fr-FR')).toBe('12,50\u00a0€');
    expect(formatMoney(money(123456789, 'EUR'))).toBe('€1,234,567.89');
  });

  it('knows each currency’s minor unit', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('KWD')).toBe(3);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('JPY')).toBe(0);
  });

  it('refuses amounts and quantities that are not safe integers', () => {
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, 'EUR')).toThrow('Money amounts are integer minor units, got 9007199254740992');
    expect(money(-Number.MAX_SAFE_INTEGER, 'EUR').amount).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => multiplyMoney(money(100, 'EUR'), 1.5)).toThrow('Quantity must be an integer, got 1.5');
    expect(multiplyMoney(money(100, 'EUR'), 0)).toEqual({ amount: 0, currency: 'EUR' });
    expect(() => multiplyMoney(money(Number.MAX_SAFE_INTEGER, 'EUR'), 2)).toThrow(RangeError);
    expect(() => applyBasisPoints(10.5, 100)).toThrow('applyBasisPoints takes integers');
    expect(() => applyBasisPoints(1000, 82.5)).toThrow('applyBasisPoints takes integers');
    expect(addMoney(money(-10, 'EUR'), money(3, 'EUR'))).toEqual({ amount: -7, currency: 'EUR' });
  });

  it('rounds exact halves away from zero, either sign, and leaves exact amounts alone', () => {
    expect(applyBasisPoints(50, 1000)).toBe(5);
    expect(applyBasisPoints(5, 1000)).toBe(1); // 0.5 → 1
    expect(applyBasisPoints(-5, 1000)).toBe(-1); // -0.5 → -1
    expect(applyBasisPoints(4, 1000)).toBe(0); // 0.4 → 0
    expect(applyBasisPoints(-4, 1000)).toBe(0);
    expect(applyBasisPoints(0, 2000)).toBe(0);
    expect(applyBasisPoints(1000, -825)).toBe(-83);
  });

  it('accepts ISO 4217 codes it knows, in upper case only', () => {
    expect(minorUnitsSchema.safeParse(-5).success).toBe(true);
    expect(nonNegativeMinorUnitsSchema.safeParse(0).success).toBe(true);
    expect(nonNegativeMinorUnitsSchema.safeParse(-1).success).toBe(false);
    expect(minorUnitsSchema.safeParse(Number.MAX_SAFE_INTEGER).success).toBe(true);
    expect(minorUnitsSchema.safeParse(-Number.MAX_SAFE_INTEGER).success).toBe(true);
    expect(currencyCodeSchema.safeParse('EUR').success).toBe(true);
    expect(currencyCodeSchema.safeParse('KWD').success).toBe(true);
    expect(currencyCodeSchema.safeParse('eur').error?.issues[0]?.message).toBe('Expected an ISO 4217 currency code such as EUR');
    expect(currencyCodeSchema.safeParse('EURO').success).toBe(false);
    expect(currencyCodeSchema.safeParse('XEUR').success).toBe(false);
    expect(currencyCodeSchema.safeParse('EUR1').success).toBe(false);
    expect(currencyCodeSchema.safeParse('QQQ').error?.issues[0]?.message).toBe('Unknown ISO 4217 currency code');
  });
});

describe('parseMoneyInput (what a manager types as a price)', () => {
  it('reads major units into minor units, with a dot or a comma, without floats', () => {
    expect(parseMoneyInput('12.50', 'EUR')).toBe(1250);
    expect(parseMoneyInput('12,5', 'EUR')).toBe(1250);
    expect(parseMoneyInput(' 12 ', 'EUR')).toBe(1200);
    expect(parseMoneyInput('.5', 'EUR')).toBe(50);
    expect(parseMoneyInput('0.29', 'EUR')).toBe(29);
    expect(parseMoneyInput('1 250', 'JPY')).toBe(1250);
    expect(parseMoneyInput('1.234', 'KWD')).toBe(1234);
  });
  it('refuses more decimals than the currency has, text, and a negative unless allowed', () => {
    expect(parseMoneyInput('12.505', 'EUR')).toBeNull();
    expect(parseMoneyInput('12.5', 'JPY')).toBeNull();
    expect(parseMoneyInput('twelve', 'EUR')).toBeNull();
    expect(parseMoneyInput('', 'EUR')).toBeNull();
    expect(parseMoneyInput('1e3', 'EUR')).toBeNull();
    expect(parseMoneyInput('-0.50', 'EUR')).toBeNull();
    expect(parseMoneyInput('-0.50', 'EUR', { allowNegative: true })).toBe(-50);
    expect(parseMoneyInput('−1', 'EUR', { allowNegative: true })).toBe(-100);
  });
});
