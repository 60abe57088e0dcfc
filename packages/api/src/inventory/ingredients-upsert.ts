import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { ingredientUpsertInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError, notFound } from '../errors.js';
import { isUniqueViolation } from '../locations/details.js';
import { managerProcedure } from '../trpc.js';

function ingredientRow(db: Kysely<DB>, locationId: string, id: string) {
  return db
    .selectFrom('ingredients')
    .select(['id', 'name', 'unit', 'on_hand as onHand', 'low_stock_threshold as lowStockThreshold', 'version'])
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}

const nameTaken = () => new BistroError('ALREADY_EXISTS', 'This location already has an ingredient of that name', { fieldErrors: { name: ['Already taken'] } });

/**
 * Creates an ingredient (no `id`), or renames it and changes its unit or low-stock threshold
 * (`id` and the `version` last seen). Stock itself only changes through `inventory.adjust`.
 * The unit can't change once stock has moved in it (INGREDIENT_UNIT_LOCKED).
 */
export const upsert = managerProcedure.input(ingredientUpsertInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (input.id === undefined) {
        const { id } = await trx
          .insertInto('ingredients')
          .values({ location_id: locationId, name: input.name, unit: input.unit, low_stock_threshold: input.lowStockThreshold, created_at: ctx.now(), updated_at: ctx.now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        const after = (await ingredientRow(trx, locationId, id))!;
        await recordAudit(trx, ctx, { action: 'inventory.ingredient_created', targetType: 'ingredient', targetId: id, locationId, details: { before: null, after } });
        return after;
      }
      const id = input.id;
      const before = await ingredientRow(trx, locationId, id);
      if (!before) throw notFound('Ingredient');
      const updated = await trx
        .updateTable('ingredients')
        .set((eb) => ({
          name: input.name,
          unit: input.unit,
          low_stock_threshold: input.lowStockThreshold,
          version: eb('version', '+', 1),
          updated_at: ctx.now(),
        }))
        .where('id', '=', id)
        .where('location_id', '=', locationId)
        .where('version', '=', input.version!)
        .where((eb) =>
          eb.or([eb('unit', '=', input.unit), eb.not(eb.exists(eb.selectFrom('stock_movements as m').select('m.id').whereRef('m.ingredient_id', '=', 'ingredients.id')))]),
        )
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        // The database refused; now say why.
        const now = await ingredientRow(trx, locationId, id);
        if (!now) throw notFound('Ingredient');
        if (now.version !== input.version) throw new BistroError('STALE_VERSION', 'This ingredient was changed by someone else; reload it and try again');
        throw new BistroError('INGREDIENT_UNIT_LOCKED', 'Stock has moved in this unit; create a new ingredient instead', { fieldErrors: { unit: ['Can’t change once stock has moved'] } });
      }
      const after = (await ingredientRow(trx, locationId, id))!;
      await recordAudit(trx, ctx, { action: 'inventory.ingredient_updated', targetType: 'ingredient', targetId: id, locationId, details: { before, after } });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'ingredients_name')) throw nameTaken();
    throw error;
  }
});
