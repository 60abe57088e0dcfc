import { promoUpdateInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { promoColumns, promoOutput } from './output.js';

/**
 * A manager edits a discount code of their location: its discount, minimum, dates, limits and
 * whether it is on. The code stays as guests know it, and its uses so far stay counted (a lower
 * limit than the uses already made simply leaves none). A fixed amount is in the location's currency.
 */
export const update = managerProcedure.input(promoUpdateInput).mutation(async ({ ctx, input }) => {
  const location = await ctx.db.selectFrom('locations').select('currency').where('id', '=', ctx.locationId).executeTakeFirstOrThrow();
  const percent = 'percentBp' in input.discount ? input.discount.percentBp : null;
  const amount = 'amountMinor' in input.discount ? input.discount.amountMinor : null;
  const row = await ctx.db
    .updateTable('promo_codes')
    .set({
      kind: percent !== null ? 'percent' : 'amount',
      percent_bp: percent,
      amount_minor: amount,
      currency: amount !== null ? location.currency : null,
      min_subtotal_minor: input.minSubtotalMinor,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      max_uses: input.maxUses,
      max_uses_per_customer: input.maxUsesPerCustomer,
      active: input.active,
      updated_at: ctx.now(),
    })
    .where('id', '=', input.promoId)
    .where('location_id', '=', ctx.locationId)
    .returning(promoColumns)
    .executeTakeFirstOrThrow();
  return promoOutput(row);
});
