import type { RouterInputs, RouterOutputs } from '@bistro/client';

/**
 * An online payment this tab has started: what the payment page needs (the provider's client
 * secret, never in the address bar nor in any log), the cart it pays for (emptied only once the
 * payment went through), and the order as it was placed, so a declined card can be followed by
 * another one: a declined payment cancels its order and returns its stock (the rule), so
 * the next card pays a new order for the same cart. Kept in sessionStorage: per tab, gone with it.
 */
export interface PendingPayment {
  trackingToken: string;
  slug: string;
  payment: NonNullable<RouterOutputs['orders']['place']['payment']>;
  /** The order as placed, without its idempotency key (a retry is a new attempt). */
  order: Omit<RouterInputs['orders']['place'], 'idempotencyKey'>;
}

const PREFIX = 'bistro.payment.';

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export function savePayment(pending: PendingPayment): void {
  try {
    storage()?.setItem(PREFIX + pending.trackingToken, JSON.stringify(pending));
  } catch {
    // Without storage the payment page says it can't continue here; the order expires unpaid.
  }
}

export function readPayment(trackingToken: string): PendingPayment | null {
  try {
    const raw = storage()?.getItem(PREFIX + trackingToken);
    return raw ? (JSON.parse(raw) as PendingPayment) : null;
  } catch {
    return null;
  }
}

export function forgetPayment(trackingToken: string): void {
  try {
    storage()?.removeItem(PREFIX + trackingToken);
  } catch {
    // Nothing kept.
  }
}
