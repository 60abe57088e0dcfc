import type { ExpressionBuilder, Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import { OPEN_TICKET_STATUSES, type OrderStatus, type OrderType } from '@bistro/domain';
import { firstName } from './contact.js';

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

export interface TicketLine {
  name: string;
  quantity: number;
  options: { name: string; groupName: string | null }[];
  note: string | null;
}

/** The kitchen's view of an order: what to cook and for whom (first name only: no phone, email or address). */
export interface Ticket {
  orderId: string;
  number: string;
  status: OrderStatus;
  type: OrderType;
  table: string | null;
  wantedAt: Date | null;
  placedAt: Date;
  guestFirstName: string;
  lines: TicketLine[];
}

/**
 * What a ticket needs of its order `o`, beside the order's id and status (which each caller
 * selects itself): the kitchen queue's query and the kitchen feed's select the same.
 */
export const ticketColumns = [
  'o.display_number as number',
  'o.type as orderType',
  'o.table_label as table',
  'o.wanted_at as wantedAt',
  'o.created_at as placedAt',
  'o.contact_name as contactName',
] as const;

/** The lines of order `o`, in order, as a JSON array column `lines`. */
export function ticketLines(eb: ExpressionBuilder<DB & { o: DB['orders'] }, 'o'>) {
  return jsonArrayFrom(
    eb.selectFrom('order_lines as l').whereRef('l.order_id', '=', 'o.id').select(['l.name', 'l.quantity', 'l.options', 'l.note']).orderBy('l.line_index'),
  ).as('lines');
}

/** A line of `ticketLines` as the kitchen sees it. */
export function ticketLine(line: { name: string; quantity: number; options: unknown; note: string | null }): TicketLine {
  return {
    name: line.name,
    quantity: line.quantity,
    options: soldOptions(line.options).map(({ name, groupName }) => ({ name, groupName })),
    note: line.note,
  };
}

function ticketsQuery(db: Kysely<DB>, locationId: string) {
  return db
    .selectFrom('orders as o')
    .where('o.location_id', '=', locationId)
    .select(['o.id', 'o.status', ...ticketColumns])
    .select(ticketLines);
}

interface TicketRow {
  id: string;
  status: OrderStatus;
  number: string;
  orderType: OrderType;
  table: string | null;
  wantedAt: Date | null;
  placedAt: Date;
  contactName: string;
  lines: { name: string; quantity: number; options: unknown; note: string | null }[];
}

function toTicket(row: TicketRow): Ticket {
  return {
    orderId: row.id,
    number: row.number,
    status: row.status,
    type: row.orderType,
    table: row.table,
    wantedAt: row.wantedAt === null ? null : new Date(row.wantedAt),
    placedAt: new Date(row.placedAt),
    guestFirstName: firstName(row.contactName),
    lines: row.lines.map(ticketLine),
  };
}

/** A location's open tickets in the order they should be cooked: wanted-at first (as soon as possible counts as its placing time), then placed-at. */
export async function openTickets(db: Kysely<DB>, locationId: string): Promise<Ticket[]> {
  const rows = await ticketsQuery(db, locationId)
    .where('o.status', 'in', [...OPEN_TICKET_STATUSES])
    .orderBy((eb) => eb.fn.coalesce('o.wanted_at', 'o.created_at'))
    .orderBy('o.created_at')
    .orderBy('o.id')
    .execute();
  return rows.map(toTicket);
}

/** Tickets of the given orders of one location, by order id. */
export async function ticketsByOrder(db: Kysely<DB>, locationId: string, orderIds: readonly string[]): Promise<Map<string, Ticket>> {
  if (orderIds.length === 0) return new Map();
  const rows = await ticketsQuery(db, locationId).where('o.id', 'in', [...new Set(orderIds)]).execute();
  return new Map(rows.map((row) => [row.id, toTicket(row)]));
}
