import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';

/** Whose recipe: an item's, or one option's. */
export type RecipeOwner = { column: 'item_id'; id: string } | { column: 'option_id'; id: string };

/** The columns a recipe line is answered with (by `recipes.set` and `recipes.get` alike). */
export const recipeLineColumns = ['r.ingredient_id as ingredientId', 'i.name as ingredientName', 'i.unit', 'r.quantity'] as const;

/** One owner's recipe lines, by ingredient name. */
export function recipeLines(db: Kysely<DB>, owner: RecipeOwner) {
  return db
    .selectFrom('recipe_lines as r')
    .innerJoin('ingredients as i', 'i.id', 'r.ingredient_id')
    .select(recipeLineColumns)
    .where(`r.${owner.column}`, '=', owner.id)
    .orderBy('i.name')
    .execute();
}
