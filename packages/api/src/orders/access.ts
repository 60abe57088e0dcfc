import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { roleAt } from '../trpc.js';
import { readTrackingToken } from './tracking.js';

/**
 * How the caller is related to an order: the customer who placed it, staff or a manager of its
 * location (admins count as managers), or someone holding its tracking token.
 */
export type OrderViewer = 'owner' | 'manager' | 'staff' | 'tokenHolder';

export interface OrderRef {
  orderId: string;
  locationId: string;
  viewer: OrderViewer;
}

/**
 * The order named by id, if the caller is its owner or staff of its location. Anyone else gets
 * NOT_FOUND, the same answer as for an order that does not exist, so ids can't be probed.
 * `staffToo: false` asks for the orderer only (cancelling is theirs, not the kitchen's).
 */
export async function orderById(ctx: Pick<Context, 'db' | 'auth'>, orderId: string, options: { staffToo: boolean }): Promise<OrderRef> {
  if (ctx.auth) {
    const row = await ctx.db.selectFrom('orders').select(['location_id', 'customer_user_id']).where('id', '=', orderId).executeTakeFirst();
    if (row) {
      if (row.customer_user_id !== null && row.customer_user_id === ctx.auth.user.id) {
        return { orderId, locationId: row.location_id, viewer: 'owner' };
      }
      const role = options.staffToo ? roleAt(ctx.auth, row.location_id) : null;
      if (role) return { orderId, locationId: row.location_id, viewer: role };
    }
  }
  throw notFound('Order');
}

/** The order a tracking token names, if its secret matches (compared in constant time); NOT_FOUND otherwise. */
export async function orderByToken(ctx: Pick<Context, 'db'>, trackingToken: string): Promise<OrderRef> {
  const token = readTrackingToken(trackingToken);
  if (token) {
    const row = await ctx.db.selectFrom('orders').select(['location_id', 'tracking_secret_hash']).where('id', '=', token.orderId).executeTakeFirst();
    if (row && token.matches(row.tracking_secret_hash)) return { orderId: token.orderId, locationId: row.location_id, viewer: 'tokenHolder' };
  }
  throw notFound('Order');
}

/** The order named by `{ orderId }` (its orderer only) or `{ trackingToken }`. */
export function orderOfOrderer(ctx: Pick<Context, 'db' | 'auth'>, ref: { orderId: string } | { trackingToken: string }): Promise<OrderRef> {
  return 'orderId' in ref ? orderById(ctx, ref.orderId, { staffToo: false }) : orderByToken(ctx, ref.trackingToken);
}
