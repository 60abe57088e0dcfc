import type { TrackedEnvelope } from '@trpc/server';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import { OPEN_TICKET_STATUSES, type OrderStatus, type OrderType } from '@bistro/domain';
import type { Context } from '../context.js';
import { firstName } from './contact.js';
import { NOT_FOR_THE_KITCHEN, ONLY_FOR_THE_KITCHEN } from './events.js';
import { type FeedAccess, follow, PAGE } from './fan-out.js';
import { soldOptions } from './queries.js';

/**
 * What the kitchen sees of an order, and the events live feeds carry: ONE mapping from the
 * database for `kitchen.queue` and `kitchen.onTickets`, and ONE type for their times — `Date`,
 * as every other time Bistro answers (orders.get, listMine, audit …), carried by superjson on
 * queries and on the feeds alike (the wire format's fast path writes Dates without superjson's
 * walk). A client never meets the same field as a Date in one place and a string in another.
 */

export interface TicketLine {
  /** The station the line was routed to at the time of sale (null: none). */
  station: { id: string; name: string } | null;
  name: string;
  quantity: number;
  options: { name: string; groupName: string | null }[];
  note: string | null;
}

/** A station the ticket has lines at, and whether it has finished them (kitchen.stationDone). */
export interface TicketStation {
  id: string;
  name: string;
  done: boolean;
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
  /** The stations its lines were routed to, in the location's station order, each with its "done". */
  stations: TicketStation[];
}

/** A change of an order's state as live feeds send it (orders.onStatus). */
export interface OrderEvent {
  eventId: number;
  type: string;
  orderId: string;
  status: OrderStatus;
  at: Date;
}

/** A change as the kitchen's feed sends it (kitchen.onTickets). */
export interface KitchenEvent extends OrderEvent {
  /** The ticket as of this event (its status is the event's); null if the order is gone. */
  ticket: Ticket | null;
}

/** What a ticket needs of its order `o`, beside its status (which the queue takes from the order, the feed from the event). */
const ticketColumns = [
  'o.id as ticketOrderId',
  'o.display_number as number',
  'o.type as orderType',
  'o.table_label as table',
  'o.wanted_at as wantedAt',
  'o.created_at as placedAt',
  'o.contact_name as contactName',
] as const;

/** The lines of order `o`, in order, as a JSON array column `lines`. */
function ticketLines(eb: ExpressionBuilder<DB & { o: DB['orders'] }, 'o'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('order_lines as l')
      .leftJoin('stations as st', 'st.id', 'l.station_id')
      .whereRef('l.order_id', '=', 'o.id')
      .select(['l.station_id as stationId', 'st.name as stationName', 'l.name', 'l.quantity', 'l.options', 'l.note'])
      .orderBy('l.line_index'),
  ).as('lines');
}

/** The stations the lines of order `o` were routed to, in station order, each with its "done", as a JSON array column `stations`. */
function ticketStations(eb: ExpressionBuilder<DB & { o: DB['orders'] }, 'o'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('stations as st')
      .where('st.id', 'in', eb.selectFrom('order_lines as sl').select('sl.station_id').whereRef('sl.order_id', '=', 'o.id').where('sl.station_id', 'is not', null).$narrowType<{ station_id: string }>())
      .select((s) => [
        'st.id',
        'st.name',
        s.exists(s.selectFrom('order_station_done as d').select('d.station_id').whereRef('d.order_id', '=', 'o.id').whereRef('d.station_id', '=', 'st.id')).$castTo<boolean>().as('done'),
      ])
      .orderBy('st.sort_order')
      .orderBy('st.name')
      .orderBy('st.id'),
  ).as('stations');
}

interface TicketRow {
  ticketOrderId: string;
  number: string;
  orderType: string;
  table: string | null;
  wantedAt: Date | string | null;
  placedAt: Date | string;
  contactName: string;
  lines: { stationId: string | null; stationName: string | null; name: string; quantity: number; options: unknown; note: string | null }[];
  stations: TicketStation[];
}

/** The one mapping from a row of `ticketColumns` and `ticketLines` to a ticket. */
function toTicket(row: TicketRow, status: OrderStatus): Ticket {
  return {
    orderId: row.ticketOrderId,
    number: row.number,
    status,
    type: row.orderType as OrderType,
    table: row.table,
    wantedAt: row.wantedAt === null ? null : new Date(row.wantedAt),
    placedAt: new Date(row.placedAt),
    guestFirstName: firstName(row.contactName),
    lines: row.lines.map((line) => ({
      station: line.stationId === null ? null : { id: line.stationId, name: line.stationName ?? '' },
      name: line.name,
      quantity: line.quantity,
      options: soldOptions(line.options).map(({ name, groupName }) => ({ name, groupName })),
      note: line.note,
    })),
    stations: row.stations.map((station) => ({ id: station.id, name: station.name, done: station.done })),
  };
}

/**
 * What one station's display sees of a ticket: only the lines routed to it (and its own "done"),
 * or nothing when it has none (the ticket is left out). Without a station (expo), the whole ticket.
 */
export function forStation(ticket: Ticket, stationId: string | null): Ticket | null {
  if (stationId === null) return ticket;
  const lines = ticket.lines.filter((line) => line.station?.id === stationId);
  return lines.length === 0 ? null : { ...ticket, lines, stations: ticket.stations.filter((station) => station.id === stationId) };
}

/**
 * A location's open tickets in the order they should be cooked: wanted-at first (as soon as
 * possible counts as its placing time), then placed-at. An order wanted later is left out until
 * its `kitchen_at` (wanted-at minus the prep time) has come, unless someone already started it.
 */
export async function openTickets(db: Kysely<DB>, locationId: string, now: Date, stationId: string | null = null): Promise<Ticket[]> {
  const rows = await db
    .selectFrom('orders as o')
    .where('o.location_id', '=', locationId)
    .where('o.status', 'in', [...OPEN_TICKET_STATUSES])
    .where((eb) => eb.or([eb('o.kitchen_at', 'is', null), eb('o.kitchen_at', '<=', now), eb('o.status', '!=', 'placed')]))
    .select(['o.status', ...ticketColumns])
    .select(ticketLines)
    .select(ticketStations)
    .orderBy((eb) => eb.fn.coalesce('o.wanted_at', 'o.created_at'))
    .orderBy('o.created_at')
    .orderBy('o.id')
    .execute();
  return rows.flatMap((row) => forStation(toTicket(row, row.status), stationId) ?? []);
}

/** One order's events after `after`. */
async function readOrderEvents(db: Kysely<DB>, locationId: string, orderId: string, after: number): Promise<OrderEvent[]> {
  const rows = await db
    .selectFrom('order_events')
    .select(['id as eventId', 'type', 'order_id as orderId', 'status', 'at'])
    .where('location_id', '=', locationId)
    .where('order_id', '=', orderId)
    .where('id', '>', after)
    .where('type', 'not in', [...ONLY_FOR_THE_KITCHEN])
    .orderBy('id')
    .limit(PAGE)
    .execute();
  return rows.map((row) => ({ eventId: row.eventId, type: row.type, orderId: row.orderId, status: row.status, at: new Date(row.at) }));
}

/** Events a station's feed reads (to move its position on) but does not send: their tickets have none of its lines. */
const notForThisStation = new WeakSet<KitchenEvent>();

/**
 * A location's events after `after`, each with its ticket as of the event, in one statement. For
 * a station, each ticket carries only that station's lines, and an event whose ticket has none is
 * marked in `notForThisStation`.
 */
async function readKitchenEvents(db: Kysely<DB>, locationId: string, after: number, stationId: string | null): Promise<KitchenEvent[]> {
  const rows = await db
    .selectFrom('order_events as e')
    .leftJoin('orders as o', (join) => join.onRef('o.id', '=', 'e.order_id').onRef('o.location_id', '=', 'e.location_id'))
    .select(['e.id as eventId', 'e.type', 'e.order_id as orderId', 'e.status', 'e.at', ...ticketColumns])
    .select(ticketLines)
    .select(ticketStations)
    .where('e.location_id', '=', locationId)
    .where('e.id', '>', after)
    .where('e.type', 'not in', [...NOT_FOR_THE_KITCHEN])
    // An order wanted later is new to the kitchen when it is released (`order.released`), not when placed or paid.
    .where(sql<boolean>`not (e.type = 'order.placed' and coalesce(o.kitchen_at > e.at, false))`)
    .orderBy('e.id')
    .limit(PAGE)
    .execute();
  return rows.map((row) => {
    const status = row.status;
    const whole = row.ticketOrderId === null ? null : toTicket(row as TicketRow, status);
    const ticket = whole === null ? null : forStation(whole, stationId);
    const event: KitchenEvent = { eventId: row.eventId, type: row.type, orderId: row.orderId, status, at: new Date(row.at), ticket };
    if (whole !== null && ticket === null) notForThisStation.add(event);
    return event;
  });
}

/** A guest's or customer's view of their order's events: id, type, status, when. */
export function followOrder(
  ctx: Pick<Context, 'db' | 'services'>,
  options: { locationId: string; orderId: string; after: number | null; signal: AbortSignal | undefined; access: FeedAccess | null },
): AsyncGenerator<TrackedEnvelope<OrderEvent>, void, undefined> {
  return follow(ctx, {
    locationId: options.locationId,
    // An order's own feed is short: without a position it starts from the order's first event.
    after: options.after ?? 0,
    signal: options.signal,
    access: options.access,
    key: `order:${options.orderId}`,
    read: (after) => readOrderEvents(ctx.db, options.locationId, options.orderId, after),
  });
}

/** The kitchen's view of a location's events, each with its ticket. */
export function followKitchen(
  ctx: Pick<Context, 'db' | 'services'>,
  options: { locationId: string; stationId?: string | null; after: number | null; signal: AbortSignal | undefined; access: FeedAccess | null },
): AsyncGenerator<TrackedEnvelope<KitchenEvent>, void, undefined> {
  return follow(ctx, {
    locationId: options.locationId,
    after: options.after,
    signal: options.signal,
    access: options.access,
    key: `kitchen:${options.locationId}:${options.stationId ?? 'expo'}`,
    read: (after) => readKitchenEvents(ctx.db, options.locationId, after, options.stationId ?? null),
    passOver: (event) => notForThisStation.has(event),
  });
}
