import type { TRPCRouterRecord } from '@trpc/server';
import { create } from './create.js';
import { list } from './list.js';
import { setActive } from './set-active.js';
import { update } from './update.js';

/** Discount codes, for the managers of a location (how a code prices a cart is @bistro/domain's priceCart). */
export const promosRouter = {
  create,
  list,
  setActive,
  update,
} satisfies TRPCRouterRecord;
