import { describe, expect, it } from 'vitest';
import { itemCreateInput, itemUpdateInput, optionGroupCreateInput, optionGroupRuleViolations } from '../src/index.js';

const id = '00000000-0000-4000-8000-000000000001';

describe('menu input schemas', () => {
  it.each([12.5, -1, '1250', Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])('refuse %s as an item price', (priceMinor) => {
    expect(itemCreateInput.safeParse({ categoryId: id, name: 'Soup', priceMinor }).success).toBe(false);
  });

  it('keep allergens as a set from the EU list, in its order', () => {
    const parsed = itemCreateInput.parse({ categoryId: id, name: ' Soup ', priceMinor: 0, allergens: ['milk', 'gluten', 'milk'] });
    expect(parsed).toMatchObject({ name: 'Soup', allergens: ['gluten', 'milk'] });
    expect(itemCreateInput.safeParse({ categoryId: id, name: 'Soup', priceMinor: 0, allergens: ['pineapple'] }).success).toBe(false);
  });

  it('refuse unknown keys, such as a version on create or a location on update', () => {
    expect(itemCreateInput.safeParse({ categoryId: id, name: 'Soup', priceMinor: 1, version: 1 }).success).toBe(false);
    expect(itemUpdateInput.safeParse({ itemId: id, version: 1, locationId: id }).success).toBe(false);
  });

  it('let an option cost less (a negative delta) but never a fraction of a cent', () => {
    const group = (priceDeltaMinor: unknown) => ({ itemId: id, name: 'Cheese', minSelections: 0, maxSelections: 1, options: [{ name: 'None', priceDeltaMinor }] });
    expect(optionGroupCreateInput.safeParse(group(-50)).success).toBe(true);
    expect(optionGroupCreateInput.safeParse(group(-0.5)).success).toBe(false);
  });

  it('hang a group off exactly one of an item or an option', () => {
    const group = { name: 'Size', minSelections: 0, maxSelections: 1, options: [{ name: 'Large', priceDeltaMinor: 100 }] };
    expect(optionGroupCreateInput.safeParse(group).success).toBe(false);
    expect(optionGroupCreateInput.safeParse({ ...group, itemId: id, optionId: id }).success).toBe(false);
    expect(optionGroupCreateInput.safeParse({ ...group, optionId: id }).success).toBe(true);
  });
});

describe('option group rules', () => {
  const options = [{ name: 'Rare' }, { name: 'Medium', isDefault: true }, { name: 'Well done' }];
  it('accept 0 ≤ min ≤ max ≤ options with at most max defaults', () => {
    expect(optionGroupRuleViolations({ minSelections: 1, maxSelections: 1, options })).toEqual([]);
    expect(optionGroupRuleViolations({ minSelections: 0, maxSelections: 3, options })).toEqual([]);
  });
  it.each([
    ['min above max', 2, 1, options, 'minSelections'],
    ['max of zero', 0, 0, options, 'maxSelections'],
    ['max above the options', 0, 4, options, 'maxSelections'],
    ['more defaults than max', 0, 1, options.map((o) => ({ ...o, isDefault: true })), 'options'],
    ['two options of one name', 0, 1, [...options, { name: 'rare' }], 'options'],
  ])('refuse %s', (_, minSelections, maxSelections, list, field) => {
    expect(optionGroupRuleViolations({ minSelections, maxSelections, options: list }).map((v) => v.field)).toContain(field);
  });
});
