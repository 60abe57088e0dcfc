import { z } from 'zod';
import { multiLineText, singleLineText } from './text.js';

/**
 * The pantry: ingredients counted in whole units (grams, millilitres, pieces), a ledger of
 * stock movements, and recipes. Quantities are integers, never fractions.
 */

export const INGREDIENT_UNITS = ['g', 'ml', 'piece'] as const;
export const ingredientUnitSchema = z.enum(INGREDIENT_UNITS);
export type IngredientUnit = z.infer<typeof ingredientUnitSchema>;

/** Why stock moved: a manager's adjustment (the first four), or an order taking or giving back. */
export const MOVEMENT_REASONS = ['delivery', 'waste', 'count', 'correction', 'sale', 'return'] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

const MAX_QUANTITY = 1_000_000_000;
/** A whole number of the ingredient's unit. */
export const stockQuantitySchema = z.number().int('Use whole units (g, ml or pieces)').min(0).max(MAX_QUANTITY);

const nameSchema = singleLineText({ max: 200 });
const noteSchema = multiLineText({ max: 500, min: 0 });

/** Creates an ingredient (no `id`) or changes one (`id` with the `version` last seen). */
export const ingredientUpsertInput = z
  .strictObject({
    locationId: z.uuid(),
    id: z.uuid().optional(),
    version: z.number().int().min(1).max(2_147_483_647).optional(),
    name: nameSchema,
    unit: ingredientUnitSchema,
    lowStockThreshold: stockQuantitySchema,
  })
  .refine((v) => v.id === undefined || v.version !== undefined, { message: 'Send the version you last saw', path: ['version'] });

export const ingredientsListInput = z.strictObject({ locationId: z.uuid() });
export const lowStockInput = z.strictObject({ locationId: z.uuid() });

const delta = z
  .number()
  .int('Use whole units (g, ml or pieces)')
  .min(-MAX_QUANTITY)
  .max(MAX_QUANTITY)
  .refine((n) => n !== 0, 'A movement changes the stock');

/**
 * A stock adjustment. Deliveries add, waste takes away, corrections go either way; a count
 * says how much is really there and the movement is the difference.
 */
export const stockAdjustInput = z.discriminatedUnion('reason', [
  z.strictObject({ ingredientId: z.uuid(), reason: z.literal('delivery'), delta: delta.refine((n) => n > 0, 'A delivery adds stock'), note: noteSchema.optional() }),
  z.strictObject({ ingredientId: z.uuid(), reason: z.literal('waste'), delta: delta.refine((n) => n < 0, 'Waste takes stock away (a negative delta)'), note: noteSchema.optional() }),
  z.strictObject({ ingredientId: z.uuid(), reason: z.literal('correction'), delta, note: noteSchema.optional() }),
  z.strictObject({ ingredientId: z.uuid(), reason: z.literal('count'), counted: stockQuantitySchema, note: noteSchema.optional() }),
]);
export type StockAdjustInput = z.input<typeof stockAdjustInput>;

export const movementsListInput = z
  .strictObject({
    locationId: z.uuid().optional(),
    ingredientId: z.uuid().optional(),
    /** The `nextCursor` of the previous page. */
    cursor: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .refine((v) => v.locationId !== undefined || v.ingredientId !== undefined, { message: 'Name a location or an ingredient', path: ['locationId'] });

/** What one portion of an item, and each option under it (at any depth), takes from the pantry. */
export const recipeGetInput = z.strictObject({ itemId: z.uuid() });

/** Replaces what one portion of an item, or one chosen option, takes from the pantry. */
export const recipeSetInput = z
  .strictObject({
    itemId: z.uuid().optional(),
    optionId: z.uuid().optional(),
    lines: z
      .array(z.strictObject({ ingredientId: z.uuid(), quantity: stockQuantitySchema.min(1, 'A recipe line uses at least 1') }))
      .max(100)
      .superRefine((lines, ctx) => {
        const seen = new Set<string>();
        lines.forEach((l, i) => {
          if (seen.has(l.ingredientId)) ctx.addIssue({ code: 'custom', path: [i, 'ingredientId'], message: 'This ingredient is listed twice' });
          seen.add(l.ingredientId);
        });
      }),
  })
  .refine((v) => (v.itemId === undefined) !== (v.optionId === undefined), { message: 'Name an item or an option, not both', path: ['itemId'] });

export const set86Input = z.strictObject({
  itemId: z.uuid(),
  eightySixed: z.boolean(),
  reason: singleLineText({ max: 200, min: 0 }).optional(),
});
