import type { TRPCRouterRecord } from '@trpc/server';
import { options } from './options.js';
import { sandboxConfirm } from './sandbox-confirm.js';

/** The payment providers' own steps (the sandbox's payment page); the order's money is under orders.*. */
export const paymentsRouter = {
  options,
  sandboxConfirm,
} satisfies TRPCRouterRecord;
