import { sql, type Kysely, type RawBuilder } from 'kysely';
import { executeNamed, type DB } from '@bistro/db';
import type { OrderType, PricedCart } from '@bistro/domain';
import type { StockNeed } from './cart-read.js';
import { eventLockKey, eventType } from './events.js';

/** Everything the contended writes need, prepared (priced, encrypted, hashed) before the transaction. */
export interface OrderPlan {
  orderId: string;
  location: { id: string; timeZone: string; prepMinutes: number; slotCapacity: number; orderPrefix: string; menuVersion: string };
  slotStart: Date;
  /** The local calendar day the daily number counts in. */
  localDate: string;
  customerUserId: string | null;
  type: OrderType;
  table: string | null;
  wantedAt: Date | null;
  /** When the kitchen gets it (`kitchenReleaseAt`): null for at once. */
  kitchenAt: Date | null;
  contactName: string;
  phoneSealed: Buffer | null;
  emailSealed: Buffer | null;
  addressSealed: Buffer | null;
  priced: PricedCart;
  needs: StockNeed[];
  trackingSecretHash: Buffer;
  /** The guest's tracking token: answered, never stored in the clear. */
  trackingToken: string;
  /** The stored answer's sealed tracking token. */
  trackingTokenSealed: string;
  key: { scope: string; key: string };
  now: Date;
  /** Paid online: the order waits in pending_payment (the kitchen does not see it) with this tender, until the provider says it was paid. */
  online: { tenderId: string; method: 'sandbox' | 'stripe'; amountMinor: number } | null;
}

/** The status a new order starts in: paid at the counter, the kitchen sees it at once; online, it waits for its payment. */
function firstStatus(plan: OrderPlan): 'placed' | 'pending_payment' {
  return plan.online ? 'pending_payment' : 'placed';
}

export interface Written {
  /** False when the location changed since the plan was made (menu, hours, capacity …): plan again. */
  fresh: boolean;
  /** False when the slot is full. */
  slotOk: boolean;
  /** Ingredients whose stock was taken, with what is left. */
  taken: { id: string; onHand: number }[];
  /** The daily number, as shown ("#A-042"); null when nothing was written. */
  displayNumber: string | null;
  /** Whether taking stock changed what the menu shows (its version was bumped). */
  touched: boolean;
  /** False when the discount code had no use left (in total or for this customer) once its row was locked. */
  promoOk: boolean;
}

// The steps below are parts of ONE statement, the only one after the key's claim: the contended
// rows (the slot, stock, the daily number, the menu version, the event lock) are locked inside
// it and held only for the rest of it and the commit that follows. Each part runs only if the
// one before it succeeded; the caller reads what happened and rolls back on any refusal.

/** The location as the plan read it (what menu_version does not cover: taking orders, time zone, prep, capacity, prefix). */
function checkLocation(plan: OrderPlan): RawBuilder<unknown> {
  const l = plan.location;
  return sql`select l.accepting_orders and l.time_zone = ${l.timeZone} and l.prep_minutes = ${l.prepMinutes}
      and l.slot_capacity = ${l.slotCapacity} and l.order_prefix = ${l.orderPrefix} as ok
    from locations l where l.id = ${l.id}`;
}

/**
 * The slot's lock, then (lock_order_slot reads with a fresh snapshot,
 * after the lock) room in the slot counting every order before this one, and the plan still
 * priced at the menu's current version (any menu change bumps it: 86, prices, archiving …).
 */
function reserveSlot(plan: OrderPlan): RawBuilder<unknown> {
  const lockKey = `orders.slot:${plan.location.id}:${plan.slotStart.toISOString()}`;
  return sql`select s.menu_version = ${plan.location.menuVersion}::bigint as fresh,
      s.menu_version = ${plan.location.menuVersion}::bigint and (select ok from location) and s.taken < ${plan.location.slotCapacity} as ok
    from lock_order_slot(${lockKey}, ${plan.location.id}::uuid, ${plan.slotStart}::timestamptz) s`;
}

/** Stock for every ingredient, locked in id order, then taken only where enough is on hand (never below zero). */
function takeStock(plan: OrderPlan): { needs: RawBuilder<unknown>; locked: RawBuilder<unknown>; taken: RawBuilder<unknown> } {
  const ids = plan.needs.map((n) => n.ingredientId);
  const amounts = plan.needs.map((n) => n.amount);
  return {
    needs: sql`select * from unnest(${ids}::uuid[], ${amounts}::bigint[]) as t(id, amount)`,
    locked: sql`select n.id from ingredients n where n.id = any(${ids}::uuid[]) and (select ok from slot) order by n.id for update`,
    taken: sql`update ingredients n set on_hand = n.on_hand - needs.amount from locked, needs
      where n.id = locked.id and needs.id = locked.id and n.location_id = ${plan.location.id} and n.on_hand >= needs.amount
      returning n.id, n.on_hand`,
  };
}

/**
 * The discount code's use, taken like stock: a conditional UPDATE of its `uses`, under its row
 * lock (a contended lock, so late in the statement, after the slot and the stock), and only if a
 * use is left in total and for this customer. Then the redemption row, once the order is written.
 */
function redeemPromo(plan: OrderPlan): { redeem: RawBuilder<unknown>; redemption: RawBuilder<unknown> } {
  const code = plan.priced.promoCode;
  return {
    redeem: sql`update promo_codes p set uses = p.uses + 1
      where p.code = ${code} and ${code !== null} and (select ok from slot) and (select count(*) from taken) = ${plan.needs.length}
        and p.active and (p.location_id = ${plan.location.id} or p.location_id is null)
        and (p.max_uses is null or p.uses < p.max_uses)
        and (p.max_uses_per_customer is null
          or (select count(*) from promo_redemptions r where r.promo_id = p.id and r.customer_key = ${plan.key.scope}) < p.max_uses_per_customer)
      returning p.id`,
    redemption: sql`insert into promo_redemptions (promo_id, order_id, customer_key, discount_minor, at)
      select redeem.id, ord.id, ${plan.key.scope}, ${plan.priced.discountMinor}::bigint, ${plan.now}::timestamptz from redeem, ord`,
  };
}

/**
 * One customer's uses of one code, one order at a time. The code's row lock (in `redeem`) makes
 * its total limit exact, but the per-customer count is a subquery over `promo_redemptions`, read
 * with the statement's snapshot: two orders of the same customer racing would both count the uses
 * before either committed. This transaction-scoped lock, taken before the statement (so its
 * snapshot starts after the previous holder committed), lets one such order through at a time.
 * Other customers and orders without a code never wait on it.
 */
async function lockCustomerUses(trx: Kysely<DB>, code: string, customerKey: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`promo-customer:${code}:${customerKey}`}, 0))`.execute(trx);
}

/** The next daily number, only once the slot and every ingredient are secured (it rolls back with the rest: no gaps). */
function takeNumber(plan: OrderPlan): RawBuilder<unknown> {
  return sql`insert into order_numbers (location_id, local_date, last_number)
    select ${plan.location.id}, ${plan.localDate}::date, 1
    where (select ok from slot) and (select count(*) from taken) = ${plan.needs.length}
      and (${plan.priced.promoCode === null} or exists (select 1 from redeem))
    on conflict (location_id, local_date) do update set last_number = order_numbers.last_number + 1
    returning last_number, '#' || ${plan.location.orderPrefix}::text || '-' || lpad(last_number::text, greatest(3, length(last_number::text)), '0') as display`;
}

/** The order, its lines as sold, the ledger rows of the stock taken, its first history row. */
function writeOrder(plan: OrderPlan): { order: RawBuilder<unknown>; lines: RawBuilder<unknown>; movements: RawBuilder<unknown>; history: RawBuilder<unknown> } {
  const { priced } = plan;
  const lines = priced.lines.map((line) => ({
    line_index: line.lineIndex,
    item_id: line.itemId,
    name: line.name,
    quantity: line.quantity,
    unit_price_minor: line.unitPriceMinor,
    line_total_minor: line.lineTotalMinor,
    options: line.options,
    note: line.note,
  }));
  return {
    order: sql`insert into orders (id, location_id, customer_user_id, local_date, number, display_number, status, type, table_label,
        wanted_at, slot_start, contact_name, contact_phone_enc, contact_email_enc, delivery_address_enc, currency,
        subtotal_minor, tax_minor, tip_minor, total_minor, tracking_secret_hash, created_at, updated_at, payment_method, discount_minor, promo_code, kitchen_at)
      select ${plan.orderId}::uuid, ${plan.location.id}::uuid, ${plan.customerUserId}::uuid, ${plan.localDate}::date, num.last_number, num.display,
        ${firstStatus(plan)}, ${plan.type}, ${plan.table}, ${plan.wantedAt}::timestamptz, ${plan.slotStart}::timestamptz, ${plan.contactName},
        ${plan.phoneSealed}::bytea, ${plan.emailSealed}::bytea, ${plan.addressSealed}::bytea, ${priced.currency},
        ${priced.subtotalMinor}::bigint, ${priced.taxMinor}::bigint, ${priced.tipMinor}::bigint, ${priced.totalMinor}::bigint,
        ${plan.trackingSecretHash}::bytea, ${plan.now}::timestamptz, ${plan.now}::timestamptz, ${plan.online ? 'online' : 'counter'},
        ${priced.discountMinor}::bigint, ${priced.promoCode}, ${plan.kitchenAt}::timestamptz
      from num
      returning id, display_number`,
    // Each line keeps the station its item is routed to now, at the time of sale: re-routing the item later never moves it.
    lines: sql`insert into order_lines (order_id, line_index, item_id, name, quantity, unit_price_minor, line_total_minor, options, note, station_id)
      select ord.id, l.line_index, l.item_id, l.name, l.quantity, l.unit_price_minor, l.line_total_minor, l.options, l.note, mi.station_id
      from ord, jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as l(line_index int, item_id uuid, name text, quantity int, unit_price_minor bigint, line_total_minor bigint, options jsonb, note text)
        left join menu_items mi on mi.id = l.item_id and mi.location_id = ${plan.location.id}`,
    movements: sql`insert into stock_movements (location_id, ingredient_id, delta, reason, note, actor_user_id, order_id, created_at)
      select ${plan.location.id}, t.id, -needs.amount, 'sale', 'Order ' || ord.display_number, ${plan.customerUserId}::uuid, ord.id, ${plan.now}::timestamptz
      from ord, taken t join needs on needs.id = t.id`,
    history: sql`insert into order_history (order_id, from_status, to_status, action, actor, actor_user_id, at)
      select ord.id, null, ${firstStatus(plan)}, 'place', 'orderer', ${plan.customerUserId}::uuid, ${plan.now}::timestamptz from ord`,
  };
}

/** The online tender (and its authorisation row in the payments ledger), when the order is paid online. */
function writeTender(plan: OrderPlan): { tender: RawBuilder<unknown>; ledger: RawBuilder<unknown> } {
  const online = plan.online;
  return {
    tender: sql`insert into tenders (id, order_id, location_id, method, status, currency, amount_minor, actor_user_id, created_at, updated_at)
      select ${online?.tenderId ?? null}::uuid, ord.id, ${plan.location.id}::uuid, ${online?.method ?? null}, 'pending', ${plan.priced.currency},
        ${online?.amountMinor ?? null}::bigint, ${plan.customerUserId}::uuid, ${plan.now}::timestamptz, ${plan.now}::timestamptz
      from ord where ${online !== null}
      returning id, order_id, amount_minor`,
    ledger: sql`insert into payment_ledger (order_id, tender_id, kind, amount_minor, at)
      select order_id, id, 'authorisation', amount_minor, ${plan.now}::timestamptz from tender`,
  };
}

/**
 * The menu's version bumped when taking stock crossed a recipe's portion (on hand fell below
 * what one portion needs): then what the menu shows changed. Most orders cross none.
 */
function touchMenuIfCrossed(plan: OrderPlan): RawBuilder<unknown> {
  const pairs = plan.needs.flatMap((n) => n.portions.map((portion) => [n.ingredientId, portion] as const));
  return sql`update locations set menu_version = menu_version + 1
    where id = ${plan.location.id} and exists (select 1 from ord) and exists (
      select 1 from taken t join needs on needs.id = t.id
      join unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::bigint[]) as p(id, portion) on p.id = t.id
      where t.on_hand < p.portion and p.portion <= t.on_hand + needs.amount)
    returning menu_version`;
}

/** The live feed's event, last: under the location's event lock (taken after every other lock), so its events commit in id order. */
function recordPlaced(plan: OrderPlan): RawBuilder<unknown> {
  return sql`insert into order_events (order_id, location_id, type, status, at)
    select ord.id, ${plan.location.id}, ${eventType('place', firstStatus(plan))}, ${firstStatus(plan)}, ${plan.now}::timestamptz
    from ord, (select pg_advisory_xact_lock(hashtextextended(${eventLockKey(plan.location.id)}, 0)) from (select count(*) from touch) t) l
    returning id`;
}

/** The answer kept with the key, for retries (the tracking token sealed). */
function storeAnswer(plan: OrderPlan): RawBuilder<unknown> {
  return sql`update idempotency_keys k set order_id = ord.id, response = jsonb_build_object('id', ord.id, 'number', ord.display_number,
      'status', ${firstStatus(plan)}::text, 'tenderId', ${plan.online?.tenderId ?? null}::text, 'totalMinor', ${plan.priced.totalMinor}::bigint, 'currency', ${plan.priced.currency}::text,
      'trackingTokenSealed', ${plan.trackingTokenSealed}::text)
    from ord where k.scope = ${plan.key.scope} and k.key = ${plan.key.key}`;
}

/**
 * Reserves the slot, takes the stock and the number, writes the order and stores the answer:
 * one statement, after which only the commit remains. Call it in the transaction that claimed
 * the key.
 */
export async function takeAndWrite(trx: Kysely<DB>, plan: OrderPlan): Promise<Written> {
  if (plan.priced.promoCode !== null) await lockCustomerUses(trx, plan.priced.promoCode, plan.key.scope);
  const stock = takeStock(plan);
  const write = writeOrder(plan);
  const tender = writeTender(plan);
  const promo = redeemPromo(plan);
  // By name: one text for every order (all that varies is in parameters), planned once per connection.
  const { rows } = await executeNamed(trx, sql<Written>`
    with location as (${checkLocation(plan)}),
    slot as (${reserveSlot(plan)}),
    needs as (${stock.needs}),
    locked as (${stock.locked}),
    taken as (${stock.taken}),
    redeem as (${promo.redeem}),
    num as (${takeNumber(plan)}),
    ord as (${write.order}),
    lines as (${write.lines}),
    movements as (${write.movements}),
    history as (${write.history}),
    redemption as (${promo.redemption}),
    tender as (${tender.tender}),
    tender_ledger as (${tender.ledger}),
    touch as (${touchMenuIfCrossed(plan)}),
    event as (${recordPlaced(plan)}),
    answer as (${storeAnswer(plan)})
    select coalesce((select fresh from slot), false) and coalesce((select ok from location), false) as fresh,
      coalesce((select ok from slot), false) as "slotOk",
      (select coalesce(json_agg(json_build_object('id', id, 'onHand', on_hand)), '[]') from taken) as taken,
      (select display_number from ord) as "displayNumber",
      exists (select 1 from touch) as touched,
      ${plan.priced.promoCode === null} or exists (select 1 from redeem) as "promoOk",
      (select count(*) from event) as events`);
  return rows[0]!;
}
