import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { findTransition, type Actor, type OrderAction, type OrderStatus } from '@bistro/domain';
import type { Context } from '../context.js';
import { emailsEnqueued, enqueueOrderEmail } from '../emails/task.js';
import { BistroError } from '../errors.js';
import { applyMovement } from '../inventory/stock.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { refundEverything, sendRefunds, type RefundToSend } from '../payments/money.js';
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
export async function changeOrderStatus(ctx: Pick<Context, 'db' | 'services' | 'now'> & { log?: Context['log'] }, change: StatusChange): Promise<StatusChanged> {
  const at = ctx.now();
  const applied = await ctx.db.transaction().execute((trx) => applyStatusChange(ctx, trx, change, at));
  await afterStatusChange(ctx, applied);
  return applied.result;
}

/** What a change did, for what follows its commit. */
export interface AppliedChange {
  result: StatusChanged;
  locationId: string;
  stockReturned: boolean;
  /** Refunds reserved because a paid order was cancelled: asked of the provider after commit. */
  refunds: RefundToSend[];
}

/**
 * The change itself, in the caller's transaction (a payment webhook applies it together with the
 * capture). An order that ends cancelled gives back its stock and refunds whatever was paid.
 */
export async function applyStatusChange(ctx: Pick<Context, 'services'>, trx: Kysely<DB>, change: StatusChange, at: Date): Promise<AppliedChange> {
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
  const cancelled = transition.to === 'cancelled';
  // The guest hears of it if and only if the change commits (the outbox). An order paid online is
  // confirmed when its payment is.
  const email = transition.to === 'ready' ? 'order_ready' : cancelled ? 'order_cancelled' : transition.to === 'placed' && from === 'pending_payment' ? 'order_confirmation' : null;
  if (email && updated.hasEmail) await enqueueOrderEmail(ctx, trx, email, change.orderId);
  const stockReturned = cancelled ? await returnStock(trx, change.orderId, locationId, change.actorUserId, at) : false;
  if (stockReturned) await touchMenu(trx, locationId);
  // A cancelled order gives its discount code's use back, like its stock.
  if (cancelled) {
    await sql`with gone as (delete from promo_redemptions where order_id = ${change.orderId} returning promo_id)
      update promo_codes p set uses = p.uses - 1 from gone where p.id = gone.promo_id`.execute(trx);
  }
  const refunds = cancelled
    ? await refundEverything(trx, {
        orderId: change.orderId,
        status: 'cancelled',
        reason: `order ${change.action === 'expire' ? 'not paid' : change.action === 'reject' ? 'rejected' : 'cancelled'}${change.reason ? ` (${change.reason})` : ''}`,
        actor: change.actor,
        actorUserId: change.actorUserId,
        at,
      })
    : [];
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
  return { result: { orderId: change.orderId, from, status: transition.to, eventId }, locationId, stockReturned, refunds };
}

/** After commit: live subscribers are told, the menu (whose availability follows the stock) marked changed, refunds sent. */
export async function afterStatusChange(ctx: Pick<Context, 'db' | 'services' | 'now'> & { log?: Context['log'] }, applied: AppliedChange): Promise<void> {
  emailsEnqueued(ctx);
  announceOrderEvents(ctx, applied.locationId);
  if (applied.stockReturned) menuChanged(ctx, applied.locationId);
  if (applied.refunds.length > 0) await sendRefunds(ctx, applied.refunds);
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
