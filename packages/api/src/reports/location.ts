import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { notFound } from '../errors.js';

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
