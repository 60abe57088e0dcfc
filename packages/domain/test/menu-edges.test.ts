import { describe, expect, it } from 'vitest';
import {
  ALLERGENS,
  allergensSchema,
  categoryCreateInput,
  categoryReorderInput,
  itemCreateInput,
  menuDescriptionSchema,
  menuNameSchema,
  optionGroupCreateInput,
  optionGroupRuleViolations,
  optionGroupUpdateInput,
  priceDeltaMinorSchema,
  priceMinorSchema,
  versionSchema,
} from '../src/index.js';
import { accepts, ID, problems } from './issues.js';

describe('names and descriptions on a menu', () => {
  it('a name is trimmed, 1 to 200 characters, no control characters', () => {
    expect(menuNameSchema.parse('  Crème brûlée ')).toBe('Crème brûlée');
    expect(menuNameSchema.parse('Cre\u0300me')).toBe('Crème');
    expect(problems(menuNameSchema, '  ')).toEqual([': Enter some text']);
    expect(problems(menuNameSchema, 'x'.repeat(201))).toEqual([': Use at most 200 characters']);
    expect(accepts(menuNameSchema, 'x'.repeat(200))).toBe(true);
    // A bidi override is refused; a left-to-right mark (U+200E), ordinary in mixed-script text, is not.
    expect(problems(menuNameSchema, 'Soup\u202e')).toEqual([': Remove control characters']);
    expect(accepts(menuNameSchema, 'Soup\u200e')).toBe(true);
  });

  it('a description may be empty and keep its line breaks, but no other control characters', () => {
    expect(menuDescriptionSchema.parse('  Slow-cooked.\nServed warm. ')).toBe('Slow-cooked.\nServed warm.');
    expect(menuDescriptionSchema.parse('')).toBe('');
    // Tabs stay; a carriage return is a line break like any other.
    expect(menuDescriptionSchema.parse('tab\there\r\nnext')).toBe('tab\there\nnext');
    for (const bad of ['bell\u0007', 'del\u007f', 'rtl\u202e', 'nul\u0000x', 'us\u001fx']) {
      expect(problems(menuDescriptionSchema, bad), JSON.stringify(bad)).toEqual([': Remove control characters']);
    }
    expect(problems(menuDescriptionSchema, 'x'.repeat(2001))).toEqual([': Use at most 2000 characters']);
    expect(accepts(menuDescriptionSchema, 'x'.repeat(2000))).toBe(true);
    expect(accepts(categoryCreateInput, { locationId: ID, name: 'Soups', description: 'Hot' })).toBe(true);
  });
});

describe('prices, versions and allergens', () => {
  it('a price is 0 up to the largest integer column; an option’s delta may go negative as far', () => {
    expect(accepts(priceMinorSchema, 0)).toBe(true);
    expect(accepts(priceMinorSchema, 2_147_483_647)).toBe(true);
    expect(accepts(priceMinorSchema, 2_147_483_648)).toBe(false);
    expect(accepts(priceDeltaMinorSchema, -2_147_483_648)).toBe(true);
    expect(accepts(priceDeltaMinorSchema, -2_147_483_649)).toBe(false);
    expect(accepts(priceDeltaMinorSchema, 2_147_483_647)).toBe(true);
    expect(accepts(priceDeltaMinorSchema, 2_147_483_648)).toBe(false);
    expect(accepts(versionSchema, 0)).toBe(false);
    expect(accepts(versionSchema, 1)).toBe(true);
    expect(accepts(versionSchema, 2_147_483_648)).toBe(false);
  });

  it('allergens come from the EU list of 14, each once, in its order', () => {
    expect(ALLERGENS).toHaveLength(14);
    expect(allergensSchema.parse(['sesame', 'gluten', 'sesame', 'molluscs'])).toEqual(['gluten', 'sesame', 'molluscs']);
    expect(accepts(allergensSchema, Array(28).fill('milk'))).toBe(true);
    expect(accepts(allergensSchema, Array(29).fill('milk'))).toBe(false);
    expect(itemCreateInput.parse({ categoryId: ID, name: 'Bread', priceMinor: 0 })).toEqual({ categoryId: ID, name: 'Bread', priceMinor: 0 });
  });

  it('a reorder lists 1 to 500 entries', () => {
    expect(accepts(categoryReorderInput, { locationId: ID, categoryIds: [ID] })).toBe(true);
    expect(accepts(categoryReorderInput, { locationId: ID, categoryIds: [] })).toBe(false);
    expect(accepts(categoryReorderInput, { locationId: ID, categoryIds: Array(501).fill(ID) })).toBe(false);
  });
});

describe('option groups', () => {
  const option = { name: 'Large', priceDeltaMinor: 100 };
  it('have 1 to 50 options and 0 to 50 selections', () => {
    expect(problems(optionGroupCreateInput, { itemId: ID, name: 'Size', minSelections: 0, maxSelections: 1, options: [] })).toEqual(['options: Add at least one option']);
    expect(accepts(optionGroupCreateInput, { itemId: ID, name: 'Size', minSelections: 0, maxSelections: 50, options: Array(50).fill(option) })).toBe(true);
    expect(accepts(optionGroupCreateInput, { itemId: ID, name: 'Size', minSelections: 0, maxSelections: 51, options: [option] })).toBe(false);
    expect(accepts(optionGroupCreateInput, { itemId: ID, name: 'Size', minSelections: 0, maxSelections: 1, options: Array(51).fill(option) })).toBe(false);
    expect(problems(optionGroupUpdateInput, { optionGroupId: ID, version: 1, options: [] })).toEqual(['options: Add at least one option']);
    expect(accepts(optionGroupUpdateInput, { optionGroupId: ID, version: 1, options: [{ ...option, id: ID }] })).toBe(true);
  });

  it('hang off an item or an option, saying which field is wrong', () => {
    const group = { name: 'Size', minSelections: 0, maxSelections: 1, options: [option] };
    expect(problems(optionGroupCreateInput, group)).toEqual(['itemId: Give either itemId or optionId, not both']);
    expect(problems(optionGroupCreateInput, { ...group, itemId: ID, optionId: ID })).toEqual(['optionId: Give either itemId or optionId, not both']);
    expect(problems(optionGroupCreateInput, { ...group, itemId: ID })).toEqual([]);
  });

  it('explain each broken rule to the manager', () => {
    const three = [{ name: 'Rare' }, { name: 'Medium', isDefault: true }, { name: 'Well done' }];
    expect(optionGroupRuleViolations({ minSelections: -1, maxSelections: 1, options: three })).toEqual([{ field: 'minSelections', message: 'The minimum cannot be negative' }]);
    expect(optionGroupRuleViolations({ minSelections: 0, maxSelections: 0, options: three })).toEqual([
      { field: 'maxSelections', message: 'The maximum must be at least 1' },
      { field: 'options', message: '1 options are defaults but at most 0 may be chosen' },
    ]);
    expect(optionGroupRuleViolations({ minSelections: 2, maxSelections: 1, options: three })).toEqual([{ field: 'minSelections', message: 'The minimum (2) is above the maximum (1)' }]);
    expect(optionGroupRuleViolations({ minSelections: 0, maxSelections: 4, options: three })).toEqual([
      { field: 'maxSelections', message: 'The maximum (4) is above the number of options (3)' },
    ]);
    expect(optionGroupRuleViolations({ minSelections: 0, maxSelections: 1, options: [...three, { name: 'MEDIUM' }] })).toEqual([
      { field: 'options', message: 'Two options are called "MEDIUM"' },
    ]);
    // Names differ by more than case: "Maß" and "Mass" are two options (upper-casing would make them one).
    expect(optionGroupRuleViolations({ minSelections: 0, maxSelections: 1, options: [{ name: 'Maß' }, { name: 'Mass' }] })).toEqual([]);
    // At the limits: min = max, max = options, defaults = max.
    expect(optionGroupRuleViolations({ minSelections: 3, maxSelections: 3, options: three.map((o) => ({ ...o, isDefault: true })) })).toEqual([]);
    expect(optionGroupRuleViolations({ minSelections: 0, maxSelections: 1, options: [{ name: 'Only', isDefault: true }] })).toEqual([]);
  });
});
