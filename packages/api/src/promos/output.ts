import type { PromoKind } from '@bistro/domain';

/** The columns a discount code is answered with (never the whole row). */
export const promoColumns = [
  'id',
  'code',
  'location_id',
  'kind',
  'percent_bp',
  'amount_minor',
  'currency',
  'min_subtotal_minor',
  'valid_from',
  'valid_to',
  'max_uses',
  'max_uses_per_customer',
  'uses',
  'active',
] as const;

interface PromoRow {
  id: string;
  code: string;
  location_id: string | null;
  kind: PromoKind;
  percent_bp: number | null;
  amount_minor: string | number | null;
  currency: string | null;
  min_subtotal_minor: string | number;
  valid_from: Date | string | null;
  valid_to: Date | string | null;
  max_uses: number | null;
  max_uses_per_customer: number | null;
  uses: number;
  active: boolean;
}

function day(value: Date | string | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
}

export function promoOutput(row: PromoRow) {
  return {
    id: row.id,
    code: row.code,
    /** Null: a code for every location. */
    locationId: row.location_id,
    kind: row.kind,
    percentBp: row.percent_bp,
    amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
    currency: row.currency,
    minSubtotalMinor: Number(row.min_subtotal_minor),
    validFrom: day(row.valid_from),
    validTo: day(row.valid_to),
    maxUses: row.max_uses,
    maxUsesPerCustomer: row.max_uses_per_customer,
    uses: row.uses,
    active: row.active,
  };
}
