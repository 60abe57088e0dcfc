import { sql, type RawBuilder } from 'kysely';
import type { PricingPromo, PromoProblemCode } from '@bistro/domain';
import { BistroError } from '../errors.js';

/**
 * The code at a location (its own, or one for every location), as priceCart reads it, with
 * whether it has uses left in total and for this customer (`customerKey`: the account, or a
 * guest's contact; null: per-customer limits can't be read yet). A row or nothing.
 */
export function promoQuery(locationId: RawBuilder<unknown>, code: string, customerKey: string | null): RawBuilder<PricingPromo> {
  return sql<PricingPromo>`
    select p.code, p.kind, p.percent_bp as "percentBp", p.amount_minor::float8 as "amountMinor", p.currency,
      p.min_subtotal_minor::float8 as "minSubtotalMinor", to_char(p.valid_from, 'YYYY-MM-DD') as "validFrom",
      to_char(p.valid_to, 'YYYY-MM-DD') as "validTo", p.active,
      (p.max_uses is not null and p.uses >= p.max_uses) or (p.max_uses_per_customer is not null and ${customerKey}::text is not null
        and (select count(*) from promo_redemptions r where r.promo_id = p.id and r.customer_key = ${customerKey}::text) >= p.max_uses_per_customer) as exhausted
    from promo_codes p
    where p.code = ${code} and (p.location_id = ${locationId} or p.location_id is null)
    order by p.location_id nulls last
    limit 1`;
}

/** The refusal for a code that does not apply, on the promoCode field. */
export function promoRefusal(problem: { code: PromoProblemCode; message: string }): BistroError {
  return new BistroError(problem.code, problem.message, { fieldErrors: { promoCode: [problem.message] } });
}
