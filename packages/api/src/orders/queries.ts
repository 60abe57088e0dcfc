import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';

/**
 * An order's own columns every view of it shows (the console's list, the detail, the emails),
 * selected from `orders as o`: one list, so a view can't drift from the others.
 */
export const ORDER_SUMMARY_COLUMNS = [
  'o.id',
  'o.display_number as number',
  'o.status',
  'o.type',
  'o.table_label as table',
  'o.wanted_at as wantedAt',
  'o.created_at as placedAt',
  'o.contact_name as contactName',
  'o.payment_method as paymentMethod',
  'o.currency',
  'o.total_minor as totalMinor',
] as const;

/**
 * One order as stored, with its location, lines (in order) and history (oldest first): what
 * orders.get / orders.track / the receipt (`readOrderDetail`) and the order emails
 * (`readOrderForEmail`) each shape for their reader. Personal data stays sealed here; each
 * reader decrypts only what it may show. Undefined: no such order.
 */
export function readStoredOrder(db: Kysely<DB>, orderId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('locations as loc', 'loc.id', 'o.location_id')
    .where('o.id', '=', orderId)
    .select(ORDER_SUMMARY_COLUMNS)
    .select([
      'o.updated_at as updatedAt',
      'loc.id as locationId',
      'loc.slug as locationSlug',
      'loc.name as locationName',
      'loc.address as locationAddress',
      'loc.time_zone as timeZone',
      'o.subtotal_minor as subtotalMinor',
      'o.tax_minor as taxMinor',
      'o.tip_minor as tipMinor',
      'o.discount_minor as discountMinor',
      'o.promo_code as promoCode',
      'o.contact_phone_enc as phone',
      'o.contact_email_enc as email',
      'o.delivery_address_enc as address',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('order_lines as l')
          .whereRef('l.order_id', '=', 'o.id')
          .select(['l.item_id as itemId', 'l.name', 'l.quantity', 'l.unit_price_minor as unitPriceMinor', 'l.line_total_minor as lineTotalMinor', 'l.options', 'l.note'])
          .orderBy('l.line_index'),
      ).as('lines'),
      jsonArrayFrom(
        eb
          .selectFrom('order_history as h')
          .whereRef('h.order_id', '=', 'o.id')
          .select(['h.from_status as from', 'h.to_status as to', 'h.action', 'h.reason', 'h.at'])
          .orderBy('h.id'),
      ).as('history'),
    ])
    .executeTakeFirst();
}

/** An option as it was sold, copied onto the line when the order was placed. */
export interface SoldOption {
  name: string;
  groupName: string | null;
  priceDeltaMinor: number;
}

/** The options column as written by orders.place (PricedOption[]), read defensively. */
export function soldOptions(value: unknown): SoldOption[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((option: unknown) => {
    if (typeof option !== 'object' || option === null) return [];
    const o = option as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [
      {
        name: o.name,
        groupName: typeof o.groupName === 'string' ? o.groupName : null,
        priceDeltaMinor: typeof o.priceDeltaMinor === 'number' ? o.priceDeltaMinor : 0,
      },
    ];
  });
}
