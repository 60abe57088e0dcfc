import { z } from 'zod';
import type { Context } from '../context.js';
import { BistroError, notFound } from '../errors.js';
import { publicProcedure, roleAt } from '../trpc.js';
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

const uuid = z.uuid();

/**
 * A procedure about one order, named in the input by `orderId` or `trackingToken`, for the
 * callers `level` admits: `orderer` — the signed-in customer who placed it (by id) or whoever
 * holds its tracking token; `order` — those, and staff or managers of its location. Anyone else
 * gets NOT_FOUND, the same answer as for an order that does not exist. `ctx.order` is the order
 * and how the caller is related to it. The access matrix reads `level` from the meta.
 */
function orderAccess(level: 'orderer' | 'order') {
  return publicProcedure.meta({ access: level }).use(async ({ ctx, getRawInput, next }) => {
    const raw = await getRawInput();
    const field = (key: string): unknown => (typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined);
    const token = field('trackingToken');
    let order: OrderRef;
    if (typeof token === 'string') {
      order = await orderByToken(ctx, token);
    } else {
      const id = uuid.safeParse(field('orderId'));
      if (!id.success) throw new BistroError('INVALID_INPUT', 'Invalid input', { fieldErrors: { orderId: ['Expected an order id or a tracking token'] } });
      order = await orderById(ctx, id.data, { staffToo: level === 'order' });
    }
    return next({ ctx: { order } });
  });
}

/** The order's orderer (by id) or tracking-token holder. */
export const ordererProcedure = orderAccess('orderer');
/** The order's orderer, tracking-token holder, or staff of its location. */
export const orderProcedure = orderAccess('order');
