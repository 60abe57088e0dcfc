import { sandboxConfirmInput } from '@bistro/domain';
import { notFound } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import { SandboxProvider } from './sandbox.js';

/**
 * The sandbox provider's own payment step, which its payment page calls with a test card: the
 * client secret orders.place answered authorises it, as with a real provider. The answer says
 * what the card did; the order itself moves only when the sandbox's signed webhook arrives.
 * NOT_FOUND when the sandbox is not the configured provider.
 */
export const sandboxConfirm = publicProcedure.input(sandboxConfirmInput).mutation(async ({ ctx, input }) => {
  const provider = ctx.services.payments?.provider;
  if (!(provider instanceof SandboxProvider)) throw notFound('Payment provider');
  return provider.confirm(input);
});
