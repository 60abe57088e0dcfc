import { promoSetActiveInput } from '@bistro/domain';
import { everywhereProcedure } from '../trpc.js';
import { promoColumns, promoOutput } from './output.js';

/** Switches a discount code on or off (a location's: its managers; one for every location: admins) (off: refused PROMO_INVALID from then on; uses already made stay). */
export const setActive = everywhereProcedure.input(promoSetActiveInput).mutation(async ({ ctx, input }) => {
  const row = await ctx.db
    .updateTable('promo_codes')
    .set({ active: input.active, updated_at: ctx.now() })
    .where('id', '=', input.promoId)
    // The code's location as the builder found it (null: every location's), once more in the statement.
    .where((eb) => (ctx.locationId === null ? eb('location_id', 'is', null) : eb('location_id', '=', ctx.locationId)))
    .returning(promoColumns)
    .executeTakeFirstOrThrow();
  return promoOutput(row);
});
