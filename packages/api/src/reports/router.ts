import type { TRPCRouterRecord } from '@trpc/server';
import { items } from './items.js';
import { kitchen } from './kitchen.js';
import { overviewProcedure } from './overview.js';
import { sales } from './sales.js';

/** Reports for a location's manager (admins: any location). CSV downloads: apps/server, /reports/*.csv. */
export const reportsRouter = { sales, kitchen, items, overview: overviewProcedure } satisfies TRPCRouterRecord;
