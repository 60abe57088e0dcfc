import { kitchenStationDoneInput, STATION_WORK_STATUSES, type OrderStatus } from '@bistro/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '@bistro/db';
import { BistroError, notFound } from '../errors.js';
import { announceOrderEvents, recordOrderEvent, STATION_DONE_EVENT, STATION_UNDONE_EVENT } from '../orders/events.js';
import { kitchenStationDoneOutput } from '../outputs.js';
import { stationHere } from '../stations/queries.js';
import { staffProcedure } from '../trpc.js';

/**
 * A station has finished its lines of a ticket (`done: true`), or takes that back (`false`: the
 * screen's recall). Not a step of the order's lifecycle, so it can be undone; but only while the
 * order is being cooked (placed or preparing, else ORDER_TRANSITION_REFUSED), and only for a
 * station of the order's location (else NOT_FOUND) that has lines on it (else
 * STATION_NOT_ON_TICKET). Idempotent: asking for the state it is already in changes nothing and
 * sends no event; a change reaches every screen through kitchen.onTickets.
 */
export const stationDone = staffProcedure
  .meta({ scope: 'kitchen:write' })
  .input(kitchenStationDoneInput)
  .output(kitchenStationDoneOutput)
  .mutation(async ({ ctx, input }) => {
    const { locationId } = ctx;
    const stationId = await stationHere(ctx.db, locationId, input.stationId);
    const changed = await ctx.db.transaction().execute(async (trx) => {
      const status = await ticketBeingCooked(trx, locationId, input.orderId);
      await assertStationOnTicket(trx, input.orderId, stationId);
      const marked = input.done ? await markDone(trx, input.orderId, stationId, ctx.now(), ctx.auth.user.id) : await unmarkDone(trx, input.orderId, stationId);
      if (marked) {
        await recordOrderEvent(trx, { orderId: input.orderId, locationId, type: input.done ? STATION_DONE_EVENT : STATION_UNDONE_EVENT, status, at: ctx.now() });
      }
      return marked;
    });
    if (changed) announceOrderEvents(ctx, locationId);
    return { orderId: input.orderId, stationId, done: input.done };
  });

/**
 * The order's status, share-locked until commit (a bump to ready waits for this change, and this
 * change sees a bump that committed first): refused unless the order is still being cooked.
 */
async function ticketBeingCooked(trx: Transaction<DB>, locationId: string, orderId: string): Promise<OrderStatus> {
  const order = await trx.selectFrom('orders').select('status').where('id', '=', orderId).where('location_id', '=', locationId).forShare().executeTakeFirst();
  if (!order) throw notFound('Order');
  if (!(STATION_WORK_STATUSES as readonly OrderStatus[]).includes(order.status)) {
    throw new BistroError('ORDER_TRANSITION_REFUSED', `A ticket that is ${order.status.replace('_', ' ')} can't change what its stations have done`);
  }
  return order.status;
}

/** The station has lines on the ticket (routed to it when they were sold). */
async function assertStationOnTicket(db: Kysely<DB>, orderId: string, stationId: string): Promise<void> {
  const line = await db.selectFrom('order_lines').select('id').where('order_id', '=', orderId).where('station_id', '=', stationId).limit(1).executeTakeFirst();
  if (!line) throw new BistroError('STATION_NOT_ON_TICKET', 'This station has no lines on this ticket', { fieldErrors: { stationId: ['No lines on this ticket'] } });
}

/** Marks the station done; false when it already was. */
async function markDone(db: Kysely<DB>, orderId: string, stationId: string, at: Date, userId: string): Promise<boolean> {
  const row = await db
    .insertInto('order_station_done')
    .values({ order_id: orderId, station_id: stationId, done_at: at, done_by_user_id: userId })
    .onConflict((oc) => oc.columns(['order_id', 'station_id']).doNothing())
    .returning('order_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Takes the station's "done" back; false when it was not done. */
async function unmarkDone(db: Kysely<DB>, orderId: string, stationId: string): Promise<boolean> {
  const row = await db.deleteFrom('order_station_done').where('order_id', '=', orderId).where('station_id', '=', stationId).returning('order_id').executeTakeFirst();
  return row !== undefined;
}
