import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { lowStockIngredients } from '../inventory/low-stock.js';
import type { EmailContent } from './layout.js';

/** What the digest is about: the location's low ingredients and its managers. */
export async function lowStockInventory(db: Kysely<DB>, locationId: string) {
  const low = await lowStockIngredients(db, locationId);
  const managers = await db
    .selectFrom('location_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.email', 'u.name'])
    .where('r.location_id', '=', locationId)
    .where('r.role', '=', 'manager')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.id')
    .execute();
  return { low, managers };
}

export function digestEmailContent(
  location: { name: string; address: string },
  manager: { name: string },
  localDate: string,
  low: { name: string; unit: string; onHand: number; lowStockThreshold: number }[],
  inventoryLink: string,
): EmailContent {
  return {
    subject: `Low stock at ${location.name} on ${localDate}`,
    preview: `${low.length} ingredient${low.length === 1 ? '' : 's'} at or below the threshold`,
    heading: `Low stock at ${location.name}`,
    blocks: [
      { type: 'text', text: `Good morning ${manager.name},\nthese ingredients are at or below their low-stock threshold (on hand / threshold):` },
      { type: 'rows', rows: low.map((i) => ({ label: i.name, value: `${i.onHand} / ${i.lowStockThreshold} ${i.unit}` })) },
      { type: 'link', label: 'Open the pantry', href: inventoryLink },
    ],
    footer: `${location.name}\n${location.address}`,
  };
}
