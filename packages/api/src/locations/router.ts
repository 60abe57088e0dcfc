import type { TRPCRouterRecord } from '@trpc/server';
import { create } from './create.js';
import { list } from './list.js';
import { update } from './update.js';

export const locationsRouter = { list, create, update } satisfies TRPCRouterRecord;
