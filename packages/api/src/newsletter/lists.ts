import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { notFound } from '../errors.js';

/** The list a subscription is on, as people read it: a location's name, or "Bistro" for every location. */
export async function listName(db: Kysely<DB>, locationId: string | null): Promise<string> {
  if (locationId === null) return 'Bistro';
  const location = await db.selectFrom('locations').select('name').where('id', '=', locationId).executeTakeFirst();
  if (!location) throw notFound('Location');
  return location.name;
}
