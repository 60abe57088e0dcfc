import { publicProcedure } from '../trpc.js';

/**
 * How a guest may pay here, for the checkout's payment step: online through the configured
 * provider (the sandbox's own page, or Stripe's Payment Element with its publishable key), or
 * only at the counter. Nothing secret: the publishable key is public by design.
 */
export const options = publicProcedure.query(({ ctx }) => {
  const payments = ctx.services.payments;
  const provider = payments?.provider.name ?? null;
  const stripePublishableKey = provider === 'stripe' ? (payments?.publishableKey ?? null) : null;
  return {
    /** Whether checkout may offer online payment (Stripe needs its publishable key for the browser). */
    online: provider === 'sandbox' || stripePublishableKey !== null,
    provider,
    stripePublishableKey,
  };
});
