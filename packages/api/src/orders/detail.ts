import type { OrderStatus, OrderType, PaymentMethod } from '@bistro/domain';
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import type { OrderViewer } from './access.js';
import { decryptContact, firstName, type Contact } from './contact.js';
import { readStoredOrder, soldOptions, type SoldOption } from './queries.js';

export interface OrderDetail {
  id: string;
  number: string;
  status: OrderStatus;
  type: OrderType;
  table: string | null;
  wantedAt: Date | null;
  placedAt: Date;
  updatedAt: Date;
  location: { id: string; slug: string; name: string };
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  tipMinor: number;
  totalMinor: number;
  /** What the discount code took off the subtotal (0 without one), and the code, upper case. */
  discountMinor: number;
  promoCode: string | null;
  /** At the counter, or online (pending_payment until the provider captures it). */
  paymentMethod: PaymentMethod;
  lines: { itemId: string; name: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number; options: SoldOption[]; note: string | null }[];
  history: { from: OrderStatus | null; to: OrderStatus; action: string; reason: string | null; at: Date }[];
  /** The first word of the guest's name; null on a tracking page, which names nobody. */
  guestFirstName: string | null;
  /** Phone, email and address in the clear: only for the orderer and the location's managers. */
  contact: Contact | null;
}

/**
 * One order as `viewer` may see it. Everyone allowed sees the lines, totals and history. The
 * orderer and managers (refunds, calling the guest back) get the decrypted contact; staff get
 * what the kitchen gets, the first name; a tracking token holder gets no personal data at all.
 */
export async function readOrderDetail(ctx: Pick<Context, 'db' | 'services'>, orderId: string, viewer: OrderViewer): Promise<OrderDetail> {
  const row = await readStoredOrder(ctx.db, orderId);
  if (!row) throw notFound('Order');
  const seesContact = viewer === 'owner' || viewer === 'manager';
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    type: row.type,
    table: row.table,
    wantedAt: row.wantedAt === null ? null : new Date(row.wantedAt),
    placedAt: new Date(row.placedAt),
    updatedAt: new Date(row.updatedAt),
    location: { id: row.locationId, slug: row.locationSlug, name: row.locationName },
    currency: row.currency,
    subtotalMinor: row.subtotalMinor,
    taxMinor: row.taxMinor,
    tipMinor: row.tipMinor,
    totalMinor: row.totalMinor,
    discountMinor: Number(row.discountMinor),
    promoCode: row.promoCode,
    paymentMethod: row.paymentMethod,
    lines: row.lines.map((line) => ({
      itemId: line.itemId,
      name: line.name,
      quantity: line.quantity,
      // jsonb turns bigint into a JSON number already; Number() keeps the type honest.
      unitPriceMinor: Number(line.unitPriceMinor),
      lineTotalMinor: Number(line.lineTotalMinor),
      options: soldOptions(line.options),
      note: line.note,
    })),
    history: row.history.map((h) => ({
      from: h.from,
      to: h.to,
      action: h.action,
      reason: h.reason,
      at: new Date(h.at),
    })),
    guestFirstName: viewer === 'tokenHolder' ? null : firstName(row.contactName),
    contact: seesContact ? decryptContact(ctx.services.dataKeys, row.id, { name: row.contactName, phone: row.phone, email: row.email, address: row.address }) : null,
  };
}
