import type { TRPCRouterRecord } from '@trpc/server';
import { create } from './create.js';
import { list } from './list.js';
import { reorder } from './reorder.js';
import { update } from './update.js';

/** The kitchen's stations: staff read them (the station picker), managers add, rename, reorder and archive them. */
export const stationsRouter = { list, create, update, reorder } satisfies TRPCRouterRecord;
