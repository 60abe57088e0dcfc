import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { Actor, OrderAction, OrderStatus } from '@bistro/domain';
import type { Context } from '../context.js';

/** The bus topic that tells every instance a location has new order events. */
export function orderEventsTopic(locationId: string): string {
  return `orders.events.${locationId}`;
}

/**
 * The event type a change is announced as. An order paid online reaches the kitchen when it is
 * paid, so its `pay` is announced as `order.placed`, the event every screen knows as a new ticket.
 */
export function eventType(action: OrderAction | 'place', to: OrderStatus): string {
  if (action === 'place') return to === 'pending_payment' ? AWAITING_PAYMENT_EVENT : 'order.placed';
  if (action === 'pay') return 'order.placed';
  return `order.${action}`;
}

/** An online order waiting for its payment: its orderer follows it, the kitchen never sees it. */
export const AWAITING_PAYMENT_EVENT = 'order.awaiting_payment';
/** Events of orders that never reached the kitchen (waiting for payment, then expired or declined): not on kitchen feeds. */
export const NOT_FOR_THE_KITCHEN = [AWAITING_PAYMENT_EVENT, 'order.expire'] as const;

/** A station finished its lines of an order, or took that back (kitchen.stationDone): the order's status is unchanged. */
export const STATION_DONE_EVENT = 'order.station_done';
export const STATION_UNDONE_EVENT = 'order.station_undone';
/** Events of the kitchen's own work, not of the order's lifecycle: not on the orderer's feed (orders.onStatus). */
export const ONLY_FOR_THE_KITCHEN = [STATION_DONE_EVENT, STATION_UNDONE_EVENT] as const;

/** The name of a location's event lock (see recordOrderChange). */
export function eventLockKey(locationId: string): string {
  return `order_events:${locationId}`;
}

/**
 * Writes a change of state: a history row (who, when, from, to, why) and an event row (what
 * live subscribers read), in the caller's transaction. Returns the event id.
 *
 * Call it last in the transaction: it takes the location's event lock, held until commit, so
 * one location's events commit in the order of their ids. A subscriber that has seen event n
 * can then read `id > n` and never skip an event whose transaction was still open (an id
 * handed out earlier but committed later would otherwise be passed over for good).
 */
export async function recordOrderChange(
  db: Kysely<DB>,
  change: {
    orderId: string;
    locationId: string;
    from: OrderStatus | null;
    to: OrderStatus;
    action: OrderAction | 'place';
    actor: Actor;
    actorUserId: string | null;
    reason?: string | null;
    at: Date;
  },
): Promise<number> {
  await db
    .insertInto('order_history')
    .values({
      order_id: change.orderId,
      from_status: change.from,
      to_status: change.to,
      action: change.action,
      actor: change.actor,
      actor_user_id: change.actorUserId,
      reason: change.reason ?? null,
      at: change.at,
    })
    .execute();
  return recordOrderEvent(db, { orderId: change.orderId, locationId: change.locationId, type: eventType(change.action, change.to), status: change.to, at: change.at });
}

/**
 * Writes one event row for live subscribers, under the location's event lock (held until commit,
 * see recordOrderChange): call it last in the transaction. Returns the event id.
 */
export async function recordOrderEvent(db: Kysely<DB>, event: { orderId: string; locationId: string; type: string; status: OrderStatus; at: Date }): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${eventLockKey(event.locationId)}, 0))`.execute(db);
  const row = await db
    .insertInto('order_events')
    .values({ order_id: event.orderId, location_id: event.locationId, type: event.type, status: event.status, at: event.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A history row that changes no status (money given back): the order's history says so, no event is sent. */
export async function recordHistoryNote(
  db: Kysely<DB>,
  note: { orderId: string; status: OrderStatus; action: 'refund'; actor: Actor; actorUserId: string | null; reason: string; at: Date },
): Promise<void> {
  await db
    .insertInto('order_history')
    .values({
      order_id: note.orderId,
      from_status: note.status,
      to_status: note.status,
      action: note.action,
      actor: note.actor,
      actor_user_id: note.actorUserId,
      reason: note.reason,
      at: note.at,
    })
    .execute();
}

/** After commit: wakes the location's live subscribers on every instance (they read the table). */
export function announceOrderEvents(ctx: Pick<Context, 'services'>, locationId: string): void {
  ctx.services.bus?.publish(orderEventsTopic(locationId), locationId);
}
