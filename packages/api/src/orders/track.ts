import { orderTrackInput } from '@bistro/domain';
import { orderDetailOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';
import { orderByToken } from './access.js';
import { readOrderDetail } from './detail.js';

/** A guest follows their order with its secret tracking token: status, lines and totals, no contact details. */
export const track = publicProcedure
  .meta({ scope: 'any', openapi: { method: 'GET', path: '/orders/track', tags: ['orders'], protect: false, summary: 'Follow an order with its tracking token' } })
  .input(orderTrackInput)
  .output(orderDetailOutput)
  .query(async ({ ctx, input }) => {
  const ref = await orderByToken(ctx, input.trackingToken);
  return readOrderDetail(ctx, ref.orderId, 'tokenHolder');
});
