import { sql } from 'kysely';
import { promoUpdateInput } from '@bistro/domain';
import { everywhereProcedure } from '../trpc.js';
import { promoColumns, promoOutput } from './output.js';
import { discountColumns } from './terms.js';

/**
 * A manager edits a discount code of their location, an admin any code (those for every location
 * only admins: a manager gets NOT_FOUND): its discount, minimum, dates, limits and whether it is
 * on. The code stays as guests know it, and its uses so far stay counted (a limit at or below
 * the uses already made leaves none: it is kept at the uses made). A fixed amount is in the
 * location's currency, or for every location in the one named.
 */
export const update = everywhereProcedure.input(promoUpdateInput).mutation(async ({ ctx, input }) => {
  const discount = await discountColumns(ctx.db, ctx.locationId, input.discount);
  const row = await ctx.db
    .updateTable('promo_codes')
    .set({
      ...discount,
      min_subtotal_minor: input.minSubtotalMinor,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      // Below the uses already made, the limit is kept at them (none left; the CHECK uses <= max_uses holds).
      max_uses: input.maxUses === null ? null : sql<number>`greatest(${input.maxUses}::int, uses)`,
      max_uses_per_customer: input.maxUsesPerCustomer,
      active: input.active,
      updated_at: ctx.now(),
    })
    .where('id', '=', input.promoId)
    // The code's location as the builder found it (null: every location's), once more in the statement.
    .where((eb) => (ctx.locationId === null ? eb('location_id', 'is', null) : eb('location_id', '=', ctx.locationId)))
    .returning(promoColumns)
    .executeTakeFirstOrThrow();
  return promoOutput(row);
});
