import { promoCreateInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import { promoOutput, promoColumns } from './output.js';

/**
 * A manager creates a discount code for their location: a percentage or a fixed amount (in the
 * location's currency), a minimum subtotal, local validity dates, total and per-customer limits,
 * and whether it is on. Codes are unique across Bistro (ALREADY_EXISTS on promoCode).
 */
export const create = managerProcedure.input(promoCreateInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const location = await ctx.db.selectFrom('locations').select('currency').where('id', '=', ctx.locationId).executeTakeFirstOrThrow();
  const percent = 'percentBp' in input.discount ? input.discount.percentBp : null;
  const amount = 'amountMinor' in input.discount ? input.discount.amountMinor : null;
  const row = await ctx.db
    .insertInto('promo_codes')
    .values({
      code: input.code,
      location_id: ctx.locationId,
      kind: percent !== null ? 'percent' : 'amount',
      percent_bp: percent,
      amount_minor: amount,
      currency: amount !== null ? location.currency : null,
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
