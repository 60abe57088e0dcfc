import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SANDBOX_CARDS, type SandboxCardBehaviour, type SandboxConfirmInput } from '@bistro/domain';
import { BistroError } from '../errors.js';
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

/** The header the sandbox signs its webhooks in: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, like Stripe's. */
export const SANDBOX_SIGNATURE_HEADER = 'bistro-sandbox-signature';

/** One webhook as the sandbox sends it: the exact body and its headers. */
export interface SandboxWebhook {
  body: string;
  headers: Record<string, string>;
}

export interface SandboxOptions {
  /** Signs client secrets and webhooks (SANDBOX_SECRET, or one kept in DATA_DIR). */
  secret: Buffer;
  /** Sends one webhook to Bistro (the server POSTs it to /webhooks/payments/sandbox; tests may hold it back). */
  deliver: (webhook: SandboxWebhook) => Promise<void>;
  /** The provider's clock, for the signature's timestamp. */
  now: () => Date;
  /** How long the "succeeds late" card waits before its webhook (0 in tests that deliver by hand). */
  lateDelayMs?: number;
}

const paymentToken = z.strictObject({ ref: z.string(), tenderId: z.uuid(), amountMinor: z.number().int().positive(), currency: z.string() });
type PaymentToken = z.infer<typeof paymentToken>;

const webhookBody = z.discriminatedUnion('type', [
  z.strictObject({
    id: z.string().min(1).max(200),
    type: z.enum(['payment.succeeded', 'payment.failed', 'payment.requires_action']),
    created: z.number().int(),
    data: z.strictObject({ paymentRef: z.string().min(1), tenderId: z.uuid().nullable(), amountMinor: z.number().int().positive() }),
  }),
  z.strictObject({
    id: z.string().min(1).max(200),
    type: z.enum(['refund.succeeded', 'refund.failed']),
    created: z.number().int(),
    data: z.strictObject({ refundRef: z.string().min(1), refundId: z.uuid().nullable() }),
  }),
]);
type SandboxEvent = z.infer<typeof webhookBody>;

/** What the sandbox's confirm step answers the payment page. */
export interface SandboxConfirmation {
  status: 'succeeded' | 'declined' | 'requires_action' | 'processing' | 'failed';
  /** Bistro's tender id the payment belongs to. */
  tenderId: string;
}

/**
 * The built-in payment provider: deterministic test cards (SANDBOX_CARDS), a confirm step the
 * payment page calls, and webhooks signed like a real provider's (HMAC-SHA256 over the timestamp
 * and the raw body), sent after it answered, never inside Bistro's own transaction. It keeps no
 * state of its own: a payment's client secret carries its amount, signed, so any instance can
 * confirm it; confirming again sends the same event id (Bistro applies it once).
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly inFlight = new Set<Promise<void>>();
  private held: SandboxWebhook[] | null = null;

  constructor(private readonly options: SandboxOptions) {}

  private mac(text: string): string {
    return createHmac('sha256', this.options.secret).update(text).digest('base64url');
  }

  async createPayment(payment: CreatePayment): Promise<CreatedPayment> {
    const token: PaymentToken = { ref: `sbx_pi_${payment.tenderId}`, tenderId: payment.tenderId, amountMinor: payment.amountMinor, currency: payment.currency };
    const payload = Buffer.from(JSON.stringify(token)).toString('base64url');
    return { providerRef: token.ref, clientSecret: `sbx_cs_${payload}.${this.mac(`cs:${payload}`)}` };
  }

  /** The payment page's step: pay with a test card (and answer the extra step for the card that asks for one). */
  async confirm(input: SandboxConfirmInput): Promise<SandboxConfirmation> {
    const token = this.readClientSecret(input.clientSecret);
    const cards: Readonly<Record<string, SandboxCardBehaviour>> = SANDBOX_CARDS;
    // Any other number is declined, as a real test mode declines unknown cards.
    const behaviour = Object.hasOwn(cards, input.card) ? (cards[input.card] ?? 'declined') : 'declined';
    const paymentEvent = (type: 'payment.succeeded' | 'payment.failed' | 'payment.requires_action'): SandboxEvent => ({
      id: this.eventId(`${token.ref}:${type}`),
      type,
      created: this.created(),
      data: { paymentRef: token.ref, tenderId: token.tenderId, amountMinor: token.amountMinor },
    });
    switch (behaviour) {
      case 'succeeds':
        this.send(paymentEvent('payment.succeeded'));
        return { status: 'succeeded', tenderId: token.tenderId };
      case 'declined':
        this.send(paymentEvent('payment.failed'));
        return { status: 'declined', tenderId: token.tenderId };
      case 'requires_action':
        if (input.authentication === 'approve') {
          this.send(paymentEvent('payment.succeeded'));
          return { status: 'succeeded', tenderId: token.tenderId };
        }
        if (input.authentication === 'fail') {
          this.send(paymentEvent('payment.failed'));
          return { status: 'failed', tenderId: token.tenderId };
        }
        this.send(paymentEvent('payment.requires_action'));
        return { status: 'requires_action', tenderId: token.tenderId };
      case 'succeeds_late':
        this.send(paymentEvent('payment.succeeded'), this.options.lateDelayMs ?? 2_000);
        return { status: 'processing', tenderId: token.tenderId };
    }
  }

  async refund(refund: ProviderRefund): Promise<RefundStarted> {
    const ref = `sbx_re_${refund.refundId}`;
    this.send({ id: this.eventId(`${ref}:refund.succeeded`), type: 'refund.succeeded', created: this.created(), data: { refundRef: ref, refundId: refund.refundId } });
    return { providerRefundRef: ref, status: 'pending' };
  }

  async cancelPayment(): Promise<void> {
    // Nothing to cancel: the sandbox keeps no state, and an expired order's later success is refunded by Bistro.
  }

  parseWebhook(request: WebhookRequest): ProviderEvent | null {
    const signature = header(request.headers, SANDBOX_SIGNATURE_HEADER);
    const parts = new Map((signature ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
    const t = parts.get('t');
    const v1 = parts.get('v1');
    if (!t || !/^\d{1,12}$/.test(t) || !v1) throw new WebhookRejected('WEBHOOK_SIGNATURE_INVALID', 'Missing or malformed signature');
    const expected = Buffer.from(this.sign(t, request.rawBody), 'hex');
    const given = Buffer.from(v1, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new WebhookRejected('WEBHOOK_SIGNATURE_INVALID', 'The signature does not match');
    if (Math.abs(request.now.getTime() / 1000 - Number(t)) > WEBHOOK_TOLERANCE_SECONDS) {
      throw new WebhookRejected('WEBHOOK_TIMESTAMP_INVALID', 'The signature is too old (or from the future)');
    }
    let json: unknown;
    try {
      json = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      throw new WebhookRejected('INVALID_INPUT', 'The body is not JSON');
    }
    const parsed = webhookBody.safeParse(json);
    if (!parsed.success) throw new WebhookRejected('INVALID_INPUT', 'Not a sandbox event');
    const e = parsed.data;
    switch (e.type) {
      case 'refund.succeeded':
      case 'refund.failed':
        return 'refundRef' in e.data ? { id: e.id, type: e.type, refundId: e.data.refundId, providerRefundRef: e.data.refundRef } : null;
      default:
        return 'paymentRef' in e.data ? { id: e.id, type: e.type, tenderId: e.data.tenderId, providerRef: e.data.paymentRef, amountMinor: e.data.amountMinor } : null;
    }
  }

  /** A signed webhook, as the sandbox would send it now: for tests that send their own (replays, forgeries, old ones). */
  signedWebhook(event: unknown, at: Date = this.options.now()): SandboxWebhook {
    const body = JSON.stringify(event);
    const t = String(Math.floor(at.getTime() / 1000));
    return { body, headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: `t=${t},v1=${this.sign(t, Buffer.from(body))}` } };
  }

  /** Resolves once every webhook sent so far was delivered (or failed to be). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Keeps every webhook sent from now on until the returned release() delivers them, in order:
   * a provider whose webhook is slow to arrive, for tests of what a guest sees meanwhile.
   */
  holdWebhooks(): () => Promise<void> {
    this.held ??= [];
    return async () => {
      await this.settled();
      const held = this.held ?? [];
      this.held = null;
      for (const webhook of held) await this.options.deliver(webhook);
    };
  }

  private sign(t: string, body: Buffer): string {
    return createHmac('sha256', this.options.secret).update(`${t}.`).update(body).digest('hex');
  }

  private readClientSecret(clientSecret: string): PaymentToken {
    const match = /^sbx_cs_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(clientSecret);
    const invalid = () => new BistroError('PAYMENT_INVALID', 'This payment is unknown to the sandbox');
    if (!match) throw invalid();
    const payload = match[1] ?? '';
    const mac = match[2] ?? '';
    const expected = Buffer.from(this.mac(`cs:${payload}`));
    if (expected.length !== mac.length || !timingSafeEqual(expected, Buffer.from(mac))) throw invalid();
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const token = paymentToken.safeParse(json);
    if (!token.success) throw invalid();
    return token.data;
  }

  /** An event's id, derived from what it is about: sending the same outcome twice gives the same id. */
  private eventId(about: string): string {
    return `sbx_evt_${this.mac(`evt:${about}`).slice(0, 24)}`;
  }

  private created(): number {
    return Math.floor(this.options.now().getTime() / 1000);
  }

  private send(event: SandboxEvent, delayMs = 0): void {
    const run = async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const webhook = this.signedWebhook(event);
      if (this.held) this.held.push(webhook);
      else await this.options.deliver(webhook);
    };
    const delivery = run().catch(() => {
      // A webhook that could not be delivered is lost, as a real provider's would be after its retries; the expiry sweep settles the order.
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }
}
