import { ingredientsListInput } from '@bistro/domain';
import { ingredientsListOutput } from '../outputs.js';
import { staffProcedure } from '../trpc.js';

/** The location's ingredients by name, with stock on hand; staff may read. */
export const list = staffProcedure
  .meta({ scope: 'inventory:read', openapi: { method: 'GET', path: '/locations/{locationId}/ingredients', tags: ['inventory'], summary: 'Ingredients with stock on hand' } })
  .input(ingredientsListInput)
  .output(ingredientsListOutput)
  .query(async ({ ctx }) => {
  const rows = await ctx.db
    .selectFrom('ingredients')
    .select(['id', 'name', 'unit', 'on_hand as onHand', 'low_stock_threshold as lowStockThreshold', 'version'])
    .where('location_id', '=', ctx.locationId)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, isLow: r.onHand <= r.lowStockThreshold }));
});
