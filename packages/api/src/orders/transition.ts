import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { findTransition, type Actor, type OrderAction, type OrderStatus } from '@bistro/domain';
import type { Context } from '../context.js';
import { emailsEnqueued, enqueueOrderEmail } from '../emails/task.js';
import { BistroError } from '../errors.js';
import { applyMovement } from '../inventory/stock.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { announceOrderEvents, recordOrderChange } from './events.js';

export interface StatusChange {
  orderId: string;
  action: OrderAction;
  actor: Actor;
  actorUserId: string | null;
  /**
   * The status the caller saw (a kitchen screen's bump): the change applies only while the order
   * is still in it. Without it, the order's current status decides (under a row lock).
   */
  from?: OrderStatus;
  reason?: string | null;
}

export interface StatusChanged {
  orderId: string;
  from: OrderStatus;
  status: OrderStatus;
  eventId: number;
}

function refused(action: OrderAction, from?: string): BistroError {
  return new BistroError(
    'ORDER_TRANSITION_REFUSED',
    from ? `An order that is ${from.replace('_', ' ')} can't be changed by "${action}"` : `The order can't be changed by "${action}" now`,
  );
}

/**
 * Moves an order along the lifecycle (DOMAIN.md, the table in @bistro/domain): one transaction
 * whose UPDATE is conditional on the status it moves from, so of two screens racing on one
 * ticket exactly one wins and the other is refused. Writes the history and event rows; an
 * order that ends cancelled gives back every portion of stock it took, as ledger rows 'return'.
 * After commit, live subscribers are told, and the menu (whose availability follows the stock)
 * is marked changed. Anything not on the picture is ORDER_TRANSITION_REFUSED and changes nothing.
 */
export async function changeOrderStatus(ctx: Pick<Context, 'db' | 'services' | 'now'>, change: StatusChange): Promise<StatusChanged> {
  const at = ctx.now();
  const { result, locationId, stockReturned } = await ctx.db.transaction().execute(async (trx) => {
    let from = change.from;
    if (from === undefined) {
      const current = await trx.selectFrom('orders').select('status').where('id', '=', change.orderId).forUpdate().executeTakeFirst();
      if (!current) throw refused(change.action);
      from = current.status;
    }
    const transition = findTransition(from, change.action, change.actor);
    if (!transition) throw refused(change.action, from);
    const updated = await trx
      .updateTable('orders')
      .set({ status: transition.to, updated_at: at })
      .where('id', '=', change.orderId)
      .where('status', '=', from)
      .returning(['location_id', (eb) => eb('contact_email_enc', 'is not', null).as('hasEmail')])
      .executeTakeFirst();
    // Someone else moved it first: the screen showed a status the order is no longer in.
    if (!updated) throw refused(change.action, change.from ? undefined : from);
    const locationId = updated.location_id;
    const email = transition.to === 'ready' ? 'order_ready' : transition.to === 'cancelled' ? 'order_cancelled' : null;
    // The guest hears of it if and only if the change commits (the outbox).
    if (email && updated.hasEmail) await enqueueOrderEmail(ctx, trx, email, change.orderId);
    const stockReturned = transition.to === 'cancelled' ? await returnStock(trx, change.orderId, locationId, change.actorUserId, at) : false;
    if (stockReturned) await touchMenu(trx, locationId);
    // Last: it takes the location's event lock until commit.
    const eventId = await recordOrderChange(trx, {
      orderId: change.orderId,
      locationId,
      from,
      to: transition.to,
      action: change.action,
      actor: change.actor,
      actorUserId: change.actorUserId,
      reason: change.reason ?? null,
      at,
    });
    return { result: { orderId: change.orderId, from, status: transition.to, eventId }, locationId, stockReturned };
  });
  emailsEnqueued(ctx);
  announceOrderEvents(ctx, locationId);
  if (stockReturned) menuChanged(ctx, locationId);
  return result;
}

/**
 * Gives back what the order took: for each ingredient, the net of the order's ledger rows
 * (sales negative, returns positive) comes back as one 'return' row. Netting makes it safe to
 * call once more by mistake; ingredients go in id order, the order every stock writer locks in.
 */
export async function returnStock(db: Kysely<DB>, orderId: string, locationId: string, actorUserId: string | null, at: Date): Promise<boolean> {
  const taken = await db
    .selectFrom('stock_movements')
    .select(['ingredient_id as ingredientId', (eb) => eb.fn.sum<number>('delta').as('net')])
    .where('order_id', '=', orderId)
    .groupBy('ingredient_id')
    .orderBy('ingredient_id')
    .execute();
  let returned = false;
  for (const { ingredientId, net } of taken) {
    if (Number(net) >= 0) continue;
    const movement = await applyMovement(db, {
      ingredientId,
      locationId,
      delta: -Number(net),
      reason: 'return',
      note: 'order cancelled',
      actorUserId,
      orderId,
      at,
    });
    if (!movement) throw new Error(`Could not return stock of ingredient ${ingredientId}`);
    returned = true;
  }
  return returned;
}
