import type { TRPCRouterRecord } from '@trpc/server';
import { set86 } from './set-86.js';

/** The kitchen's side: 86 items by hand. */
export const kitchenRouter = { set86 } satisfies TRPCRouterRecord;
