import type { inferRouterInputs, inferRouterOutputs, TRPCRouterRecord } from '@trpc/server';
import { adminRouter } from './admin/router.js';
import { authRouter } from './auth/router.js';
import { apiKeysRouter } from './api-keys/router.js';
import { inventoryRouter } from './inventory/router.js';
import { kitchenRouter } from './kitchen/router.js';
import { locationsRouter } from './locations/router.js';
import { menuRouter } from './menu/router.js';
import { newsletterRouter } from './newsletter/router.js';
import { ordersRouter } from './orders/router.js';
import { paymentsRouter } from './payments/router.js';
import { promosRouter } from './promos/router.js';
import { reportsRouter } from './reports/router.js';
import { stationsRouter } from './stations/router.js';
import { createCallerFactory, createTRPCRouter } from './trpc.js';

/**
 * The areas of the API. The router is built from this record, and so is the client's view of it
 * (client-types.ts), which names the procedures without the server's context.
 */
export const appRecord = {
  admin: adminRouter,
  auth: authRouter,
  inventory: inventoryRouter,
  kitchen: kitchenRouter,
  locations: locationsRouter,
  menu: menuRouter,
  newsletter: newsletterRouter,
  orders: ordersRouter,
  payments: paymentsRouter,
  promos: promosRouter,
  reports: reportsRouter,
  stations: stationsRouter,
  apiKeys: apiKeysRouter,
} satisfies TRPCRouterRecord;

export const appRouter = createTRPCRouter(appRecord);

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process, for tests and scripts: `createCaller(createContext({ db, log, requestId }))`. */
export const createCaller = createCallerFactory(appRouter);
