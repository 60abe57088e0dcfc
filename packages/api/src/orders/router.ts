import type { TRPCRouterRecord } from '@trpc/server';

/** Ordering: quote, slots and place (the guest's side), and the order's lifecycle and live status. */
export const ordersRouter = {} satisfies TRPCRouterRecord;
