import { promoListInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { promoColumns, promoOutput } from './output.js';

/**
 * The discount codes that apply at the location (its own and those for every location), newest
 * first, with their uses. Its managers see the codes for every location (`locationId` null) but
 * only admins may change them.
 */
export const list = managerProcedure.input(promoListInput).query(async ({ ctx }) => {
  const rows = await ctx.db
    .selectFrom('promo_codes')
    .select(promoColumns)
    .where((eb) => eb.or([eb('location_id', '=', ctx.locationId), eb('location_id', 'is', null)]))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(promoOutput);
});
