import { describe, expect, it } from 'vitest';
import { ingredientUpsertInput, movementsListInput, recipeSetInput, set86Input, stockAdjustInput, stockQuantitySchema } from '../src/index.js';
import { accepts, ID, ID2, problems } from './issues.js';

describe('quantities in the pantry', () => {
  it('are whole units from 0 to a billion', () => {
    expect(accepts(stockQuantitySchema, 0)).toBe(true);
    expect(accepts(stockQuantitySchema, 1_000_000_000)).toBe(true);
    expect(accepts(stockQuantitySchema, 1_000_000_001)).toBe(false);
    expect(accepts(stockQuantitySchema, -1)).toBe(false);
    expect(problems(stockQuantitySchema, 2.5)).toEqual([': Use whole units (g, ml or pieces)']);
  });
});

describe('an ingredient', () => {
  const base = { locationId: ID, name: '  Flour ', unit: 'g', lowStockThreshold: 500 };
  it('is created without an id, and changed with the version last seen', () => {
    expect(ingredientUpsertInput.parse(base)).toEqual({ ...base, name: 'Flour' });
    expect(accepts(ingredientUpsertInput, { ...base, id: ID2, version: 1 })).toBe(true);
    expect(problems(ingredientUpsertInput, { ...base, id: ID2 })).toEqual(['version: Send the version you last saw']);
    expect(accepts(ingredientUpsertInput, { ...base, version: 0, id: ID2 })).toBe(false);
  });

  it('has a name without control characters, in g, ml or pieces', () => {
    expect(problems(ingredientUpsertInput, { ...base, name: ' ' })).toEqual(['name: Enter some text']);
    expect(problems(ingredientUpsertInput, { ...base, name: 'Flour\u0007' })).toEqual(['name: Remove control characters']);
    expect(accepts(ingredientUpsertInput, { ...base, name: 'x'.repeat(200) })).toBe(true);
    expect(accepts(ingredientUpsertInput, { ...base, name: 'x'.repeat(201) })).toBe(false);
    expect(accepts(ingredientUpsertInput, { ...base, name: 'ｘ'.repeat(200) })).toBe(true);
    for (const unit of ['g', 'ml', 'piece']) expect(accepts(ingredientUpsertInput, { ...base, unit })).toBe(true);
    expect(accepts(ingredientUpsertInput, { ...base, unit: 'kg' })).toBe(false);
  });
});

describe('a stock adjustment', () => {
  it('a delivery adds, waste takes away, a correction goes either way, a count says what is there', () => {
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'delivery', delta: 5 })).toBe(true);
    expect(problems(stockAdjustInput, { ingredientId: ID, reason: 'delivery', delta: -5 })).toEqual(['delta: A delivery adds stock']);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'waste', delta: -5 })).toBe(true);
    expect(problems(stockAdjustInput, { ingredientId: ID, reason: 'waste', delta: 5 })).toEqual(['delta: Waste takes stock away (a negative delta)']);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: -5 })).toBe(true);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: 5 })).toBe(true);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'count', counted: 0 })).toBe(true);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'count', delta: 3 })).toBe(false);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'sale', delta: -1 })).toBe(false);
  });

  it('always changes something, by whole units within a billion either way', () => {
    expect(problems(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: 0 })).toEqual(['delta: A movement changes the stock']);
    // A delivery or waste of nothing is told both what is wrong and which way it should go.
    expect(problems(stockAdjustInput, { ingredientId: ID, reason: 'delivery', delta: 0 })).toEqual(['delta: A movement changes the stock', 'delta: A delivery adds stock']);
    expect(problems(stockAdjustInput, { ingredientId: ID, reason: 'waste', delta: 0 })).toEqual(['delta: A movement changes the stock', 'delta: Waste takes stock away (a negative delta)']);
    expect(problems(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: 1.5 })).toEqual(['delta: Use whole units (g, ml or pieces)']);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: -1_000_000_000 })).toBe(true);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: 1_000_000_000 })).toBe(true);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: -1_000_000_001 })).toBe(false);
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'correction', delta: 1_000_000_001 })).toBe(false);
    expect(stockAdjustInput.parse({ ingredientId: ID, reason: 'waste', delta: -1, note: '  dropped  ' })).toMatchObject({ note: 'dropped' });
    expect(accepts(stockAdjustInput, { ingredientId: ID, reason: 'waste', delta: -1, note: 'x'.repeat(501) })).toBe(false);
  });
});

describe('listing movements', () => {
  it('names a location or an ingredient, 50 a page by default, at most 200', () => {
    expect(movementsListInput.parse({ locationId: ID })).toEqual({ locationId: ID, limit: 50 });
    expect(accepts(movementsListInput, { ingredientId: ID, cursor: 1, limit: 200 })).toBe(true);
    expect(problems(movementsListInput, {})).toEqual(['locationId: Name a location or an ingredient']);
    expect(accepts(movementsListInput, { locationId: ID, limit: 201 })).toBe(false);
    expect(accepts(movementsListInput, { locationId: ID, limit: 0 })).toBe(false);
    expect(accepts(movementsListInput, { locationId: ID, cursor: 0 })).toBe(false);
  });
});

describe('a recipe', () => {
  it('belongs to an item or an option, not both and not neither', () => {
    expect(accepts(recipeSetInput, { itemId: ID, lines: [] })).toBe(true);
    expect(accepts(recipeSetInput, { optionId: ID, lines: [] })).toBe(true);
    expect(problems(recipeSetInput, { itemId: ID, optionId: ID, lines: [] })).toEqual(['itemId: Name an item or an option, not both']);
    expect(problems(recipeSetInput, { lines: [] })).toEqual(['itemId: Name an item or an option, not both']);
  });

  it('uses each ingredient once, at least one unit of it', () => {
    expect(problems(recipeSetInput, { itemId: ID, lines: [{ ingredientId: ID, quantity: 1 }, { ingredientId: ID2, quantity: 2 }, { ingredientId: ID, quantity: 3 }] })).toEqual([
      'lines.2.ingredientId: This ingredient is listed twice',
    ]);
    expect(problems(recipeSetInput, { itemId: ID, lines: [{ ingredientId: ID, quantity: 0 }] })).toEqual(['lines.0.quantity: A recipe line uses at least 1']);
  });
});

describe('86ing an item', () => {
  it('takes a trimmed reason of at most 200 characters', () => {
    expect(set86Input.parse({ itemId: ID, eightySixed: true, reason: ' no fish today ' })).toEqual({ itemId: ID, eightySixed: true, reason: 'no fish today' });
    expect(accepts(set86Input, { itemId: ID, eightySixed: true, reason: 'x'.repeat(201) })).toBe(false);
  });
});
