import { z } from 'zod';
import { minorUnitsSchema, nonNegativeMinorUnitsSchema } from './money.js';
import { multiLineText, singleLineText } from './text.js';

/**
 * Input schemas of the manager's menu editing, shared by the api and front ends (forms).
 * Objects are strict; money is integer minor units; every update or archive carries the
 * `version` the editor last saw, and a stale one is refused (STALE_VERSION).
 */

/** The 14 allergens EU law (Regulation 1169/2011, Annex II) requires a menu to declare. */
export const ALLERGENS = [
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soy',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
] as const;
export const allergenSchema = z.enum(ALLERGENS);
export type Allergen = z.infer<typeof allergenSchema>;

/** Allergens as a set: duplicates dropped, kept in the order of the list above. */
export const allergensSchema = z
  .array(allergenSchema)
  .max(ALLERGENS.length * 2)
  .transform((list) => ALLERGENS.filter((a) => list.includes(a)));

/** How deep choices may nest: item → group → option → group → option → group. */
export const MAX_OPTION_GROUP_DEPTH = 3;
/** Options in one group, and entries in one reorder: generous for a menu, small for a request. */
export const MAX_OPTIONS_PER_GROUP = 50;
export const MAX_REORDER_ENTRIES = 500;

/** A displayed name: one line, 1 to 200 characters (text.ts rules). */
export const menuNameSchema = singleLineText({ max: 200 });

/** A description: up to 2000 characters, may be empty, may span lines (text.ts rules). */
export const menuDescriptionSchema = multiLineText({ max: 2000, min: 0 });

/** The row version the editor last saw. */
export const versionSchema = z.number().int().min(1).max(2_147_483_647);

/** A price on the menu: integer minor units, never negative. */
export const priceMinorSchema = nonNegativeMinorUnitsSchema.max(2_147_483_647);
/** An option's price delta: integer minor units, may be negative ("no cheese −0.50"). */
export const priceDeltaMinorSchema = minorUnitsSchema.min(-2_147_483_648).max(2_147_483_647);

const selectionsSchema = z.number().int().min(0).max(MAX_OPTIONS_PER_GROUP);

/** The menu as a manager edits it (`menu.forEdit`): every active entry with its version. */
export const menuForEditInput = z.strictObject({ locationId: z.uuid() });

// ---- categories

export const categoryCreateInput = z.strictObject({
  locationId: z.uuid(),
  name: menuNameSchema,
  description: menuDescriptionSchema.optional(),
});
export const categoryUpdateInput = z.strictObject({
  categoryId: z.uuid(),
  version: versionSchema,
  name: menuNameSchema.optional(),
  description: menuDescriptionSchema.optional(),
});
export const categoryArchiveInput = z.strictObject({ categoryId: z.uuid(), version: versionSchema });
/** The full ordered list of the location's active categories. */
export const categoryReorderInput = z.strictObject({
  locationId: z.uuid(),
  categoryIds: z.array(z.uuid()).min(1).max(MAX_REORDER_ENTRIES),
});

// ---- items

export const itemCreateInput = z.strictObject({
  categoryId: z.uuid(),
  name: menuNameSchema,
  description: menuDescriptionSchema.optional(),
  priceMinor: priceMinorSchema,
  allergens: allergensSchema.optional(),
  /** The kitchen station the item is routed to (of the same location), or null/absent: none. */
  stationId: z.uuid().nullable().optional(),
});
export const itemUpdateInput = z.strictObject({
  itemId: z.uuid(),
  version: versionSchema,
  /** Moves the item to another category of the same location (to the end of it). */
  categoryId: z.uuid().optional(),
  name: menuNameSchema.optional(),
  description: menuDescriptionSchema.optional(),
  priceMinor: priceMinorSchema.optional(),
  allergens: allergensSchema.optional(),
  /** Routes the item to a station of the same location; null: to none. Lines already sold keep theirs. */
  stationId: z.uuid().nullable().optional(),
});
export const itemArchiveInput = z.strictObject({ itemId: z.uuid(), version: versionSchema });
/** The full ordered list of the category's active items. */
export const itemReorderInput = z.strictObject({
  categoryId: z.uuid(),
  itemIds: z.array(z.uuid()).min(1).max(MAX_REORDER_ENTRIES),
});

// ---- option groups

export const optionInput = z.strictObject({
  name: menuNameSchema,
  priceDeltaMinor: priceDeltaMinorSchema,
  isDefault: z.boolean().optional(),
});
/** In an update: an existing option by `id` (kept, possibly changed) or a new one without. */
export const optionUpsertInput = optionInput.extend({ id: z.uuid().optional() });

const groupRules = {
  name: menuNameSchema,
  minSelections: selectionsSchema,
  maxSelections: selectionsSchema,
};

/** A group hangs off an item (`itemId`) or off an option (`optionId`, a choice that opens a further choice): exactly one. */
export const optionGroupCreateInput = z
  .strictObject({
    itemId: z.uuid().optional(),
    optionId: z.uuid().optional(),
    ...groupRules,
    options: z.array(optionInput).min(1, 'Add at least one option').max(MAX_OPTIONS_PER_GROUP),
  })
  .check((ctx) => {
    const { itemId, optionId } = ctx.value;
    if ((itemId === undefined) === (optionId === undefined)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: [itemId === undefined ? 'itemId' : 'optionId'],
        message: 'Give either itemId or optionId, not both',
      });
    }
  });
export const optionGroupUpdateInput = z.strictObject({
  optionGroupId: z.uuid(),
  version: versionSchema,
  name: menuNameSchema.optional(),
  minSelections: selectionsSchema.optional(),
  maxSelections: selectionsSchema.optional(),
  /** The group's options after the change, in order: listed ones kept, new ones added, missing ones archived. */
  options: z.array(optionUpsertInput).min(1, 'Add at least one option').max(MAX_OPTIONS_PER_GROUP).optional(),
});
export const optionGroupArchiveInput = z.strictObject({ optionGroupId: z.uuid(), version: versionSchema });

export type CategoryCreateInput = z.input<typeof categoryCreateInput>;
export type CategoryUpdateInput = z.input<typeof categoryUpdateInput>;
export type ItemCreateInput = z.input<typeof itemCreateInput>;
export type ItemUpdateInput = z.input<typeof itemUpdateInput>;
export type OptionGroupCreateInput = z.input<typeof optionGroupCreateInput>;
export type OptionGroupUpdateInput = z.input<typeof optionGroupUpdateInput>;

export interface OptionGroupRuleViolation {
  field: 'minSelections' | 'maxSelections' | 'options';
  message: string;
}

/**
 * The rules of a choice, on the group as it will be after the change:
 * `0 ≤ min ≤ max`, `max ≥ 1`, `max ≤ number of options`, at most `max` options preselected
 * as defaults, and no two options with the same name. Empty when the group is fine.
 */
export function optionGroupRuleViolations(group: {
  minSelections: number;
  maxSelections: number;
  options: readonly { name: string; isDefault?: boolean | undefined }[];
}): OptionGroupRuleViolation[] {
  const { minSelections: min, maxSelections: max, options } = group;
  const violations: OptionGroupRuleViolation[] = [];
  if (min < 0) violations.push({ field: 'minSelections', message: 'The minimum cannot be negative' });
  if (max < 1) violations.push({ field: 'maxSelections', message: 'The maximum must be at least 1' });
  if (min > max) violations.push({ field: 'minSelections', message: `The minimum (${min}) is above the maximum (${max})` });
  if (max > options.length) {
    violations.push({ field: 'maxSelections', message: `The maximum (${max}) is above the number of options (${options.length})` });
  }
  const defaults = options.filter((o) => o.isDefault).length;
  if (defaults > max) violations.push({ field: 'options', message: `${defaults} options are defaults but at most ${max} may be chosen` });
  const names = new Set<string>();
  for (const option of options) {
    const key = option.name.toLocaleLowerCase('en');
    if (names.has(key)) violations.push({ field: 'options', message: `Two options are called "${option.name}"` });
    names.add(key);
  }
  return violations;
}
