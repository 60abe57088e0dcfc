import { orderGetInput } from '@bistro/domain';
import { authedProcedure } from '../trpc.js';
import { orderById } from './access.js';
import { readOrderDetail } from './detail.js';

/**
 * One order, for the customer who placed it or staff of its location (anyone else: NOT_FOUND).
 * The orderer and managers see the contact details; staff see the guest's first name only.
 */
export const get = authedProcedure.input(orderGetInput).query(async ({ ctx, input }) => {
  const ref = await orderById(ctx, input.orderId, { staffToo: true });
  return readOrderDetail(ctx, ref.orderId, ref.viewer);
});
