import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import { minuteToClock } from '@bistro/domain';

/** A location as a manager edits it: details, hours as "HH:MM" ranges, closures, version. */
export async function locationDetails(db: Kysely<DB>, locationId: string) {
  const row = await db
    .selectFrom('locations as l')
    .where('l.id', '=', locationId)
    .select([
      'l.id',
      'l.slug',
      'l.name',
      'l.address',
      'l.time_zone as timeZone',
      'l.currency',
      'l.tax_rate_bp as taxRateBp',
      'l.accepting_orders as acceptingOrders',
      'l.prep_minutes as prepMinutes',
      'l.slot_capacity as slotCapacity',
      'l.order_prefix as orderPrefix',
      'l.version',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('opening_hours as h')
          .whereRef('h.location_id', '=', 'l.id')
          .select(['h.weekday', 'h.opens_at as opensAt', 'h.closes_at as closesAt'])
          .orderBy('h.weekday')
          .orderBy('h.opens_at'),
      ).as('openingHours'),
      jsonArrayFrom(
        eb
          .selectFrom('location_closures as c')
          .whereRef('c.location_id', '=', 'l.id')
          .select(['c.date', 'c.reason'])
          .orderBy('c.date'),
      ).as('closures'),
    ])
    .executeTakeFirstOrThrow();
  return {
    ...row,
    openingHours: row.openingHours.map((h) => ({ weekday: h.weekday, opens: minuteToClock(h.opensAt), closes: minuteToClock(h.closesAt) })),
    // Inside JSON a date is already 'YYYY-MM-DD'.
    closures: row.closures.map((c) => ({ date: String(c.date), reason: c.reason })),
  };
}

/** Replaces a location's opening hours and closures (inside the caller's transaction). */
export async function replaceHours(
  db: Kysely<DB>,
  locationId: string,
  hours: readonly { weekday: number; opensAt: number; closesAt: number }[] | undefined,
  closures: readonly { date: string; reason: string }[] | undefined,
): Promise<void> {
  if (hours) {
    await db.deleteFrom('opening_hours').where('location_id', '=', locationId).execute();
    if (hours.length) {
      await db
        .insertInto('opening_hours')
        .values(hours.map((h) => ({ location_id: locationId, weekday: h.weekday, opens_at: h.opensAt, closes_at: h.closesAt })))
        .execute();
    }
  }
  if (closures) {
    await db.deleteFrom('location_closures').where('location_id', '=', locationId).execute();
    if (closures.length) {
      await db
        .insertInto('location_closures')
        .values(closures.map((c) => ({ location_id: locationId, date: c.date, reason: c.reason })))
        .execute();
    }
  }
}

/** Whether a database error is a unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
