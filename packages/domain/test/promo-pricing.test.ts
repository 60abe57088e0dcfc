import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBasisPoints, priceCart, promoDiscount, promoProblem, type CartPromo, type PricingItem, type PricingMenu, type PricingPromo } from '../src/index.js';

/**
 * priceCart with a discount code: the rules written down in pricing.ts, checked here.
 * - discount: a percentage is subtotal × bp ÷ 10000 rounded half up; a fixed amount is capped at the subtotal;
 * - tax is on subtotal − discount, rounded half up once; a percentage tip is on the subtotal before the discount;
 * - total = subtotal − discount + tax + tip, and never negative.
 */
function menuOf(prices: number[], taxRateBp: number): { menu: PricingMenu; ids: string[] } {
  const items = new Map<string, PricingItem>();
  const ids = prices.map((price, i) => {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    items.set(id, { id, name: `Dish ${i}`, priceMinor: price, available: true, unavailableReason: null, optionGroups: [] });
    return id;
  });
  return { menu: { currency: 'EUR', taxRateBp, items }, ids };
}

const base: PricingPromo = {
  code: 'SPRING',
  kind: 'percent',
  percentBp: 1000,
  amountMinor: null,
  currency: null,
  minSubtotalMinor: 0,
  validFrom: null,
  validTo: null,
  active: true,
  exhausted: false,
};
const on = (promo: PricingPromo | null, today = '2026-12-01'): CartPromo => ({ code: 'SPRING', promo, today });

const promoArb = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((bp): PricingPromo => ({ ...base, kind: 'percent', percentBp: bp })),
  fc.integer({ min: 1, max: 200_000 }).map((amount): PricingPromo => ({ ...base, kind: 'amount', percentBp: null, amountMinor: amount, currency: 'EUR' })),
);

describe('priceCart with a discount code', () => {
  it('keeps 0 ≤ discount ≤ subtotal and total = subtotal − discount + tax + tip, tax on the discounted subtotal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3000 }),
        promoArb,
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        (prices, taxRateBp, promo, tipPercent) => {
          const { menu, ids } = menuOf(prices, taxRateBp);
          const lines = ids.map((itemId) => ({ itemId, quantity: 1, options: [] }));
          const priced = priceCart(menu, { lines, promo: on(promo), ...(tipPercent === undefined ? {} : { tip: { percent: tipPercent } }) });
          const plain = priceCart(menu, { lines, ...(tipPercent === undefined ? {} : { tip: { percent: tipPercent } }) });
          expect(priced.promoProblem).toBeNull();
          expect(priced.discountMinor).toBeGreaterThanOrEqual(0);
          expect(priced.discountMinor).toBeLessThanOrEqual(priced.subtotalMinor);
          expect(priced.discountMinor).toBe(promoDiscount(promo, priced.subtotalMinor));
          expect(priced.taxMinor).toBe(applyBasisPoints(priced.subtotalMinor - priced.discountMinor, taxRateBp));
          expect(priced.tipMinor).toBe(plain.tipMinor);
          expect(priced.totalMinor).toBe(priced.subtotalMinor - priced.discountMinor + priced.taxMinor + priced.tipMinor);
          expect(priced.totalMinor).toBeGreaterThanOrEqual(0);
          expect(priced.totalMinor).toBeLessThanOrEqual(plain.totalMinor);
        },
      ),
    );
  });

  it('rounds a percentage half up to the minor unit', () => {
    expect(promoDiscount({ kind: 'percent', percentBp: 1250, amountMinor: null }, 1004)).toBe(126); // 125.5 → 126
    expect(promoDiscount({ kind: 'percent', percentBp: 1250, amountMinor: null }, 1003)).toBe(125); // 125.375 → 125
    expect(promoDiscount({ kind: 'percent', percentBp: 10_000, amountMinor: null }, 999)).toBe(999);
    expect(promoDiscount({ kind: 'amount', percentBp: null, amountMinor: 500 }, 300)).toBe(300);
    expect(promoDiscount({ kind: 'amount', percentBp: null, amountMinor: 500 }, 0)).toBe(0);
  });

  it('refuses in a fixed order: invalid, then dates (both included), then uses, then the minimum (which is included)', () => {
    expect(promoProblem(on(null), 'EUR', 1000)?.code).toBe('PROMO_INVALID');
    expect(promoProblem(on({ ...base, active: false, exhausted: true }), 'EUR', 0)?.code).toBe('PROMO_INVALID');
    expect(promoProblem(on({ ...base, kind: 'amount', percentBp: null, amountMinor: 100, currency: 'USD' }), 'EUR', 1000)?.code).toBe('PROMO_CURRENCY_MISMATCH');
    // A fixed amount in another currency is refused before its dates are looked at; a percentage applies in any currency.
    expect(promoProblem(on({ ...base, kind: 'amount', percentBp: null, amountMinor: 100, currency: 'USD', validTo: '2026-11-30' }), 'EUR', 1000)?.code).toBe('PROMO_CURRENCY_MISMATCH');
    expect(promoProblem(on({ ...base, kind: 'amount', percentBp: null, amountMinor: 100, currency: 'USD' }), 'USD', 1000)).toBeNull();
    expect(promoProblem(on(base), 'JPY', 1000)).toBeNull();
    expect(promoProblem(on({ ...base, validFrom: '2026-12-02', exhausted: true }), 'EUR', 1000)?.code).toBe('PROMO_EXPIRED');
    expect(promoProblem(on({ ...base, validTo: '2026-11-30' }), 'EUR', 1000)?.code).toBe('PROMO_EXPIRED');
    expect(promoProblem(on({ ...base, validFrom: '2026-12-01', validTo: '2026-12-01' }), 'EUR', 1000)).toBeNull();
    expect(promoProblem(on({ ...base, exhausted: true, minSubtotalMinor: 5000 }), 'EUR', 1000)?.code).toBe('PROMO_EXHAUSTED');
    expect(promoProblem(on({ ...base, minSubtotalMinor: 1001 }), 'EUR', 1000)?.code).toBe('PROMO_MINIMUM_NOT_MET');
    expect(promoProblem(on({ ...base, minSubtotalMinor: 1000 }), 'EUR', 1000)).toBeNull();
  });

  it('a refused code takes nothing off: the cart is priced as without it', () => {
    const { menu, ids } = menuOf([1000, 2500], 1000);
    const lines = ids.map((itemId) => ({ itemId, quantity: 2, options: [] }));
    const refused = priceCart(menu, { lines, promo: on({ ...base, minSubtotalMinor: 1_000_000 }) });
    const plain = priceCart(menu, { lines });
    expect(refused).toMatchObject({ discountMinor: 0, promoCode: null, totalMinor: plain.totalMinor, promoProblem: { code: 'PROMO_MINIMUM_NOT_MET' } });
  });
});
