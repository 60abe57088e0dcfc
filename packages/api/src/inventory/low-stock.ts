import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { lowStockInput } from '@bistro/domain';
import { lowStockOutput } from '../outputs.js';
import { staffProcedure } from '../trpc.js';

/** Ingredients at or below their low-stock threshold, emptiest first: the shopping list (and the morning digest). */
export function lowStockIngredients(db: Kysely<DB>, locationId: string) {
  return db
    .selectFrom('ingredients')
    .select(['id', 'name', 'unit', 'on_hand as onHand', 'low_stock_threshold as lowStockThreshold'])
    .where('location_id', '=', locationId)
    .where('archived_at', 'is', null)
    .whereRef('on_hand', '<=', 'low_stock_threshold')
    .orderBy('on_hand')
    .orderBy('name')
    .execute();
}

export const lowStock = staffProcedure
  .meta({ scope: 'inventory:read', openapi: { method: 'GET', path: '/locations/{locationId}/ingredients/low', tags: ['inventory'], summary: 'Ingredients at or below their threshold' } })
  .input(lowStockInput)
  .output(lowStockOutput)
  .query(({ ctx }) => lowStockIngredients(ctx.db, ctx.locationId));
