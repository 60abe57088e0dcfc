import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { BistroError, notFound } from '../errors.js';

/** What the station procedures return and audit: an explicit selection. */
export const stationColumns = ['id', 'name', 'sort_order as sortOrder'] as const;

export interface Station {
  id: string;
  name: string;
  sortOrder: number;
}

/** A location's active stations, in their order. */
export function activeStations(db: Kysely<DB>, locationId: string): Promise<Station[]> {
  return db
    .selectFrom('stations')
    .select(stationColumns)
    .where('location_id', '=', locationId)
    .where('archived_at', 'is', null)
    .orderBy('sort_order')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export const stationNameTaken = (): BistroError =>
  new BistroError('ALREADY_EXISTS', 'This location already has a station of that name', { fieldErrors: { name: ['Already taken'] } });

/**
 * The station an item is routed to, share-locked until commit (archiving it meanwhile waits):
 * one of another location answers like one that does not exist, an archived one is refused.
 */
export async function routableStation(db: Kysely<DB>, locationId: string, stationId: string): Promise<string> {
  const station = await db
    .selectFrom('stations')
    .select(['id', 'location_id as locationId', 'archived_at as archivedAt'])
    .where('id', '=', stationId)
    .forShare()
    .executeTakeFirst();
  if (station?.locationId !== locationId) throw notFound('Station');
  if (station.archivedAt) throw new BistroError('MENU_ENTRY_ARCHIVED', 'Station is archived', { fieldErrors: { stationId: ['Station is archived'] } });
  return station.id;
}

/** A station of this location (archived ones too: a display may still show their sold lines), else NOT_FOUND. */
export async function stationHere(db: Kysely<DB>, locationId: string, stationId: string): Promise<string> {
  const station = await db.selectFrom('stations').select('id').where('id', '=', stationId).where('location_id', '=', locationId).executeTakeFirst();
  if (!station) throw notFound('Station');
  return station.id;
}
