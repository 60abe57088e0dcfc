import type { Context } from '../context.js';
import type { DataKeys } from '../crypto/data-keys.js';

/** What a client needs to pay one tender online: answered by orders.place (and its retries) and orders.payOnline. */
export interface PaymentStep {
  tenderId: string;
  provider: 'sandbox' | 'stripe';
  amountMinor: number;
  currency: string;
  /** The provider's client secret for the payment page (the sandbox's, or Stripe's Payment Element). */
  clientSecret: string;
}

function secretAad(tenderId: string): string {
  return `tenders.client_secret:${tenderId}`;
}

/**
 * Asks the provider for the tender's payment, once: after Bistro's transaction committed (no
 * network call holds a lock), and again only if that first answer was never stored (a retry
 * after a crash). The provider's id and the client secret (sealed) are kept with the tender, so a
 * retried orders.place answers the same secret. Null when the tender is not an online one.
 */
export async function startPayment(ctx: Pick<Context, 'db' | 'services' | 'now'>, keys: DataKeys, tenderId: string): Promise<PaymentStep | null> {
  const tender = await ctx.db
    .selectFrom('tenders')
    .select(['id', 'order_id', 'method', 'amount_minor', 'currency', 'provider_ref', 'client_secret_enc'])
    .where('id', '=', tenderId)
    .executeTakeFirst();
  if (!tender || tender.method === 'cash') return null;
  const step = { tenderId, provider: tender.method, amountMinor: Number(tender.amount_minor), currency: tender.currency };
  if (tender.client_secret_enc) return { ...step, clientSecret: keys.decrypt(tender.client_secret_enc, secretAad(tenderId)) };
  const provider = ctx.services.payments?.provider;
  if (provider?.name !== tender.method) throw new Error(`The ${tender.method} payment provider is not configured`);
  const created = await provider.createPayment({ tenderId, orderId: tender.order_id, amountMinor: step.amountMinor, currency: step.currency });
  await ctx.db
    .updateTable('tenders')
    .set({ provider_ref: created.providerRef, client_secret_enc: keys.encrypt(created.clientSecret, secretAad(tenderId)), updated_at: ctx.now() })
    .where('id', '=', tenderId)
    .where('provider_ref', 'is', null)
    .execute();
  return { ...step, clientSecret: created.clientSecret };
}
