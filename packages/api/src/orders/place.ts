import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { minuteToClock, localWeekdayAndMinute, placeInput, priceCart, type PlaceInput, type PricedCart } from '@bistro/domain';
import type { Context } from '../context.js';
import type { DataKeys } from '../crypto/data-keys.js';
import { BistroError, notFound } from '../errors.js';
import { applyMovement } from '../inventory/stock.js';
import { fetchMenu } from '../menu/queries.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { publicProcedure } from '../trpc.js';
import { pricingMenu, problemError } from './cart.js';
import { announceOrderEvents, recordOrderChange } from './events.js';
import { isOpenAt, isSlotBoundary, slotOf } from './opening.js';
import { newTrackingToken } from './tracking.js';

/** Idempotency keys are kept this long (the contract promises at least 24 h), then swept now and then. */
const KEY_RETENTION_HOURS = 48;
/** How far ahead a wanted-at time may be. */
const MAX_DAYS_AHEAD = 30;
const MAX_INT4 = 2_147_483_647;

export interface PlacedOrder {
  id: string;
  /** The daily number the counter calls out: "#A-042". */
  number: string;
  status: 'placed';
  totalMinor: number;
  currency: string;
  /** The guest's secret for following the order (orders.track, orders.onStatus). */
  trackingToken: string;
}

/** What the idempotency row keeps: the answer, with the tracking token sealed (it is a secret). */
interface StoredAnswer extends Omit<PlacedOrder, 'trackingToken'> {
  trackingTokenSealed: string;
}

/** JSON with object keys sorted, so equal requests hash equally whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Whose keys a key lives among. A signed-in caller's are theirs. A guest has no account, so
 * their keys are scoped by the contact they give: a retry carries the same contact (it is the
 * same request), whatever network it comes from; the client's IP is deliberately not part of
 * it, since a retry after switching from Wi-Fi to mobile data is exactly what idempotency is for.
 * Two guests never share a scope unless they give the same contact details, and even then a
 * stored answer is only handed to a request identical in every field (the request hash).
 */
function keyScope(ctx: Context, contact: PlaceInput['contact']): string {
  if (ctx.auth) return `user:${ctx.auth.user.id}`;
  return `guest:${sha256(canonical(contact)).toString('base64url')}`;
}

function trackingAad(orderId: string): string {
  return `idempotency_keys.tracking_token:${orderId}`;
}

function requireDataKeys(ctx: Context): DataKeys {
  // Personal data is never stored in the clear: without keys, nothing is placed.
  if (!ctx.services.dataKeys) throw new Error('Data keys are not configured (BISTRO_DATA_KEYS)');
  return ctx.services.dataKeys;
}

/**
 * Stock each ingredient gives for the cart, the first thing (item, or option on an item) that
 * needs it, and the portion sizes of every recipe using it (to tell when taking stock changes
 * what the menu shows). Read before any lock is taken.
 */
async function stockNeeded(db: Kysely<DB>, priced: PricedCart) {
  const itemIds = [...new Set(priced.lines.map((l) => l.itemId))];
  const optionIds = [...new Set(priced.lines.flatMap((l) => l.options.map((o) => o.optionId)))];
  const recipe = await db
    .selectFrom('recipe_lines')
    .select(['item_id', 'option_id', 'ingredient_id', 'quantity'])
    .where('ingredient_id', 'in', (eb) =>
      eb
        .selectFrom('recipe_lines')
        .select('ingredient_id')
        .where((w) => w.or([w('item_id', 'in', itemIds), ...(optionIds.length ? [w('option_id', 'in', optionIds)] : [])])),
    )
    .execute();
  const portions = new Map<string, number[]>();
  for (const r of recipe) portions.set(r.ingredient_id, [...(portions.get(r.ingredient_id) ?? []), r.quantity]);
  const needs = new Map<string, { amount: number; lineIndex: number; what: string }>();
  const add = (ingredientId: string, amount: number, lineIndex: number, what: string) => {
    const need = needs.get(ingredientId);
    if (need) need.amount += amount;
    else needs.set(ingredientId, { amount, lineIndex, what });
  };
  for (const line of priced.lines) {
    for (const r of recipe) if (r.item_id === line.itemId) add(r.ingredient_id, r.quantity * line.quantity, line.lineIndex, `“${line.name}”`);
    for (const option of line.options) {
      for (const r of recipe) {
        if (r.option_id === option.optionId) add(r.ingredient_id, r.quantity * line.quantity, line.lineIndex, `“${line.name}” with “${option.name}”`);
      }
    }
  }
  // Always in the same order (by ingredient id), so two orders taking the same ingredients can't deadlock.
  return [...needs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ingredientId, need]) => ({ ingredientId, ...need, portions: portions.get(ingredientId) ?? [] }));
}

function wantedAtInvalid(message: string): BistroError {
  return new BistroError('WANTED_AT_INVALID', message, { fieldErrors: { wantedAt: [message] } });
}

/**
 * Places an order, in ONE transaction: the idempotency key first (a retry waits for the first
 * attempt and answers what it answered), then the location open at the wanted time, the cart
 * priced by the same function as the quote from the menu as this transaction reads it, the
 * slot's capacity under a lock, the daily number, the stock taken for every ingredient of
 * every line and option by conditional updates (never below zero), the order and its lines as
 * sold, the first history row and event. Any refusal rolls all of it back.
 */
export const place = publicProcedure.input(placeInput).mutation(async ({ ctx, input }) => {
  const keys = requireDataKeys(ctx);
  if (!ctx.auth && input.type !== 'pickup') throw new BistroError('UNAUTHORIZED', 'Sign in to order for dine-in or delivery; guests may order pickup');
  const now = ctx.now();
  const actorUserId = ctx.auth?.user.id ?? null;
  const scope = keyScope(ctx, input.contact);
  const { idempotencyKey, ...request } = input;
  const requestHash = sha256(canonical(request));

  // Guests are counted per IP, signed-in customers per account; a retry never counts twice. A key
  // already answered is not counted (it places nothing); a retry racing its first attempt is
  // counted here and gives its point back once it turns out to be a replay (below).
  const known = await ctx.db.selectFrom('idempotency_keys').select('key').where('scope', '=', scope).where('key', '=', idempotencyKey).executeTakeFirst();
  const throttle = known
    ? null
    : ctx.auth
      ? ({ name: 'placeUser', key: ctx.auth.user.id } as const)
      : ({ name: 'placeIp', key: ctx.request.ip ?? 'unknown' } as const);
  if (throttle) await ctx.services.limiter.hit(throttle.name, throttle.key);

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    // A concurrent attempt with the same key waits here until the first commits (or rolls back).
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({ scope, key: idempotencyKey, request_hash: requestHash, created_at: now })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const first = await trx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'response'])
        .where('scope', '=', scope)
        .where('key', '=', idempotencyKey)
        .executeTakeFirst();
      if (!first?.response) throw new Error('Idempotency key row without an answer');
      if (!first.request_hash.equals(requestHash)) {
        throw new BistroError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different order; use a fresh key for a new order');
      }
      return { kind: 'replay' as const, stored: first.response as unknown as StoredAnswer };
    }

    const location = await trx
      .selectFrom('locations')
      .select(['id', 'name', 'time_zone', 'accepting_orders', 'prep_minutes', 'slot_capacity', 'order_prefix'])
      .where('slug', '=', input.locationSlug)
      .executeTakeFirst();
    if (!location) throw notFound('Location');
    const where = { id: location.id, timeZone: location.time_zone };
    if (!location.accepting_orders) throw new BistroError('LOCATION_CLOSED', `${location.name} is not taking orders right now`);

    const earliest = new Date(now.getTime() + location.prep_minutes * 60_000);
    let slotStart: Date;
    if (input.wantedAt) {
      const wanted = input.wantedAt;
      if (!isSlotBoundary(wanted)) throw wantedAtInvalid('Choose one of the 15-minute slots');
      if (wanted < earliest) {
        const from = minuteToClock(localWeekdayAndMinute(location.time_zone, slotOf(new Date(earliest.getTime() + 15 * 60_000 - 1))).minute);
        throw wantedAtInvalid(`The kitchen needs ${location.prep_minutes} minutes: choose ${from} or later`);
      }
      if (wanted.getTime() > now.getTime() + MAX_DAYS_AHEAD * 86_400_000) throw wantedAtInvalid(`Orders can be placed at most ${MAX_DAYS_AHEAD} days ahead`);
      if (!(await isOpenAt(trx, where, wanted))) throw new BistroError('LOCATION_CLOSED', `${location.name} is closed at that time`, { fieldErrors: { wantedAt: ['Closed at that time'] } });
      slotStart = wanted;
    } else {
      if (!(await isOpenAt(trx, where, now))) throw new BistroError('LOCATION_CLOSED', `${location.name} is closed now`);
      // As soon as possible counts against the slot it will be ready in.
      slotStart = slotOf(earliest);
    }

    // Priced from the menu as this transaction reads it (never the cache): availability included.
    const menu = await fetchMenu(trx, input.locationSlug, now);
    if (!menu) throw notFound('Location');
    const priced = priceCart(pricingMenu(menu.currency, menu.taxRateBp, menu.categories), { lines: input.lines, tip: input.tip });
    const problem = priced.problems[0];
    if (problem) throw problemError(problem);

    const needs = await stockNeeded(trx, priced);

    // One order at a time counts a slot: held until commit, so the count includes every order before it.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`orders.slot:${location.id}:${slotStart.toISOString()}`}, 0))`.execute(trx);
    const inSlot = await trx
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('location_id', '=', location.id)
      .where('slot_start', '=', slotStart)
      .where('status', '<>', 'cancelled')
      .executeTakeFirstOrThrow();
    if (Number(inSlot.n) >= location.slot_capacity) {
      throw new BistroError('SLOT_FULL', 'That time is fully booked; choose another', { fieldErrors: { wantedAt: ['Fully booked'] } });
    }

    // The daily number, restarting at the location's local midnight.
    const numbered = await sql<{ last_number: number; local_date: string }>`
      insert into order_numbers (location_id, local_date, last_number)
      values (${location.id}, (${now}::timestamptz at time zone ${location.time_zone})::date, 1)
      on conflict (location_id, local_date) do update set last_number = order_numbers.last_number + 1
      returning last_number, local_date::text as local_date`.execute(trx);
    const { last_number: number, local_date: localDate } = numbered.rows[0]!;
    const displayNumber = `#${location.order_prefix}-${String(number).padStart(3, '0')}`;

    const orderId = randomUUID();
    const tracking = newTrackingToken(orderId);
    const { contact } = input;
    await trx
      .insertInto('orders')
      .values({
        id: orderId,
        location_id: location.id,
        customer_user_id: actorUserId,
        local_date: localDate,
        number,
        display_number: displayNumber,
        status: 'placed',
        type: input.type,
        table_label: input.table ?? null,
        wanted_at: input.wantedAt ?? null,
        slot_start: slotStart,
        contact_name: contact.name,
        contact_phone_enc: contact.phone ? keys.encrypt(contact.phone, `orders.contact_phone:${orderId}`) : null,
        contact_email_enc: contact.email ? keys.encrypt(contact.email, `orders.contact_email:${orderId}`) : null,
        delivery_address_enc: contact.address ? keys.encrypt(contact.address, `orders.delivery_address:${orderId}`) : null,
        currency: priced.currency,
        subtotal_minor: priced.subtotalMinor,
        tax_minor: priced.taxMinor,
        tip_minor: priced.tipMinor,
        total_minor: priced.totalMinor,
        tracking_secret_hash: tracking.secretHash,
        created_at: now,
        updated_at: now,
      })
      .execute();

    // Stock for every ingredient of every line and option; the conditional UPDATE decides, not a read.
    // Whether a recipe's threshold was crossed (on hand fell below one portion): then what the
    // menu shows may have changed. Most orders cross none, and leave the menu version alone.
    let touched = false;
    for (const need of needs) {
      const applied =
        need.amount <= MAX_INT4
          ? await applyMovement(trx, {
              ingredientId: need.ingredientId,
              locationId: location.id,
              delta: -need.amount,
              reason: 'sale',
              note: `Order ${displayNumber}`,
              actorUserId,
              orderId,
              at: now,
            })
          : null;
      if (!applied) {
        const message = `${need.what} is sold out`;
        throw new BistroError('SOLD_OUT', message, { fieldErrors: { [`lines.${need.lineIndex}`]: [message] } });
      }
      if (need.portions.some((portion) => applied.onHand < portion && portion <= applied.onHand + need.amount)) touched = true;
    }

    await trx
      .insertInto('order_lines')
      .values(
        priced.lines.map((line) => ({
          order_id: orderId,
          line_index: line.lineIndex,
          item_id: line.itemId,
          name: line.name,
          quantity: line.quantity,
          unit_price_minor: line.unitPriceMinor,
          line_total_minor: line.lineTotalMinor,
          options: JSON.stringify(line.options),
          note: line.note,
        })),
      )
      .execute();

    if (touched) await touchMenu(trx, location.id);

    const answer: PlacedOrder = {
      id: orderId,
      number: displayNumber,
      status: 'placed',
      totalMinor: priced.totalMinor,
      currency: priced.currency,
      trackingToken: tracking.token,
    };
    const { trackingToken, ...rest } = answer;
    const stored: StoredAnswer = { ...rest, trackingTokenSealed: keys.encrypt(trackingToken, trackingAad(orderId)).toString('base64') };
    await trx
      .updateTable('idempotency_keys')
      .set({ order_id: orderId, response: JSON.stringify(stored) })
      .where('scope', '=', scope)
      .where('key', '=', idempotencyKey)
      .execute();
    // Last: it takes the location's event lock, held until commit (events commit in id order).
    await recordOrderChange(trx, {
      orderId,
      locationId: location.id,
      from: null,
      to: 'placed',
      action: 'place',
      actor: 'orderer',
      actorUserId,
      at: now,
    });
    return { kind: 'placed' as const, answer, locationId: location.id, touched };
  });

  if (outcome.kind === 'replay') {
    if (throttle) await ctx.services.limiter.refund(throttle.name, throttle.key);
    // Field by field: jsonb keeps its own key order, and a replay must read exactly like the first answer.
    const { stored } = outcome;
    return {
      id: stored.id,
      number: stored.number,
      status: stored.status,
      totalMinor: stored.totalMinor,
      currency: stored.currency,
      trackingToken: keys.decrypt(Buffer.from(stored.trackingTokenSealed, 'base64'), trackingAad(stored.id)),
    } satisfies PlacedOrder;
  }
  announceOrderEvents(ctx, outcome.locationId);
  if (outcome.touched) menuChanged(ctx, outcome.locationId);
  // Now and then, forget keys old enough that no client still retries with them.
  if (Math.random() < 0.01) {
    await ctx.db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', new Date(now.getTime() - KEY_RETENTION_HOURS * 3_600_000))
      .execute()
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'sweeping old idempotency keys failed'));
  }
  return outcome.answer;
});
