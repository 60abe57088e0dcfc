import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '@bistro/db';

/** Orders are taken for 15-minute slots; a wanted-at time must start one. */
export const SLOT_MINUTES = 15;
export const SLOT_MS = SLOT_MINUTES * 60_000;

/** Whether `at` starts a slot (a quarter hour on every real time zone's wall clock). */
export function isSlotBoundary(at: Date): boolean {
  return at.getTime() % SLOT_MS === 0;
}

/** The slot `at` falls in. */
export function slotOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / SLOT_MS) * SLOT_MS);
}

/**
 * The opening windows (as instants) of the ranges that open on the local day before `day` and
 * on `day` itself: a range passing midnight reaches into the next day. A closure date shuts the
 * ranges that open on it (the night after Christmas Eve still belongs to Christmas Eve).
 * Local wall-clock times become instants in SQL (`timestamp at time zone`), right across DST.
 */
function openingWindows(locationId: string, timeZone: string, day: RawBuilder<string>) {
  return sql`select (d.day + make_interval(mins => h.opens_at)) at time zone ${timeZone} as opens,
      (d.day + make_interval(mins => h.closes_at)) at time zone ${timeZone} as closes
    from (values (${day}::date - 1), (${day}::date)) as d(day)
    join opening_hours h on h.location_id = ${locationId} and h.weekday = extract(isodow from d.day)
    where not exists (select 1 from location_closures c where c.location_id = ${locationId} and c.date = d.day)`;
}

/** Whether the location's hours (and closures) have it open at the instant `at`. */
export async function isOpenAt(db: Kysely<DB>, location: { id: string; timeZone: string }, at: Date): Promise<boolean> {
  const localDay = sql<string>`(${at}::timestamptz at time zone ${location.timeZone})::date`;
  const { rows } = await sql<{ open: boolean }>`select exists (
      select 1 from (${openingWindows(location.id, location.timeZone, localDay)}) w where w.opens <= ${at} and ${at} < w.closes
    ) as open`.execute(db);
  return rows[0]?.open ?? false;
}

export interface SlotRow {
  startsAt: Date;
  /** Orders (not cancelled) already counted against the slot. */
  taken: number;
}

/**
 * Every slot that starts on the local calendar `date` while the location is open, from
 * `earliest` on, with the orders already in it. A slot starts inside an opening window:
 * opens ≤ start < closes.
 */
export async function slotsOn(
  db: Kysely<DB>,
  location: { id: string; timeZone: string },
  date: string,
  earliest: Date,
): Promise<SlotRow[]> {
  const { rows } = await sql<{ starts_at: Date; taken: string }>`
    with windows as (${openingWindows(location.id, location.timeZone, sql<string>`${date}`)}),
    slots as (
      select distinct s as starts_at
      from windows w,
        generate_series(to_timestamp(ceil(extract(epoch from w.opens) / ${SLOT_MINUTES * 60}) * ${SLOT_MINUTES * 60}),
          w.closes - interval '1 microsecond', make_interval(mins => ${SLOT_MINUTES})) as s
    )
    select s.starts_at,
      (select count(*) from orders o
        where o.location_id = ${location.id} and o.slot_start = s.starts_at and o.status <> 'cancelled') as taken
    from slots s
    where (s.starts_at at time zone ${location.timeZone})::date = ${date}::date and s.starts_at >= ${earliest}
    order by s.starts_at`.execute(db);
  return rows.map((r) => ({ startsAt: r.starts_at, taken: Number(r.taken) }));
}
