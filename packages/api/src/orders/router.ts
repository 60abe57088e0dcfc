import type { TRPCRouterRecord } from '@trpc/server';
import { cancel } from './cancel.js';
import { get } from './get.js';
import { list } from './list.js';
import { listMine } from './list-mine.js';
import { onStatus } from './on-status.js';
import { place } from './place.js';
import { quote } from './quote.js';
import { payments } from './payments.js';
import { refund } from './refund.js';
import { tender } from './tender.js';
import { slots } from './slots.js';
import { track } from './track.js';

/** Ordering: quote, slots and place (the guest's side), and the order's lifecycle and live status. */
export const ordersRouter = {
  quote,
  slots,
  place,
  get,
  track,
  listMine,
  // The location's orders for its staff and managers (issue 13).
  list,
  cancel,
  onStatus,
  // Payments (issue 14).
  refund,
  tender,
  payments,
} satisfies TRPCRouterRecord;
