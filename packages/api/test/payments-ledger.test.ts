import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { isPaid, ledgerEffect, linesRefundMinor } from '@bistro/domain';
import { InProcessBus, SandboxProvider } from '../src/index.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { kitchenLocation, pickupOrder, type KitchenFixture } from './kitchen-fixtures.js';
import { outcome } from './procedures.js';

/**
 * The payments ledger, on real PostgreSQL: for random sequences of captures (cash tenders at the
 * counter, some more than is owed) and refunds (by amount, some more than is left), the ledger's
 * net is always captured − refunded, never negative, a refused step leaves nothing, and the order
 * reads as paid exactly when its captures reached the total.
 */
let tdb: TestDatabase;
let here: KitchenFixture;
let manager: TestUser;
const sandbox = new SandboxProvider({ secret: randomBytes(32), now: () => new Date(), deliver: async () => {} });
const services = testServices({ bus: new InProcessBus(), payments: { provider: sandbox, timeoutMinutes: 15 } });
let ips = 0;
const as = (user: TestUser | null) => callerFor(tdb.db, { token: user?.token ?? null, services, ip: `2001:db8:15::${(ips += 1).toString(16)}` });

beforeAll(async () => {
  tdb = await createTestDatabase();
  here = await kitchenLocation(tdb.db, { soup: 100_000, patty: 100_000, cheese: 100_000 });
  manager = await createUser(tdb.db, { roles: [{ locationId: here.locationId, role: 'manager' }] });
});
afterAll(() => tdb?.drop());

type Step = { kind: 'capture'; share: number } | { kind: 'refund'; share: number };

describe('the payments ledger', () => {
  it('net = captured − refunded, never negative, and matches the order’s paid state, for random captures and refunds', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('capture' as const), share: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ kind: fc.constant('refund' as const), share: fc.integer({ min: 1, max: 120 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps: Step[]) => {
        // Paid at the counter: every capture here is a cash tender, refused past what is owed.
        const placed = await as(null).orders.place(pickupOrder(here));
        let captured = 0;
        let refunded = 0;
        for (const s of steps) {
          const amountMinor = Math.max(1, Math.floor((placed.totalMinor * s.share) / 100));
          if (s.kind === 'capture') {
            const result = await outcome(as(manager).orders.tender({ orderId: placed.id, method: 'cash', amountMinor, idempotencyKey: randomUUID() }));
            if (result.ok) captured += amountMinor;
            else {
              expect(result.data.bistroCode).toBe('TENDER_REFUSED');
              expect(amountMinor).toBeGreaterThan(placed.totalMinor - captured);
            }
          } else {
            const result = await outcome(as(manager).orders.refund({ orderId: placed.id, amountMinor, reason: 'property', idempotencyKey: randomUUID() }));
            if (result.ok) refunded += amountMinor;
            else {
              expect(['REFUND_EXCEEDS_CAPTURED', 'NOTHING_TO_REFUND']).toContain(result.data.bistroCode);
              expect(amountMinor).toBeGreaterThan(captured - refunded);
            }
          }
          const money = await as(manager).orders.payments({ orderId: placed.id });
          const fromLedger = money.ledger.reduce((sum, row) => sum + ledgerEffect(row.kind, row.amountMinor), 0);
          expect(money.capturedMinor).toBe(captured);
          expect(money.refundedMinor).toBe(refunded);
          expect(fromLedger).toBe(captured - refunded);
          expect(money.netMinor).toBe(fromLedger);
          expect(fromLedger).toBeGreaterThanOrEqual(0);
          expect(money.paid).toBe(isPaid(captured, placed.totalMinor));
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('a refund by lines', () => {
  it('gives back the lines and their share of the tax, rounded half up; all lines give back subtotal + tax exactly', () => {
    expect(linesRefundMinor([1000], 2000, 200)).toBe(1100);
    expect(linesRefundMinor([333], 1000, 85)).toBe(333 + 28); // 28.305 → 28
    expect(linesRefundMinor([500], 1000, 85)).toBe(500 + 43); // 42.5 → 43 (half up)
    expect(linesRefundMinor([0], 0, 0)).toBe(0);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 3000 }), (lines, rateBp) => {
        const subtotal = lines.reduce((a, b) => a + b, 0);
        const tax = Math.round((subtotal * rateBp) / 10_000);
        expect(linesRefundMinor(lines, subtotal, tax)).toBe(subtotal + tax);
        for (const line of lines) {
          const part = linesRefundMinor([line], subtotal, tax);
          expect(part).toBeGreaterThanOrEqual(line);
          expect(part).toBeLessThanOrEqual(line + tax);
        }
      }),
    );
  });
});
