import type { RouterOutputs } from '@bistro/client';
import { STATION_WORK_STATUSES } from '@bistro/domain';

/**
 * The board's rules that live in the front end: which column a ticket sits in, the cooking order
 * (the server's: wanted-at, as soon as possible counting as its placing time, then placed-at),
 * how the feed's events change what the screen shows, and how late a ticket is.
 */

export type Queue = RouterOutputs['kitchen']['queue'];
export type Ticket = Queue['tickets'][number];
export type TicketStatus = 'placed' | 'preparing' | 'ready';

export const COLUMNS: { status: TicketStatus; title: string; bump: string }[] = [
  { status: 'placed', title: 'New', bump: 'Start cooking' },
  { status: 'preparing', title: 'Preparing', bump: 'Mark ready' },
  { status: 'ready', title: 'Ready', bump: 'Hand over' },
];

/** What a bump moves a ticket to (completed leaves the board). */
export const NEXT: Record<TicketStatus, Ticket['status']> = { placed: 'preparing', preparing: 'ready', ready: 'completed' };

export function isOpen(status: Ticket['status']): status is TicketStatus {
  return status === 'placed' || status === 'preparing' || status === 'ready';
}

function dueKey(t: Ticket): number {
  return (t.wantedAt ?? t.placedAt).getTime();
}

export function cookingOrder(a: Ticket, b: Ticket): number {
  return dueKey(a) - dueKey(b) || a.placedAt.getTime() - b.placedAt.getTime() || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
}

/** The tickets on the board, column by column, each in cooking order: what number keys count through. */
export function boardOrder(tickets: readonly Ticket[]): Ticket[] {
  return COLUMNS.flatMap((c) => tickets.filter((t) => t.status === c.status).sort(cookingOrder));
}

/** One event of kitchen.onTickets as the board reads it. */
export interface FeedEvent {
  eventId: number;
  orderId: string;
  status: Ticket['status'];
  ticket: Ticket | null;
}

/**
 * The queue after an event: the ticket replaced by the event's (one ticket per order, never a
 * second), or taken off the board once it is completed or cancelled. An event at or before the
 * queue's own position is already in it (a re-read after a refused bump) and changes nothing.
 */
export function applyEvent(queue: Queue, event: FeedEvent): { queue: Queue; isNew: boolean } {
  if (event.eventId <= Number(queue.lastEventId)) return { queue, isNew: false };
  const others = queue.tickets.filter((t) => t.orderId !== event.orderId);
  const had = others.length !== queue.tickets.length;
  const tickets = event.ticket && isOpen(event.status) ? [...others, { ...event.ticket, status: event.status }] : others;
  return { queue: { ...queue, tickets, lastEventId: String(event.eventId) }, isNew: !had && event.ticket !== null && event.status === 'placed' };
}

/** The queue with one ticket moved (a bump shown before the server answers) or taken off. */
export function withStatus(queue: Queue, orderId: string, status: Ticket['status']): Queue {
  const tickets = isOpen(status) ? queue.tickets.map((t) => (t.orderId === orderId ? { ...t, status } : t)) : queue.tickets.filter((t) => t.orderId !== orderId);
  return { ...queue, tickets };
}

/** The queue with one station's "done" on a ticket changed (shown before the server answers). */
export function withStationDone(queue: Queue, orderId: string, stationId: string, done: boolean): Queue {
  const tickets = queue.tickets.map((t) => (t.orderId === orderId ? { ...t, stations: t.stations.map((s) => (s.id === stationId ? { ...s, done } : s)) } : t));
  return { ...queue, tickets };
}

/** Whether this station's "done" on a ticket can still change: while the order is being cooked (the server's rule, STATION_WORK_STATUSES). */
export function stationCanMark(ticket: Ticket): boolean {
  return (STATION_WORK_STATUSES as readonly string[]).includes(ticket.status);
}

/**
 * What the recall key takes back on a station's screen: the last ticket this screen marked done
 * that still shows done. Null when there is none.
 */
export function recallTarget(queue: Queue | undefined, doneHere: readonly string[], stationId: string): Ticket | null {
  for (let i = doneHere.length - 1; i >= 0; i -= 1) {
    const ticket = queue?.tickets.find((t) => t.orderId === doneHere[i]);
    if (ticket?.stations.some((s) => s.id === stationId && s.done)) return ticket;
  }
  return null;
}

/** The queue with a ticket put back as it was before an optimistic change the server refused. */
export function restored(queue: Queue, ticket: Ticket): Queue {
  return { ...queue, tickets: [...queue.tickets.filter((t) => t.orderId !== ticket.orderId), ticket] };
}

export type Urgency = 'on_time' | 'due_soon' | 'late';

/**
 * How late a ticket runs against the location's prep time: it is due at its wanted time, or
 * prep time after it was placed; in the last quarter of the prep time before that it is due
 * soon, after it late. Ready tickets wait for the guest, not the cook: always on time.
 */
export function urgency(ticket: Ticket, prepMinutes: number, now: Date): Urgency {
  if (ticket.status === 'ready') return 'on_time';
  const prepMs = prepMinutes * 60_000;
  const due = ticket.wantedAt ? ticket.wantedAt.getTime() : ticket.placedAt.getTime() + prepMs;
  const left = due - now.getTime();
  if (left <= 0) return 'late';
  if (left <= prepMs / 4) return 'due_soon';
  return 'on_time';
}

/** Minutes since the ticket was placed, as shown on it. */
export function ageMinutes(ticket: Ticket, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - ticket.placedAt.getTime()) / 60_000));
}
