import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { formatMoney, money, type OrderStatus, type OrderType } from '@bistro/domain';
import type { DataKeys } from '../crypto/data-keys.js';
import { decryptContact, firstName } from '../orders/contact.js';
import { readStoredOrder, soldOptions, type SoldOption } from '../orders/queries.js';
import type { Block, EmailContent } from './layout.js';

export type OrderEmailKind = 'order_confirmation' | 'order_ready' | 'order_cancelled';

/** What an order email shows, read when it is sent (never carried in the job). */
export interface OrderForEmail {
  id: string;
  number: string;
  status: OrderStatus;
  type: OrderType;
  table: string | null;
  wantedAt: Date | null;
  placedAt: Date;
  location: { name: string; address: string; timeZone: string };
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  tipMinor: number;
  totalMinor: number;
  lines: { name: string; quantity: number; lineTotalMinor: number; options: SoldOption[]; note: string | null }[];
  guestName: string;
  /** Decrypted here, in the worker, at send time; null when the guest gave none. */
  email: string | null;
  /** The reason given when it was cancelled or rejected. */
  reason: string | null;
}

/** Reads the order and decrypts the guest's email address: in the worker, when the email is sent. */
export async function readOrderForEmail(db: Kysely<DB>, keys: DataKeys | undefined, orderId: string): Promise<OrderForEmail | null> {
  const row = await readStoredOrder(db, orderId);
  if (!row) return null;
  const contact = decryptContact(keys, row.id, { name: row.contactName, phone: null, email: row.email, address: null });
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    type: row.type,
    table: row.table,
    wantedAt: row.wantedAt === null ? null : new Date(row.wantedAt),
    placedAt: new Date(row.placedAt),
    location: { name: row.locationName, address: row.locationAddress, timeZone: row.timeZone },
    currency: row.currency,
    subtotalMinor: row.subtotalMinor,
    taxMinor: row.taxMinor,
    tipMinor: row.tipMinor,
    totalMinor: row.totalMinor,
    lines: row.lines.map((l) => ({ name: l.name, quantity: l.quantity, lineTotalMinor: Number(l.lineTotalMinor), options: soldOptions(l.options), note: l.note })),
    guestName: firstName(contact.name),
    email: contact.email,
    // The reason given when it was cancelled or rejected (an order is cancelled at most once).
    reason: row.history.find((h) => h.to === 'cancelled')?.reason ?? null,
  };
}

/** A time as the location's guests read it: in its own time zone. */
export function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(at);
}

export function orderRows(order: Pick<OrderForEmail, 'lines' | 'currency' | 'subtotalMinor' | 'taxMinor' | 'tipMinor' | 'totalMinor'>) {
  const fmt = (minor: number) => formatMoney(money(minor, order.currency));
  const rows: { label: string; value: string; strong?: boolean }[] = [];
  for (const line of order.lines) {
    const options = line.options.map((o) => o.name).join(', ');
    rows.push({ label: `${line.quantity} × ${line.name}${options ? ` (${options})` : ''}`, value: fmt(line.lineTotalMinor) });
  }
  rows.push({ label: 'Subtotal', value: fmt(order.subtotalMinor) });
  rows.push({ label: 'Tax', value: fmt(order.taxMinor) });
  if (order.tipMinor > 0) rows.push({ label: 'Tip', value: fmt(order.tipMinor) });
  rows.push({ label: 'Total', value: fmt(order.totalMinor), strong: true });
  return rows;
}

/** Links to the guest's tracking page and receipt (the web app serves both under PUBLIC_URL). */
export interface OrderLinks {
  tracking: string;
  receipt: string;
}

export function orderEmailContent(kind: OrderEmailKind, order: OrderForEmail, links: OrderLinks | null): EmailContent {
  const where = `${order.location.name}\n${order.location.address}`;
  const hello = order.guestName ? `Hello ${order.guestName},` : 'Hello,';
  const when = order.wantedAt ? `Wanted for ${localTime(order.wantedAt, order.location.timeZone)}.` : `Placed ${localTime(order.placedAt, order.location.timeZone)}.`;
  const blocks: Block[] = [];
  let subject: string;
  let heading: string;
  if (kind === 'order_confirmation') {
    subject = `Your order ${order.number} at ${order.location.name}`;
    heading = `Order ${order.number} received`;
    blocks.push({ type: 'text', text: `${hello}\n${order.location.name} has your order. ${when}` }, { type: 'rows', rows: orderRows(order) });
    if (links) blocks.push({ type: 'link', label: 'Follow your order', href: links.tracking }, { type: 'link', label: 'Receipt', href: links.receipt });
  } else if (kind === 'order_ready') {
    subject = `Order ${order.number} is ready`;
    heading = `Order ${order.number} is ready`;
    const pick = order.type === 'dine_in' ? `It is on its way to ${order.table ? `table ${order.table}` : 'your table'}.` : order.type === 'delivery' ? 'It is leaving for delivery.' : `Collect it at ${order.location.name}, ${order.location.address}.`;
    blocks.push({ type: 'text', text: `${hello}\n${pick}` });
    if (links) blocks.push({ type: 'link', label: 'Follow your order', href: links.tracking });
  } else {
    subject = `Order ${order.number} was cancelled`;
    heading = `Order ${order.number} was cancelled`;
    blocks.push({ type: 'text', text: `${hello}\n${order.location.name} cancelled your order${order.reason ? `: ${order.reason}` : '.'}` });
    blocks.push({ type: 'rows', rows: orderRows(order) });
    blocks.push({ type: 'small', text: 'We are sorry for the trouble.' });
    if (links) blocks.push({ type: 'link', label: 'Receipt', href: links.receipt });
  }
  return { subject, preview: heading, heading, blocks, footer: where };
}
