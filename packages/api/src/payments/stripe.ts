import Stripe from 'stripe';
import {
  header,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookRejected,
  type CreatedPayment,
  type CreatePayment,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderRefund,
  type RefundStarted,
  type WebhookRequest,
} from './provider.js';

/**
 * Stripe, through its official SDK: a PaymentIntent per tender (its client secret drives the
 * Payment Element on the checkout), refunds against it, and webhooks read only through
 * `webhooks.constructEvent` on the raw body with a 300 s tolerance, measured from the injected
 * clock. Bistro's ids travel in the metadata (tenderId, refundId), so events find their rows;
 * every create call carries an idempotency key (the tender's or refund's id), so a retry never
 * charges or refunds twice.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(
    secretKey: string,
    private readonly webhookSecret: string,
    /** For tests: another host (never reached from this machine otherwise). */
    options: { host?: string; port?: number; protocol?: 'http' | 'https' } = {},
  ) {
    this.stripe = new Stripe(secretKey, { maxNetworkRetries: 2, timeout: 20_000, ...options });
  }

  async createPayment(payment: CreatePayment): Promise<CreatedPayment> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: payment.amountMinor,
        currency: payment.currency.toLowerCase(),
        automatic_payment_methods: { enabled: true },
        metadata: { tenderId: payment.tenderId, orderId: payment.orderId },
      },
      { idempotencyKey: `tender-${payment.tenderId}` },
    );
    if (!intent.client_secret) throw new Error('Stripe answered a PaymentIntent without a client secret');
    return { providerRef: intent.id, clientSecret: intent.client_secret };
  }

  async refund(refund: ProviderRefund): Promise<RefundStarted> {
    const created = await this.stripe.refunds.create(
      { payment_intent: refund.providerRef, amount: refund.amountMinor, metadata: { refundId: refund.refundId, tenderId: refund.tenderId } },
      { idempotencyKey: `refund-${refund.refundId}` },
    );
    const status = created.status === 'succeeded' ? 'succeeded' : created.status === 'failed' || created.status === 'canceled' ? 'failed' : 'pending';
    return { providerRefundRef: created.id, status };
  }

  async cancelPayment(providerRef: string): Promise<void> {
    await this.stripe.paymentIntents.cancel(providerRef);
  }

  parseWebhook(request: WebhookRequest): ProviderEvent | null {
    const signature = header(request.headers, 'stripe-signature');
    if (!signature) throw new WebhookRejected('WEBHOOK_SIGNATURE_INVALID', 'Missing Stripe-Signature');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(request.rawBody, signature, this.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, request.now.getTime());
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        const old = /tolerance/i.test(error.message);
        throw new WebhookRejected(old ? 'WEBHOOK_TIMESTAMP_INVALID' : 'WEBHOOK_SIGNATURE_INVALID', old ? 'The signature is too old' : 'The signature does not match');
      }
      throw new WebhookRejected('INVALID_INPUT', 'Not a Stripe event');
    }
    // The SDK checks only that the timestamp is not too old; one from the future is as suspect.
    const t = /(?:^|,)t=(\d+)/.exec(signature)?.[1];
    if (t && Number(t) - request.now.getTime() / 1000 > WEBHOOK_TOLERANCE_SECONDS) throw new WebhookRejected('WEBHOOK_TIMESTAMP_INVALID', 'The signature is from the future');
    switch (event.type) {
      case 'payment_intent.succeeded':
      case 'payment_intent.payment_failed':
      case 'payment_intent.requires_action': {
        const intent = event.data.object;
        const type = event.type === 'payment_intent.succeeded' ? 'payment.succeeded' : event.type === 'payment_intent.payment_failed' ? 'payment.failed' : 'payment.requires_action';
        return { id: event.id, type, tenderId: uuidOrNull(intent.metadata['tenderId']), providerRef: intent.id, amountMinor: intent.amount };
      }
      case 'refund.updated':
      case 'refund.failed': {
        const refund = event.data.object;
        const outcome = refund.status === 'succeeded' ? 'refund.succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'refund.failed' : null;
        if (!outcome) return null;
        return { id: event.id, type: outcome, refundId: uuidOrNull(refund.metadata?.['refundId']), providerRefundRef: refund.id };
      }
      default:
        return null;
    }
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNull(value: string | undefined): string | null {
  return value && UUID.test(value) ? value : null;
}
