import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { executeNamed, type DB } from '@bistro/db';
import { closuresSince, localDate, placeInput, priceCart, type PlaceInput, type PricingPromo } from '@bistro/domain';
import { promoQuery, promoRefusal } from '../promos/queries.js';
import type { Context } from '../context.js';
import type { DataKeys } from '../crypto/data-keys.js';
import { emailsEnqueued, enqueueOrderEmail } from '../emails/task.js';
import { BistroError, notFound } from '../errors.js';
import { menuChanged } from '../menu/version.js';
import { startPayment } from '../payments/start.js';
import { placeOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';
import { pricingMenu, problemError } from './cart.js';
import { cartForPricing, cartQuery, stockNeeded, type CartRow } from './cart-read.js';
import { announceOrderEvents } from './events.js';
import { claimKey, keyOf, replay, sealTrackingToken, type KeyClaim, type PlacedOrder } from './idempotency.js';
import { takeAndWrite, type OrderPlan } from './place-write.js';
import { checkTimeAndSlot, kitchenReleaseAt, locationQuery, type OrderingLocation } from './schedule.js';
import { newTrackingToken } from './tracking.js';

export type { PlacedOrder } from './idempotency.js';

const MAX_INT4 = 2_147_483_647;
/** Plans made again when the menu changed between pricing and writing, before giving up. */
const MAX_ATTEMPTS = 5;

function requireDataKeys(ctx: Context): DataKeys {
  // Personal data is never stored in the clear: without keys, nothing is placed.
  if (!ctx.services.dataKeys) throw new Error('Data keys are not configured (BISTRO_DATA_KEYS)');
  return ctx.services.dataKeys;
}

/** The plan changed under us (the menu or the location moved on): make it again. */
class StalePlan extends Error {}

/** What placing reads before its transaction: whether the key is known, the location, the cart's part of the menu. */
interface PlacingReads {
  keyKnown: boolean;
  location: OrderingLocation | null;
  cart: CartRow | null;
  /** The discount code typed, as found at the location (null: none typed, or no such code). */
  promo: PricingPromo | null;
}

/** Everything orders.place reads before its transaction, in ONE statement. */
async function readForPlacing(db: Kysely<DB>, input: PlaceInput, claim: KeyClaim, now: Date): Promise<PlacingReads> {
  const locationId = sql`(select id from locations where slug = ${input.locationSlug})`;
  // By name (planned once per connection): the same text on every call, the promo part aside.
  const { rows } = await executeNamed(db, sql<PlacingReads>`select
      exists (select 1 from idempotency_keys where scope = ${claim.scope} and key = ${claim.key}) as "keyKnown",
      (select row_to_json(l) from (${locationQuery(input.locationSlug, closuresSince(now))}) l) as location,
      (select row_to_json(c) from (${cartQuery(locationId, input.lines)}) c) as cart,
      ${input.promoCode ? sql`(select row_to_json(p) from (${promoQuery(locationId, input.promoCode, claim.scope)}) p)` : sql`null::json`} as promo`);
  return rows[0]!;
}

/**
 * Everything that needs no lock, before the transaction, from what `readForPlacing` read: the
 * location open at the time (the domain's `isOpenAt`) and the slot, the cart priced by the
 * domain's `priceCart`, the stock to take, the contact sealed, the tracking token made. A
 * refusal is returned, not thrown: a retry of an answered key must still get its answer (the
 * key is claimed first).
 */
function planOrder(ctx: Context, keys: DataKeys, input: PlaceInput, claim: KeyClaim, now: Date, reads: PlacingReads): OrderPlan | BistroError {
  try {
    const { location } = reads;
    if (!location || !reads.cart) throw notFound('Location');
    // A key orders for its own location only; any other is as unknown to it as a missing one.
    if (ctx.auth?.apiKey && ctx.auth.apiKey.locationId !== location.id) throw notFound('Location');
    const slotStart = checkTimeAndSlot(location, input.wantedAt, now);

    const cart = cartForPricing(reads.cart);
    const promo = input.promoCode ? { code: input.promoCode, promo: reads.promo, today: localDate(location.timeZone, now) } : undefined;
    const priced = priceCart(pricingMenu(location.currency, location.taxRateBp, [{ items: [...cart.items.values()] }]), { lines: input.lines, tip: input.tip, promo });
    const problem = priced.problems[0];
    if (problem) throw problemError(problem);
    if (priced.promoProblem) throw promoRefusal(priced.promoProblem);
    const needs = stockNeeded(priced.lines, cart.recipes);
    const tooMuch = needs.find((need) => need.amount > MAX_INT4);
    if (tooMuch) throw soldOut(tooMuch);

    const online = onlineTender(ctx, input, priced.totalMinor);
    const orderId = randomUUID();
    const tracking = newTrackingToken(orderId);
    const { contact } = input;
    return {
      orderId,
      location,
      slotStart,
      localDate: localDate(location.timeZone, now),
      // An order placed with an API key belongs to no customer (not to the key's creator).
      customerUserId: ctx.auth && !ctx.auth.apiKey ? ctx.auth.user.id : null,
      type: input.type,
      table: input.table ?? null,
      wantedAt: input.wantedAt ?? null,
      kitchenAt: kitchenReleaseAt(input.wantedAt ?? null, location.prepMinutes, now),
      contactName: contact.name,
      phoneSealed: contact.phone ? keys.encrypt(contact.phone, `orders.contact_phone:${orderId}`) : null,
      emailSealed: contact.email ? keys.encrypt(contact.email, `orders.contact_email:${orderId}`) : null,
      addressSealed: contact.address ? keys.encrypt(contact.address, `orders.delivery_address:${orderId}`) : null,
      priced,
      needs,
      trackingSecretHash: tracking.secretHash,
      trackingToken: tracking.token,
      trackingTokenSealed: sealTrackingToken(keys, orderId, tracking.token),
      key: { scope: claim.scope, key: claim.key },
      now,
      online,
    };
  } catch (error) {
    if (error instanceof BistroError) return error;
    throw error;
  }
}

/** The online tender an order paid online starts with: the provider configured, the whole total or the part this card pays. */
function onlineTender(ctx: Context, input: PlaceInput, totalMinor: number): OrderPlan['online'] {
  if (input.payment !== 'online') return null;
  const provider = ctx.services.payments?.provider;
  if (!provider) throw new BistroError('INVALID_INPUT', 'Online payment is not available here; pay at the counter', { fieldErrors: { payment: ['Not available'] } });
  const amountMinor = input.paymentAmountMinor ?? totalMinor;
  if (amountMinor > totalMinor) throw new BistroError('INVALID_INPUT', 'The card would pay more than the total', { fieldErrors: { paymentAmountMinor: ['More than the total'] } });
  return { tenderId: randomUUID(), method: provider.name, amountMinor };
}

function soldOut(need: { what: string; lineIndex: number }): BistroError {
  const message = `${need.what} is sold out`;
  return new BistroError('SOLD_OUT', message, { fieldErrors: { [`lines.${need.lineIndex}`]: [message] } });
}

/**
 * Places an order. Before the transaction: read and plan it (readForPlacing, planOrder: check,
 * price, seal). Then a transaction of two statements: claim the key (a retry waits for the first
 * attempt and answers what it answered), then ONE statement (takeAndWrite) that locks the slot
 * and counts it, re-checks the plan still holds (the menu's version), take the stock (conditional updates, never below
 * zero) and the daily number, write the order, its lines, ledger, history and event, and store
 * the answer; then commit. The contended rows are locked only for the rest of that statement and
 * the commit. Any refusal rolls all
 * of it back; a plan gone stale (the menu changed meanwhile) is made again.
 */
export const place = publicProcedure
  .meta({ scope: 'orders:write', openapi: { method: 'POST', path: '/locations/{locationSlug}/orders', tags: ['orders'], protect: false, summary: 'Place an order (idempotent by idempotencyKey)' } })
  .input(placeInput)
  .output(placeOutput)
  .mutation(async ({ ctx, input }) => {
  const keys = requireDataKeys(ctx);
  if (!ctx.auth && input.type !== 'pickup') throw new BistroError('UNAUTHORIZED', 'Sign in to order for dine-in or delivery; guests may order pickup');
  const now = ctx.now();
  const claim = keyOf(ctx, input);

  // Guests are counted per IP, signed-in customers per account; a retry never counts twice. A key
  // already answered is not counted (it places nothing); a retry racing its first attempt is
  // counted here and gives its point back once it turns out to be a replay (below).
  let reads = await readForPlacing(ctx.db, input, claim, now);
  // An API key (a POS, an aggregator) is counted by its own limit, per call (trpc.ts), not here.
  const throttle = reads.keyKnown || ctx.auth?.apiKey
    ? null
    : ctx.auth
      ? ({ name: 'placeUser', key: ctx.auth.user.id } as const)
      : ({ name: 'placeIp', key: ctx.request.ip ?? 'unknown' } as const);
  if (throttle) await ctx.services.limiter.hit(throttle.name, throttle.key);

  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) reads = await readForPlacing(ctx.db, input, claim, now);
    const plan = planOrder(ctx, keys, input, claim, now, reads);
    try {
      const outcome = await ctx.db.transaction().execute(async (trx) => {
        // A retry of an answered key gets its answer, whatever has changed since; a refusal only for a new key.
        if (!(await claimKey(trx, claim, now))) return { kind: 'replay' as const, answer: await replay(trx, keys, claim) };
        if (plan instanceof BistroError) throw plan;
        // Enqueued before the contended statement, so it holds its locks no longer; it commits or
        // rolls back with the order (the outbox).
        // An order paid online is confirmed when its payment is (applyStatusChange, pending_payment → placed).
        if (plan.emailSealed && !plan.online) await enqueueOrderEmail(ctx, trx, 'order_confirmation', plan.orderId);
        const written = await takeAndWrite(trx, plan);
        if (!written.fresh) throw new StalePlan();
        if (!written.slotOk) throw new BistroError('SLOT_FULL', 'That time is fully booked; choose another', { fieldErrors: { wantedAt: ['Fully booked'] } });
        const short = plan.needs.find((need) => !written.taken.some((t) => t.id === need.ingredientId));
        if (short) throw soldOut(short);
        // The code's last use went to someone else between the read and this statement.
        if (!written.promoOk) throw promoRefusal({ code: 'PROMO_EXHAUSTED', message: 'This code has been used up' });
        if (written.displayNumber === null) throw new Error('orders.place wrote no order although every check passed');
        return { kind: 'placed' as const, plan, written };
      });
      if (outcome.kind === 'replay') {
        if (throttle) await ctx.services.limiter.refund(throttle.name, throttle.key);
        const { tenderId, ...answer } = outcome.answer;
        return { ...answer, payment: tenderId ? await startPayment(ctx, keys, tenderId) : null } satisfies PlacedOrder;
      }
      const { plan: placed, written } = outcome;
      if (placed.emailSealed) emailsEnqueued(ctx);
      announceOrderEvents(ctx, placed.location.id);
      if (written.touched) menuChanged(ctx, placed.location.id);
      // The provider is asked only now, after commit: no network call holds the order's locks.
      const payment = placed.online ? await startPayment(ctx, keys, placed.online.tenderId) : null;
      return {
        id: placed.orderId,
        number: written.displayNumber!,
        status: placed.online ? 'pending_payment' : 'placed',
        totalMinor: placed.priced.totalMinor,
        currency: placed.priced.currency,
        trackingToken: placed.trackingToken,
        payment,
      } satisfies PlacedOrder;
    } catch (error) {
      if (error instanceof StalePlan && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
  }
});
