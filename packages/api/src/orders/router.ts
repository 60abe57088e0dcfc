import type { TRPCRouterRecord } from '@trpc/server';
import { cancel } from './cancel.js';
import { get } from './get.js';
import { listMine } from './list-mine.js';
import { onStatus } from './on-status.js';
import { place } from './place.js';
import { quote } from './quote.js';
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
  cancel,
  onStatus,
} satisfies TRPCRouterRecord;
