import type { BistroErrorCode, PaymentProviderName } from '@bistro/domain';

/**
 * The payment provider port: what Bistro asks of a provider (create a payment, refund, cancel)
 * and what it reads from one (its signed webhooks). Two adapters: the built-in sandbox
 * (sandbox.ts, the default) and Stripe (stripe.ts). Everything money-related that Bistro decides
 * (the ledger, the refund cap, the order's state) lives outside the adapters.
 */

export interface CreatePayment {
  /** Bistro's tender id: the provider keeps it (metadata) and names it in its events. */
  tenderId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
}

export interface CreatedPayment {
  /** The provider's id of the payment (a PaymentIntent's `pi_…`). */
  providerRef: string;
  /** What the guest's browser needs to pay it (a client secret). A secret: never logged. */
  clientSecret: string;
}

export interface ProviderRefund {
  refundId: string;
  tenderId: string;
  /** The payment's provider id. */
  providerRef: string;
  amountMinor: number;
  currency: string;
}

export interface RefundStarted {
  /** The provider's id of the refund. */
  providerRefundRef: string;
  /** Most providers answer pending and settle by webhook. */
  status: 'pending' | 'succeeded' | 'failed';
}

/** A provider event, as Bistro reads it. `id` is the provider's own event id: each is applied once. */
export type ProviderEvent =
  | {
      id: string;
      type: 'payment.succeeded' | 'payment.failed' | 'payment.requires_action';
      /** Bistro's tender id, from the payment's metadata (null if the payment was not made by Bistro). */
      tenderId: string | null;
      providerRef: string;
      amountMinor: number;
    }
  | {
      id: string;
      type: 'refund.succeeded' | 'refund.failed';
      refundId: string | null;
      providerRefundRef: string;
    };

export interface WebhookRequest {
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The injected clock, for the signature's timestamp tolerance. */
  now: Date;
}

/** A webhook refused before anything was applied: its signature, its timestamp or its body. */
export class WebhookRejected extends Error {
  constructor(
    readonly code: Extract<BistroErrorCode, 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_TIMESTAMP_INVALID' | 'INVALID_INPUT'>,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

/** How far a webhook's signed timestamp may be from now, either way (Stripe's default tolerance). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPayment(payment: CreatePayment): Promise<CreatedPayment>;
  refund(refund: ProviderRefund): Promise<RefundStarted>;
  /** Cancels a payment nobody paid (the order expired); best effort. */
  cancelPayment(providerRef: string): Promise<void>;
  /**
   * Verifies the signature and timestamp first (throws WebhookRejected), then reads the event.
   * Null for an event type Bistro does not act on (answered 200, so the provider stops sending it).
   */
  parseWebhook(request: WebhookRequest): ProviderEvent | null;
}

/** The payments settings and provider every request shares (Services.payments). */
export interface Payments {
  provider: PaymentProvider;
  /** An online order not paid within this many minutes is cancelled and its stock returned. */
  timeoutMinutes: number;
  /** Stripe's publishable key, which the web checkout loads Stripe.js with (public by design). */
  publishableKey?: string | undefined;
}

/** A header's single value. */
export function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
