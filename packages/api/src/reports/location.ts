import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { notFound } from '../errors.js';
import { dayStart } from './facts.js';

export interface ReportLocation {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
}

/** The location a report is about: its figures are in its currency and its time zone. */
export async function reportLocation(db: Kysely<DB>, locationId: string): Promise<ReportLocation> {
  const row = await db
    .selectFrom('locations')
    .select(['id', 'name', 'time_zone as timeZone', 'currency'])
    .where('id', '=', locationId)
    .executeTakeFirst();
  if (!row) throw notFound('Location');
  return row;
}

/** The location, and the instants its calendar days `from`–`to` span: [local midnight of `from`, local midnight after `to`). */
export async function reportRange(db: Kysely<DB>, locationId: string, range: { from: string; to: string }): Promise<{ location: ReportLocation; bounds: { start: Date; end: Date } }> {
  const row = await db
    .selectFrom('locations')
    .select(['id', 'name', 'time_zone as timeZone', 'currency'])
    .select([dayStart(range.from, sql`time_zone`).as('start'), dayStart(sql`(${range.to}::date + 1)`, sql`time_zone`).as('end')])
    .where('id', '=', locationId)
    .executeTakeFirst();
  if (!row) throw notFound('Location');
  const { start, end, ...location } = row;
  return { location, bounds: { start, end } };
}
