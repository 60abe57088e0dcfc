import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { PromoDiscount, PromoKind } from '@bistro/domain';
import { BistroError } from '../errors.js';

/**
 * A code's discount as stored, for create and update alike. A percentage has no currency. A
 * fixed amount is in a currency: a location's own code takes the location's (naming another is
 * refused), a code for every location (`locationId` null) the one its admin names. Where that
 * currency applies is priceCart's rule (promoProblem), not this one's.
 */
export async function discountColumns(
  db: Kysely<DB>,
  locationId: string | null,
  discount: PromoDiscount,
): Promise<{ kind: PromoKind; percent_bp: number | null; amount_minor: number | null; currency: string | null }> {
  if ('percentBp' in discount) return { kind: 'percent', percent_bp: discount.percentBp, amount_minor: null, currency: null };
  const refuse = (message: string) => new BistroError('INVALID_INPUT', 'Invalid input', { fieldErrors: { 'discount.currency': [message] } });
  if (locationId === null) {
    if (!discount.currency) throw refuse('A fixed amount for every location needs its currency');
    return { kind: 'amount', percent_bp: null, amount_minor: discount.amountMinor, currency: discount.currency };
  }
  const location = await db.selectFrom('locations').select('currency').where('id', '=', locationId).executeTakeFirstOrThrow();
  if (discount.currency !== undefined && discount.currency !== location.currency) throw refuse(`This location charges in ${location.currency}`);
  return { kind: 'amount', percent_bp: null, amount_minor: discount.amountMinor, currency: location.currency };
}
