import { recipeGetInput } from '@bistro/domain';
import { staffProcedure } from '../trpc.js';
import { recipeLineColumns } from './recipes.js';

/**
 * What one portion of an item takes from the pantry, and what each option under it takes when
 * chosen (options of nested choices too), as `inventory.recipes.set` stores them. Options
 * without a recipe, and archived choices and options, are left out. Staff may read.
 */
export const get = staffProcedure
  .meta({ scope: 'inventory:read' })
  .input(recipeGetInput)
  .query(async ({ ctx, input }) => {
    const rows = await ctx.db
      // Every active option under the item, however deep its choice is nested.
      .withRecursive('tree(optionId)', (db) =>
        db
          .selectFrom('option_groups as g')
          .innerJoin('options as o', 'o.option_group_id', 'g.id')
          .select('o.id as optionId')
          .where('g.item_id', '=', input.itemId)
          .where('g.archived_at', 'is', null)
          .where('o.archived_at', 'is', null)
          .unionAll((db) =>
            db
              .selectFrom('tree as t')
              .innerJoin('option_groups as g', 'g.parent_option_id', 't.optionId')
              .innerJoin('options as o', 'o.option_group_id', 'g.id')
              .select('o.id as optionId')
              .where('g.archived_at', 'is', null)
              .where('o.archived_at', 'is', null),
          ),
      )
      .selectFrom('recipe_lines as r')
      .innerJoin('ingredients as i', 'i.id', 'r.ingredient_id')
      .select(['r.option_id as optionId', ...recipeLineColumns])
      .where('r.location_id', '=', ctx.locationId)
      .where((eb) => eb.or([eb('r.item_id', '=', input.itemId), eb('r.option_id', 'in', eb.selectFrom('tree').select('tree.optionId'))]))
      .orderBy('r.option_id', 'asc')
      .orderBy('i.name')
      .orderBy('i.id')
      .execute();
    type Line = Omit<(typeof rows)[number], 'optionId'>;
    const lines: Line[] = [];
    const options = new Map<string, Line[]>();
    for (const { optionId, ...line } of rows) {
      if (optionId === null) lines.push(line);
      else options.set(optionId, [...(options.get(optionId) ?? []), line]);
    }
    return { itemId: input.itemId, lines, options: [...options].map(([optionId, optionLines]) => ({ optionId, lines: optionLines })) };
  });
