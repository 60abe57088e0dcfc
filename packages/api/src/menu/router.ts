import type { TRPCRouterRecord } from '@trpc/server';
import { get } from './get.js';

export const menuRouter = { get } satisfies TRPCRouterRecord;
