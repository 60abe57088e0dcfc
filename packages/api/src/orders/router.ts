import type { TRPCRouterRecord } from '@trpc/server';
import { place } from './place.js';
import { quote } from './quote.js';
import { slots } from './slots.js';

/** Ordering: quote, slots and place (the guest's side), and the order's lifecycle and live status. */
export const ordersRouter = {
  quote,
  slots,
  place,
} satisfies TRPCRouterRecord;
