import type { TRPCRouterRecord } from '@trpc/server';
import { bump } from './bump.js';
import { onTickets } from './on-tickets.js';
import { queue } from './queue.js';
import { reject } from './reject.js';
import { set86 } from './set-86.js';
import { stationDone } from './station-done.js';

/** The kitchen's side: the ticket queue, bumps and rejections, each station's "done", the live feed, and 86 by hand. */
export const kitchenRouter = { set86, queue, bump, stationDone, reject, onTickets } satisfies TRPCRouterRecord;
