import { type Kysely, sql } from 'kysely';

// orders.place counts a slot under the slot's lock in the same statement that writes the order:
// a plain subquery would count with the snapshot the statement started with, before the lock
// was granted, and miss the orders committed while it waited. A VOLATILE function runs each of
// its queries with a fresh snapshot, so this one takes the lock first and then reads what the
// lock now guards: the orders (not cancelled) in the slot, and the location's menu version
// (any menu change bumps it; the order's plan was priced at the version it read).
// Typed Kysely<any> on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function lock_order_slot(lock_key text, location uuid, slot timestamptz, out taken bigint, out menu_version bigint)
    language sql volatile as $$
      select pg_advisory_xact_lock(hashtextextended(lock_key, 0));
      select (select count(*) from orders o where o.location_id = location and o.slot_start = slot and o.status <> 'cancelled'),
        (select l.menu_version from locations l where l.id = location);
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function lock_order_slot(text, uuid, timestamptz)`.execute(db);
}
