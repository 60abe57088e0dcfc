import { sql } from 'kysely';
import type { Context } from '../context.js';
import { announceOrderEvents, eventLockKey } from '../orders/events.js';

/** The event that brings an order wanted later to the kitchen's screens, at its `kitchen_at`. */
export const RELEASED_EVENT = 'order.released';

/**
 * Releases to the kitchen every order whose time has come (`kitchen_at`, wanted-at minus the
 * prep time, see `kitchenReleaseAt`): one `order.released` event each, which the kitchen's feed
 * shows as a new ticket. Only an order still waiting (placed) whose placing (or payment) the
 * kitchen was not shown gets an event; every due order is stamped released, so a missed or
 * repeated run changes nothing. Location by location, under each one's event lock, like every
 * order event. Returns how many orders got an event.
 */
export async function releaseDueOrders(ctx: Pick<Context, 'db' | 'services' | 'now'>): Promise<number> {
  const now = ctx.now();
  const due = await ctx.db
    .selectFrom('orders')
    .select('location_id')
    .distinct()
    .where('kitchen_at', 'is not', null)
    .where('kitchen_released_at', 'is', null)
    .where('kitchen_at', '<=', now)
    .execute();
  let released = 0;
  for (const { location_id: locationId } of due) {
    const count = await ctx.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${eventLockKey(locationId)}, 0))`.execute(trx);
      const { rows } = await sql<{ id: string }>`
        with due as (
          update orders o set kitchen_released_at = ${now}::timestamptz
          where o.location_id = ${locationId} and o.kitchen_at is not null and o.kitchen_released_at is null and o.kitchen_at <= ${now}::timestamptz
          returning o.id, o.status, o.kitchen_at
        )
        insert into order_events (order_id, location_id, type, status, at)
        select due.id, ${locationId}, ${RELEASED_EVENT}, due.status, ${now}::timestamptz from due
        where due.status = 'placed'
          and exists (select 1 from order_events e where e.order_id = due.id and e.type = 'order.placed' and e.at < due.kitchen_at)
        returning order_id as id`.execute(trx);
      return rows.length;
    });
    if (count > 0) announceOrderEvents(ctx, locationId);
    released += count;
  }
  return released;
}
