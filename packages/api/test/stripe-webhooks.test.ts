import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { StripeProvider } from '../src/index.js';
import { WebhookRejected } from '../src/payments/provider.js';

/**
 * The Stripe adapter's webhook verification, with signatures made by the SDK's own test helper
 * (`webhooks.generateTestHeaderString`) over the exact bytes. No network reaches Stripe from
 * here: creating PaymentIntents and refunds against Stripe's API is NOT exercised by any test.
 */
const secret = 'whsec_test_bistro_0123456789';
const provider = new StripeProvider('sk_test_bistro', secret);
const stripe = new Stripe('sk_test_bistro');
const now = new Date();

function intentEvent(type: string, tenderId: string) {
  return JSON.stringify({
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    type,
    api_version: '2025-01-01',
    created: Math.floor(now.getTime() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: null,
    data: { object: { id: 'pi_123', object: 'payment_intent', amount: 1234, currency: 'eur', metadata: { tenderId, orderId: randomUUID() } } },
  });
}

function signed(payload: string, at = now, withSecret = secret) {
  return { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: withSecret, timestamp: Math.floor(at.getTime() / 1000) }) };
}

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof WebhookRejected) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Stripe webhooks', () => {
  it('reads a payment_intent.succeeded signed by the SDK into a capture of the tender named in its metadata', () => {
    const tenderId = randomUUID();
    const payload = intentEvent('payment_intent.succeeded', tenderId);
    const event = provider.parseWebhook({ rawBody: Buffer.from(payload), headers: signed(payload), now });
    expect(event).toMatchObject({ type: 'payment.succeeded', tenderId, providerRef: 'pi_123', amountMinor: 1234 });
    const failed = intentEvent('payment_intent.payment_failed', tenderId);
    expect(provider.parseWebhook({ rawBody: Buffer.from(failed), headers: signed(failed), now })).toMatchObject({ type: 'payment.failed', tenderId });
  });

  it('refuses a body changed after signing, another secret, and a missing header', () => {
    const payload = intentEvent('payment_intent.succeeded', randomUUID());
    const headers = signed(payload);
    expect(rejection(() => provider.parseWebhook({ rawBody: Buffer.from(payload.replace('1234', '9999')), headers, now }))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(rejection(() => provider.parseWebhook({ rawBody: Buffer.from(payload), headers: signed(payload, now, 'whsec_someone_else'), now }))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(rejection(() => provider.parseWebhook({ rawBody: Buffer.from(payload), headers: {}, now }))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('measures the 300 s tolerance from the injected clock: 299 s old passes, 301 s old and 301 s ahead are refused', () => {
    const payload = intentEvent('payment_intent.succeeded', randomUUID());
    const at = (s: number) => new Date(now.getTime() + s * 1000);
    expect(provider.parseWebhook({ rawBody: Buffer.from(payload), headers: signed(payload, at(-299)), now })).not.toBeNull();
    expect(rejection(() => provider.parseWebhook({ rawBody: Buffer.from(payload), headers: signed(payload, at(-301)), now }))).toBe('WEBHOOK_TIMESTAMP_INVALID');
    expect(rejection(() => provider.parseWebhook({ rawBody: Buffer.from(payload), headers: signed(payload, at(301)), now }))).toBe('WEBHOOK_TIMESTAMP_INVALID');
  });

  it('ignores event types Bistro does not act on (answered 200, so Stripe stops sending them)', () => {
    const payload = intentEvent('payment_intent.created', randomUUID());
    expect(provider.parseWebhook({ rawBody: Buffer.from(payload), headers: signed(payload), now })).toBeNull();
  });
});
