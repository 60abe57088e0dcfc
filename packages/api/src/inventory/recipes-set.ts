import { recipeSetInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError, notFound } from '../errors.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { managerProcedure } from '../trpc.js';
import { recipeLines, type RecipeOwner } from './recipes.js';

/**
 * Replaces what one portion of an item (or one chosen option) takes from the pantry. Every
 * ingredient must be one of this location's; otherwise nothing is stored. An empty list
 * removes the recipe. Availability on the menu follows at once.
 */
export const set = managerProcedure.input(recipeSetInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const owner: RecipeOwner = input.itemId !== undefined ? { column: 'item_id', id: input.itemId } : { column: 'option_id', id: input.optionId! };
  const lines = await ctx.db.transaction().execute(async (trx) => {
    // Locking the item (or option) serializes two managers replacing the same recipe.
    const locked =
      owner.column === 'item_id'
        ? await trx.selectFrom('menu_items').select('id').where('id', '=', owner.id).where('location_id', '=', locationId).forUpdate().executeTakeFirst()
        : await trx.selectFrom('options').select('id').where('id', '=', owner.id).forUpdate().executeTakeFirst();
    if (!locked) throw notFound(owner.column === 'item_id' ? 'Item' : 'Option');

    const wanted = input.lines.map((l) => l.ingredientId);
    const known = wanted.length
      ? new Set(
          (
            await trx
              .selectFrom('ingredients')
              .select('id')
              .where('id', 'in', wanted)
              .where('location_id', '=', locationId)
              .where('archived_at', 'is', null)
              .execute()
          ).map((r) => r.id),
        )
      : new Set<string>();
    const fieldErrors: Record<string, string[]> = {};
    input.lines.forEach((l, i) => {
      // Another location's ingredient answers like one that does not exist.
      if (!known.has(l.ingredientId)) fieldErrors[`lines.${i}.ingredientId`] = ['No such ingredient at this location'];
    });
    if (Object.keys(fieldErrors).length) throw new BistroError('INVALID_INPUT', 'A recipe can only use this location’s ingredients', { fieldErrors });

    const before = await recipeLines(trx, owner);
    await trx.deleteFrom('recipe_lines').where(owner.column, '=', owner.id).execute();
    if (input.lines.length) {
      await trx
        .insertInto('recipe_lines')
        .values(input.lines.map((l) => ({ location_id: locationId, [owner.column]: owner.id, ingredient_id: l.ingredientId, quantity: l.quantity })))
        .execute();
    }
    await touchMenu(trx, locationId);
    const after = await recipeLines(trx, owner);
    await recordAudit(trx, ctx, { action: 'inventory.recipe_set', targetType: owner.column === 'item_id' ? 'menu_item' : 'option', targetId: owner.id, locationId, details: { before, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return { itemId: input.itemId ?? null, optionId: input.optionId ?? null, lines };
});
