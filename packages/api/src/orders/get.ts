import { orderGetInput } from '@bistro/domain';
import { orderProcedure } from './access.js';
import { readOrderDetail } from './detail.js';

/**
 * One order, for the customer who placed it, anyone holding its tracking token, or staff of its
 * location (anyone else: NOT_FOUND). The orderer and managers see the contact details; staff
 * see the guest's first name only, a token holder none.
 */
export const get = orderProcedure.input(orderGetInput).query(async ({ ctx }) => readOrderDetail(ctx, ctx.order.orderId, ctx.order.viewer));
