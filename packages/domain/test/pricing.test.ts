import { describe, expect, it } from 'vitest';
import { findTransition, priceCart, TRANSITIONS, ORDER_STATUSES, type PricingItem, type PricingMenu } from '../src/index.js';

const option = (id: string, priceDeltaMinor = 0, optionGroups: PricingItem['optionGroups'] = [], available = true) => ({
  id,
  name: id,
  priceDeltaMinor,
  available,
  unavailableReason: available ? null : ('outOfStock' as const),
  optionGroups,
});

const burger: PricingItem = {
  id: 'burger',
  name: 'Bistro burger',
  priceMinor: 1650,
  available: true,
  unavailableReason: null,
  optionGroups: [
    {
      id: 'side',
      name: 'Side',
      minSelections: 1,
      maxSelections: 1,
      options: [
        option('fries', 0, [{ id: 'size', name: 'Fries size', minSelections: 1, maxSelections: 1, options: [option('regular'), option('large', 100)] }]),
        option('salad'),
        option('sweet-potato', 150, [], false),
      ],
    },
    { id: 'extras', name: 'Extras', minSelections: 0, maxSelections: 2, options: [option('bacon', 200), option('cheddar', 150), option('egg', 150)] },
  ],
};
const menu: PricingMenu = { currency: 'EUR', taxRateBp: 1000, items: new Map([[burger.id, burger]]) };

describe('priceCart', () => {
  it('prices item, option deltas and nested choices, then tax half up once and a tip', () => {
    const priced = priceCart(menu, {
      lines: [
        { itemId: 'burger', quantity: 2, options: ['fries', 'large', 'bacon'] },
        { itemId: 'burger', quantity: 1, options: ['salad'] },
      ],
      tip: { percent: 15 },
    });
    expect(priced.problems).toEqual([]);
    expect(priced.lines.map((l) => [l.unitPriceMinor, l.lineTotalMinor])).toEqual([
      [1950, 3900],
      [1650, 1650],
    ]);
    expect(priced.lines[0]!.options.map((o) => o.name)).toEqual(['fries', 'large', 'bacon']);
    expect(priced).toMatchObject({ subtotalMinor: 5550, taxMinor: 555, tipMinor: 833, totalMinor: 6938 });
  });

  it('checks min and max at every depth, but a nested group only when its option is chosen', () => {
    const problem = (options: string[]) => priceCart(menu, { lines: [{ itemId: 'burger', quantity: 1, options }] }).problems[0]?.code ?? null;
    expect(problem(['salad'])).toBeNull();
    expect(problem([])).toBe('CART_OPTION_RULES'); // a side is required
    expect(problem(['fries'])).toBe('CART_OPTION_RULES'); // fries need a size
    expect(problem(['salad', 'fries', 'regular'])).toBe('CART_OPTION_RULES'); // two sides
    expect(problem(['salad', 'regular'])).toBe('CART_OPTION_INVALID'); // a size without fries
    expect(problem(['salad', 'bacon', 'cheddar', 'egg'])).toBe('CART_OPTION_RULES'); // 3 extras, max 2
    expect(problem(['salad', 'salad'])).toBe('CART_OPTION_RULES');
    expect(problem(['sweet-potato'])).toBe('SOLD_OUT');
    expect(problem(['salad', 'not-an-option'])).toBe('CART_OPTION_INVALID');
  });

  it('names unknown and sold-out items without pricing them', () => {
    const priced = priceCart(
      { ...menu, items: new Map([...menu.items, ['soup', { ...burger, id: 'soup', name: 'Soup', optionGroups: [], available: false, unavailableReason: 'eightySixed' as const }]]) },
      { lines: [{ itemId: 'nope', quantity: 1, options: [] }, { itemId: 'soup', quantity: 1, options: [] }] },
    );
    expect(priced.problems.map((p) => [p.lineIndex, p.code, p.itemName ?? null])).toEqual([
      [0, 'CART_ITEM_UNKNOWN', null],
      [1, 'SOLD_OUT', 'Soup'],
    ]);
    expect(priced.totalMinor).toBe(0);
  });

  it('refuses options that take a portion below zero', () => {
    const discount: PricingItem = {
      ...burger,
      id: 'cheap',
      optionGroups: [{ id: 'deal', name: 'Deal', minSelections: 0, maxSelections: 1, options: [option('minus-50', -5000)] }],
    };
    const priced = priceCart({ ...menu, items: new Map([[discount.id, discount]]) }, { lines: [{ itemId: 'cheap', quantity: 1, options: ['minus-50'] }] });
    expect(priced.problems.map((p) => p.code)).toEqual(['CART_OPTION_INVALID']);
    expect(priced.totalMinor).toBe(0);
  });

  it('takes a tip as an amount', () => {
    expect(priceCart(menu, { lines: [{ itemId: 'burger', quantity: 1, options: ['salad'] }], tip: { amountMinor: 200 } })).toMatchObject({
      subtotalMinor: 1650,
      taxMinor: 165,
      tipMinor: 200,
      totalMinor: 2015,
    });
  });
});

describe('the order lifecycle', () => {
  it('allows exactly the transitions on the picture', () => {
    expect(findTransition('placed', 'accept', 'kitchen')?.to).toBe('preparing');
    expect(findTransition('placed', 'cancel', 'orderer')?.to).toBe('cancelled');
    expect(findTransition('preparing', 'cancel', 'orderer')).toBeUndefined();
    expect(findTransition('completed', 'reject', 'kitchen')).toBeUndefined();
    expect(findTransition('cancelled', 'accept', 'kitchen')).toBeUndefined();
    expect(findTransition('placed', 'accept', 'orderer')).toBeUndefined();
    // Nothing leaves a final state, and nothing goes back to waiting for payment.
    for (const t of TRANSITIONS) expect(['completed', 'cancelled']).not.toContain(t.from);
    expect([...new Set(TRANSITIONS.map((t) => t.to))].sort()).toEqual(ORDER_STATUSES.filter((s) => s !== 'pending_payment').sort());
  });
});

describe('a free side dish', () => {
  const free = (priceMinor: number, sideDelta: number): PricingItem => ({
    ...burger,
    id: 'menu-du-jour',
    name: 'Menu du jour',
    priceMinor,
    optionGroups: [{ id: 'side', name: 'Side', minSelections: 1, maxSelections: 1, options: [option('green-salad', sideDelta)] }],
  });
  const price = (item: PricingItem, tip?: { percent: number } | { amountMinor: number }) =>
    priceCart({ ...menu, items: new Map([[item.id, item]]) }, { lines: [{ itemId: item.id, quantity: 2, options: ['green-salad'] }], tip });

  it('prices a zero-priced option at nothing, not as below zero', () => {
    const priced = price(free(1200, 0));
    expect(priced.problems).toEqual([]);
    expect(priced.lines[0]).toMatchObject({ unitPriceMinor: 1200, lineTotalMinor: 2400, options: [{ optionId: 'green-salad', name: 'green-salad', groupName: 'Side', priceDeltaMinor: 0 }] });
  });

  it('takes a dish that costs nothing at all (a free tasting), with no tax and no percentage tip', () => {
    const priced = price(free(0, 0), { percent: 10 });
    expect(priced.problems).toEqual([]);
    expect(priced).toMatchObject({ subtotalMinor: 0, taxMinor: 0, tipMinor: 0, totalMinor: 0 });
    expect(priced.lines).toHaveLength(1);
  });

  it('lets a discount option bring a portion down to exactly zero, not below', () => {
    expect(price(free(500, -500)).problems).toEqual([]);
    expect(price(free(500, -501)).problems).toEqual([
      { lineIndex: 0, code: 'CART_OPTION_INVALID', message: 'These options bring “Menu du jour” below zero', itemId: 'menu-du-jour', itemName: 'Menu du jour' },
    ]);
  });
});

describe('what a guest reads when a cart is refused', () => {
  const problem = (options: string[], lines = [{ itemId: 'burger', quantity: 1, options }]) => priceCart(menu, { lines }).problems;

  it('names the rule and the group, the sold-out option, and the item', () => {
    expect(problem([])).toEqual([{ lineIndex: 0, code: 'CART_OPTION_RULES', message: 'Choose exactly 1 for “Side”', itemId: 'burger', itemName: 'Bistro burger' }]);
    expect(problem(['salad', 'bacon', 'cheddar', 'egg'])[0]?.message).toBe('Choose 0 to 2 for “Extras”');
    expect(problem(['sweet-potato'])[0]).toMatchObject({ code: 'SOLD_OUT', message: '“sweet-potato” is sold out' });
    const soldOut = priceCart({ ...menu, items: new Map([['burger', { ...burger, available: false, unavailableReason: 'eightySixed' as const }]]) }, { lines: [{ itemId: 'burger', quantity: 1, options: ['salad'] }] });
    expect(soldOut.problems).toEqual([{ lineIndex: 0, code: 'SOLD_OUT', message: '“Bistro burger” is sold out', itemId: 'burger', itemName: 'Bistro burger' }]);
    expect(problem(['salad', 'salad'])[0]).toMatchObject({ code: 'CART_OPTION_RULES', message: 'An option is chosen twice', itemName: 'Bistro burger' });
    expect(problem(['salad', 'nope'])[0]).toMatchObject({ code: 'CART_OPTION_INVALID', message: 'An option does not belong to “Bistro burger”', itemName: 'Bistro burger' });
    expect(problem([], [{ itemId: 'ghost', quantity: 1, options: [] }])).toEqual([
      { lineIndex: 0, code: 'CART_ITEM_UNKNOWN', message: 'This item is not on the menu', itemId: 'ghost' },
    ]);
  });

  it('keeps the good lines priced beside the refused ones, and each line’s own note', () => {
    const priced = priceCart(menu, {
      lines: [
        { itemId: 'ghost', quantity: 1, options: [] },
        { itemId: 'burger', quantity: 3, options: ['salad'], note: '  no onions ' },
        { itemId: 'burger', quantity: 1, options: ['salad'], note: '   ' },
      ],
    });
    expect(priced.problems.map((p) => p.lineIndex)).toEqual([0]);
    expect(priced.lines.map((l) => [l.lineIndex, l.quantity, l.name, l.note, l.lineTotalMinor])).toEqual([
      [1, 3, 'Bistro burger', 'no onions', 4950],
      [2, 1, 'Bistro burger', null, 1650],
    ]);
    expect(priced).toMatchObject({ currency: 'EUR', subtotalMinor: 6600, taxMinor: 660, tipMinor: 0, totalMinor: 7260 });
  });

  it('refuses a total too large to count exactly', () => {
    const huge: PricingItem = { ...burger, id: 'huge', optionGroups: [], priceMinor: Number.MAX_SAFE_INTEGER };
    expect(() => priceCart({ ...menu, items: new Map([[huge.id, huge]]) }, { lines: [{ itemId: 'huge', quantity: 2, options: [] }] })).toThrow('Amount out of range');
  });
});
