import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '@bistro/db';
import { isOpenAt, isSlotBoundary, localWeekdayAndMinute, minuteToClock, slotOf, SLOT_MS, type OpeningRange } from '@bistro/domain';
import { BistroError } from '../errors.js';

/** How far ahead a wanted-at time may be. */
export const MAX_DAYS_AHEAD = 30;

/** What ordering needs of a location: its rules for time and capacity, its hours and closures, and its menu version. */
export interface OrderingLocation {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  taxRateBp: number;
  acceptingOrders: boolean;
  prepMinutes: number;
  slotCapacity: number;
  orderPrefix: string;
  /** Bumped with anything the menu shows (prices, 86, archiving, hours, stock crossing a portion): the cheap re-check in the transaction. */
  menuVersion: string;
  openingHours: OpeningRange[];
  /** Closure days from `closuresFrom` on. */
  closures: string[];
}

/** The location by slug with its hours and closures (from `closuresFrom` on), as one row (none when no location has that slug). */
export function locationQuery(slug: string, closuresFrom: string): RawBuilder<OrderingLocation> {
  return sql<OrderingLocation>`
    select l.id, l.name, l.time_zone as "timeZone", l.currency, l.tax_rate_bp as "taxRateBp",
      l.accepting_orders as "acceptingOrders", l.prep_minutes as "prepMinutes", l.slot_capacity as "slotCapacity",
      l.order_prefix as "orderPrefix", l.menu_version::text as "menuVersion",
      (select coalesce(json_agg(json_build_object('weekday', h.weekday, 'opensAt', h.opens_at, 'closesAt', h.closes_at)), '[]'::json)
        from opening_hours h where h.location_id = l.id) as "openingHours",
      (select coalesce(json_agg(to_char(c.date, 'YYYY-MM-DD')), '[]'::json)
        from location_closures c where c.location_id = l.id and c.date >= ${closuresFrom}::date) as closures
    from locations l where l.slug = ${slug}`;
}

/** `locationQuery`, run on its own. */
export async function readLocationForOrders(db: Kysely<DB>, slug: string, closuresFrom: string): Promise<OrderingLocation | undefined> {
  const { rows } = await locationQuery(slug, closuresFrom).execute(db);
  return rows[0];
}

function wantedAtInvalid(message: string): BistroError {
  return new BistroError('WANTED_AT_INVALID', message, { fieldErrors: { wantedAt: [message] } });
}

/**
 * The slot an order counts against, or the refusal: the location must be taking orders and
 * open (by the domain's `isOpenAt`) at the wanted time, which starts a slot at least the prep
 * time from now and at most MAX_DAYS_AHEAD days ahead; as soon as possible counts against the
 * slot it will be ready in. Capacity is checked later, under the slot's lock.
 */
export function checkTimeAndSlot(location: OrderingLocation, wantedAt: Date | undefined, now: Date): Date {
  if (!location.acceptingOrders) throw new BistroError('LOCATION_CLOSED', `${location.name} is not taking orders right now`);
  const earliest = new Date(now.getTime() + location.prepMinutes * 60_000);
  if (!wantedAt) {
    if (!isOpenAt(location.openingHours, location.timeZone, now, location.closures)) throw new BistroError('LOCATION_CLOSED', `${location.name} is closed now`);
    return slotOf(earliest);
  }
  if (!isSlotBoundary(wantedAt)) throw wantedAtInvalid('Choose one of the 15-minute slots');
  if (wantedAt < earliest) {
    const from = minuteToClock(localWeekdayAndMinute(location.timeZone, slotOf(new Date(earliest.getTime() + SLOT_MS - 1))).minute);
    throw wantedAtInvalid(`The kitchen needs ${location.prepMinutes} minutes: choose ${from} or later`);
  }
  if (wantedAt.getTime() > now.getTime() + MAX_DAYS_AHEAD * 86_400_000) throw wantedAtInvalid(`Orders can be placed at most ${MAX_DAYS_AHEAD} days ahead`);
  if (!isOpenAt(location.openingHours, location.timeZone, wantedAt, location.closures)) {
    throw new BistroError('LOCATION_CLOSED', `${location.name} is closed at that time`, { fieldErrors: { wantedAt: ['Closed at that time'] } });
  }
  return wantedAt;
}

/**
 * When the kitchen gets an order: an order wanted later reaches it at wanted-at minus the prep
 * time, so screens show what to cook now, not tomorrow's lunch; null when that moment has already
 * come (an order for as soon as possible, or one wanted within the prep time). The one rule: the
 * release job and the kitchen's queue and feed read the instant it gives, stored on the order.
 */
export function kitchenReleaseAt(wantedAt: Date | null, prepMinutes: number, now: Date): Date | null {
  if (!wantedAt) return null;
  const release = new Date(wantedAt.getTime() - prepMinutes * 60_000);
  return release > now ? release : null;
}

/** Orders (not cancelled) counted against each of `starts`, by start time in ms. */
export async function takenPerSlot(db: Kysely<DB>, locationId: string, starts: readonly Date[]): Promise<Map<number, number>> {
  if (starts.length === 0) return new Map();
  const rows = await db
    .selectFrom('orders')
    .select(['slot_start', (eb) => eb.fn.countAll<string>().as('n')])
    .where('location_id', '=', locationId)
    .where('slot_start', '>=', starts[0]!)
    .where('slot_start', '<=', starts.at(-1)!)
    .where('status', '<>', 'cancelled')
    .groupBy('slot_start')
    .execute();
  return new Map(rows.map((row) => [new Date(row.slot_start).getTime(), Number(row.n)]));
}
