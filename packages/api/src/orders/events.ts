import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { Actor, OrderAction, OrderStatus } from '@bistro/domain';
import type { Context } from '../context.js';

/** The bus topic that tells every instance a location has new order events. */
export function orderEventsTopic(locationId: string): string {
  return `orders.events.${locationId}`;
}

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
  await sql`select pg_advisory_xact_lock(hashtextextended(${eventLockKey(change.locationId)}, 0))`.execute(db);
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
  const event = await db
    .insertInto('order_events')
    .values({
      order_id: change.orderId,
      location_id: change.locationId,
      type: change.action === 'place' ? 'order.placed' : `order.${change.action}`,
      status: change.to,
      at: change.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return event.id;
}

/** After commit: wakes the location's live subscribers on every instance (they read the table). */
export function announceOrderEvents(ctx: Pick<Context, 'services'>, locationId: string): void {
  ctx.services.bus?.publish(orderEventsTopic(locationId), locationId);
}
