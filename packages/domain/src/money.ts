import { z } from 'zod';

// The schemas are marked pure so that a bundle using only money's functions (@bistro/client's
// formatMoney) leaves zod out: building a schema has no side effect.
/** An ISO 4217 currency code, upper case: `EUR`, `USD`, `JPY`. */
export const currencyCodeSchema = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code such as EUR')
  .refine(isKnownCurrency, 'Unknown ISO 4217 currency code');
export type CurrencyCode = string;

/** Number.MAX_SAFE_INTEGER, as a literal: a bundler knows reading it has no side effect. */
const MAX_SAFE_INTEGER = 9_007_199_254_740_991;

/**
 * An amount in the currency's minor unit (cents for EUR, yen for JPY). Money is never a
 * floating-point number in Bistro: a float or a string here is refused.
 */
export const minorUnitsSchema = /* @__PURE__ */ z.number().int().min(-MAX_SAFE_INTEGER).max(MAX_SAFE_INTEGER);
export const nonNegativeMinorUnitsSchema = /* @__PURE__ */ minorUnitsSchema.min(0);

export interface Money {
  /** Integer amount in minor units. */
  readonly amount: number;
  readonly currency: CurrencyCode;
}

export function money(amount: number, currency: CurrencyCode): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`Money amounts are integer minor units, got ${amount}`);
  }
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function multiplyMoney(m: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`Quantity must be an integer, got ${quantity}`);
  return money(m.amount * quantity, m.currency);
}

/**
 * `amount × basisPoints / 10000`, rounded half away from zero to the minor unit, in exact
 * integer arithmetic (a tax rate of 825 bp is 8.25 %).
 */
export function applyBasisPoints(amount: number, basisPoints: number): number {
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(basisPoints)) {
    throw new RangeError('applyBasisPoints takes integers');
  }
  const product = BigInt(amount) * BigInt(basisPoints);
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  const rounded = (abs + 5000n) / 10000n;
  return Number(rounded * sign);
}

const digitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function currencyDigits(currency: CurrencyCode): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

function isKnownCurrency(code: string): boolean {
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

/** The amount as an exact decimal string in major units: 1250 EUR → "12.50". */
export function toDecimalString(m: Money): string {
  const digits = currencyDigits(m.currency);
  const negative = m.amount < 0;
  const abs = String(Math.abs(m.amount)).padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Formats for display, e.g. `formatMoney(money(1250, 'EUR'), 'fr-FR')` → "12,50 €". No floats involved. */
export function formatMoney(m: Money, locale = 'en'): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency });
  // Intl formats a decimal string exactly (ECMA-402 "Intl.NumberFormat v3").
  return format.format(toDecimalString(m) as unknown as number);
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new RangeError(`Cannot combine ${a.currency} and ${b.currency}`);
  }
}

/**
 * What a person typed as an amount in major units ("12.50", "12,5", "-0.50", "1 250"), as integer
 * minor units of the currency: null when it is not a plain decimal or has more decimals than the
 * currency (12.505 EUR). Read digit by digit, never through a float.
 */
export function parseMoneyInput(text: string, currency: CurrencyCode, options: { allowNegative?: boolean } = {}): number | null {
  const cleaned = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace('−', '-');
  const match = /^(-?)(\d*)(?:[.,](\d*))?$/.exec(cleaned);
  if (!match) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  if (sign && !options.allowNegative) return null;
  const digits = currencyDigits(currency);
  if (fraction.length > digits) return null;
  const minor = Number(`${whole || '0'}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) return null;
  return sign ? -minor : minor;
}
