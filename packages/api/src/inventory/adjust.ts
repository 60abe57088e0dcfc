import { stockAdjustInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { managerProcedure } from '../trpc.js';
import { applyMovement, usedInRecipes } from './stock.js';

/**
 * A delivery, waste, correction or count of one ingredient, written as a movement in the
 * ledger. A change that would take the stock below zero is refused (STOCK_WOULD_GO_NEGATIVE)
 * and writes nothing. A count that matches the stock writes no movement.
 */
export const adjust = managerProcedure.input(stockAdjustInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Locked so a count's difference is taken against the stock it replaces.
    const current = await trx
      .selectFrom('ingredients')
      .select(['on_hand', 'unit'])
      .where('id', '=', input.ingredientId)
      .where('location_id', '=', locationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const delta = input.reason === 'count' ? input.counted - current.on_hand : input.delta;
    if (delta === 0) return { onHand: current.on_hand, movementId: null, touched: false };
    const applied = await applyMovement(trx, {
      ingredientId: input.ingredientId,
      locationId,
      delta,
      reason: input.reason,
      note: input.note ?? '',
      actorUserId: ctx.auth.user.id,
      at: ctx.now(),
    });
    if (!applied) {
      throw new BistroError('STOCK_WOULD_GO_NEGATIVE', `Only ${current.on_hand} ${current.unit} in stock`, {
        fieldErrors: { delta: [`At most ${current.on_hand} ${current.unit} can be taken away`] },
      });
    }
    const touched = await usedInRecipes(trx, input.ingredientId);
    if (touched) await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, {
      action: 'inventory.stock_adjusted',
      targetType: 'ingredient',
      targetId: input.ingredientId,
      locationId,
      details: { reason: input.reason, delta, movementId: applied.movementId, before: { onHand: current.on_hand }, after: { onHand: applied.onHand } },
    });
    return { onHand: applied.onHand, movementId: applied.movementId, touched };
  });
  if (result.touched) menuChanged(ctx, locationId);
  return { ingredientId: input.ingredientId, onHand: result.onHand, movementId: result.movementId };
});
