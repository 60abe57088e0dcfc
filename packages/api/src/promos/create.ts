import { promoCreateInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { everywhereProcedure } from '../trpc.js';
import { promoOutput, promoColumns } from './output.js';
import { discountColumns } from './terms.js';

/**
 * A manager creates a discount code for their location, or an admin one for every location
 * (`locationId: null`; anyone else gets NOT_FOUND): a percentage or a fixed amount (in the
 * location's currency, or for every location in the currency named), a minimum subtotal, local
 * validity dates (each location's own calendar), total and per-customer limits (counted over
 * every location), and whether it is on. Codes are unique across Bistro (ALREADY_EXISTS on code).
 */
export const create = everywhereProcedure.input(promoCreateInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const discount = await discountColumns(ctx.db, ctx.locationId, input.discount);
  const row = await ctx.db
    .insertInto('promo_codes')
    .values({
      code: input.code,
      location_id: ctx.locationId,
      ...discount,
      min_subtotal_minor: input.minSubtotalMinor,
      valid_from: input.validFrom ?? null,
      valid_to: input.validTo ?? null,
      max_uses: input.maxUses ?? null,
      max_uses_per_customer: input.maxUsesPerCustomer ?? null,
      active: input.active,
      created_by: ctx.auth.user.id,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(promoColumns)
    .executeTakeFirst();
  if (!row) throw new BistroError('ALREADY_EXISTS', 'This code is already taken', { fieldErrors: { code: ['Already taken'] } });
  return promoOutput(row);
});
