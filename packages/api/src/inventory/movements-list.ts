import { movementsListInput } from '@bistro/domain';
import { staffProcedure } from '../trpc.js';

/**
 * The stock ledger of a location, or of one of its ingredients, newest first. Pages by the
 * movement id: pass `nextCursor` back as `cursor`; null means there is nothing older.
 */
export const list = staffProcedure.meta({ scope: 'inventory:read' }).input(movementsListInput).query(async ({ ctx, input }) => {
  let query = ctx.db
    .selectFrom('stock_movements as m')
    .innerJoin('ingredients as i', 'i.id', 'm.ingredient_id')
    .select([
      'm.id',
      'm.ingredient_id as ingredientId',
      'i.name as ingredientName',
      'i.unit',
      'm.delta',
      'm.reason',
      'm.note',
      'm.actor_user_id as actorUserId',
      'm.order_id as orderId',
      'm.created_at as createdAt',
    ])
    .where('m.location_id', '=', ctx.locationId)
    .orderBy('m.id', 'desc')
    .limit(input.limit + 1);
  if (input.ingredientId !== undefined) query = query.where('m.ingredient_id', '=', input.ingredientId);
  if (input.cursor !== undefined) query = query.where('m.id', '<', input.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, input.limit);
  return { movements: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
});
