import type { TRPCRouterRecord } from '@trpc/server';
import { bump } from './bump.js';
import { onTickets } from './on-tickets.js';
import { queue } from './queue.js';
import { reject } from './reject.js';
import { set86 } from './set-86.js';

/** The kitchen's side: the ticket queue, bumps and rejections, the live feed, and 86 by hand. */
export const kitchenRouter = { set86, queue, bump, reject, onTickets } satisfies TRPCRouterRecord;
