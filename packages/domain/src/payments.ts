import { z } from 'zod';
import { nonNegativeMinorUnitsSchema } from './money.js';
import { multiLineText } from './text.js';

/**
 * Payments (DOMAIN.md: tender, refund). Money moves through a provider port; each tender is one
 * payment towards an order, refunds go back against captured tenders, and a ledger records every
 * movement. Types a client sees are written without zod, as in orders.ts.
 */

/** How an order is paid: at the counter (the kitchen sees it at once) or online (pending_payment until captured). */
export const PAYMENT_METHODS = ['counter', 'online'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The online providers Bistro speaks to: the built-in sandbox (the default) and Stripe. */
export const PAYMENT_PROVIDERS = ['sandbox', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** How one tender is paid: through a provider, or cash at the counter. */
export const TENDER_METHODS = ['sandbox', 'stripe', 'cash'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

export const TENDER_STATUSES = ['pending', 'requires_action', 'captured', 'failed', 'cancelled'] as const;
export type TenderStatus = (typeof TENDER_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Ledger rows are signed: captures and a failed refund's reversal +, refunds −; authorisations and failures record an amount that moved nothing. */
export const LEDGER_KINDS = ['authorisation', 'capture', 'refund', 'refund_reversal', 'failure'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** What a ledger row adds to the money Bistro holds for an order. */
export function ledgerEffect(kind: LedgerKind, amountMinor: number): number {
  return kind === 'capture' || kind === 'refund' || kind === 'refund_reversal' ? amountMinor : 0;
}

/**
 * An order is paid when its captured tenders add up to its total (several tenders may share it:
 * two cards, or a card and cash at the counter). Refunds afterwards don't make it unpaid.
 */
export function isPaid(capturedMinor: number, totalMinor: number): boolean {
  return capturedMinor >= totalMinor;
}

/**
 * The sandbox provider's test cards, deterministic like a real provider's test mode: one that
 * succeeds, one declined, one that needs an extra confirmation step (3-D Secure), and one that
 * succeeds late, by webhook only.
 */
export const SANDBOX_CARDS = {
  '4242424242424242': 'succeeds',
  '4000000000000002': 'declined',
  '4000002500003155': 'requires_action',
  '4000000000000077': 'succeeds_late',
} as const;
export type SandboxCardBehaviour = (typeof SANDBOX_CARDS)[keyof typeof SANDBOX_CARDS];

export const sandboxConfirmInput = z.strictObject({
  /** The client secret orders.place answered for the payment. */
  clientSecret: z.string().min(10).max(500),
  /** A sandbox test card number (spaces allowed). */
  card: z
    .string()
    .transform((s) => s.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'Enter a card number')),
  /** The answer to the extra confirmation step, for a card that asks for one. */
  authentication: z.enum(['approve', 'fail']).optional(),
});
export type SandboxConfirmInput = z.infer<typeof sandboxConfirmInput>;

/** An amount of money of at least one minor unit (and at most 10 million major units of a 2-digit currency). */
const positiveMinorUnits = nonNegativeMinorUnitsSchema.min(1).max(1_000_000_000);

const idempotencyKeySchema = z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const orderRefundInput = z
  .strictObject({
    orderId: z.uuid(),
    /** A partial refund by amount; omitted (and no lines) refunds everything still refundable. */
    amountMinor: positiveMinorUnits.optional(),
    /** A refund of these lines (their index in the order), each at its sold price plus its share of tax. */
    lines: z.array(z.number().int().min(0).max(999)).min(1).max(50).optional(),
    /** Refund this tender only; omitted: the tenders are refunded in turn, the largest first. */
    tenderId: z.uuid().optional(),
    reason: multiLineText({ min: 1, max: 300 }),
    idempotencyKey: idempotencyKeySchema,
  })
  .superRefine((input, ctx) => {
    if (input.amountMinor !== undefined && input.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'Refund by amount or by lines, not both' });
    if (input.lines && new Set(input.lines).size !== input.lines.length) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'A line is named twice' });
  });
export type OrderRefundInput = z.infer<typeof orderRefundInput>;

export const orderTenderInput = z.strictObject({
  orderId: z.uuid(),
  /** Cash taken at the counter (card payments go through the provider). */
  method: z.literal('cash'),
  amountMinor: positiveMinorUnits,
  idempotencyKey: idempotencyKeySchema,
});
export type OrderTenderInput = z.infer<typeof orderTenderInput>;

export const orderPaymentsInput = z.strictObject({ orderId: z.uuid() });

/**
 * What refunding some lines gives back: their sold totals plus their share of the order's tax,
 * `tax × lines ÷ subtotal` rounded half up to the minor unit, in integers. The tip is never
 * part of a line refund (refund it by amount). Refunding every line gives back subtotal + tax exactly.
 */
export function linesRefundMinor(lineTotals: readonly number[], subtotalMinor: number, taxMinor: number): number {
  const lines = lineTotals.reduce((sum, n) => sum + n, 0);
  if (subtotalMinor <= 0) return lines;
  const taxShare = (BigInt(taxMinor) * BigInt(lines) * 2n + BigInt(subtotalMinor)) / (2n * BigInt(subtotalMinor));
  return lines + Number(taxShare);
}
