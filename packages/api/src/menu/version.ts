import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { Context } from '../context.js';

/**
 * Marks a location's menu as changed, inside the transaction that changes it: anything
 * `menu.get` shows (names, prices, photos, option groups, 86, stock that decides availability).
 * The new version is the menu's ETag, so a client or cache holding the old one revalidates.
 */
export async function touchMenu(db: Kysely<DB>, locationId: string): Promise<void> {
  await db
    .updateTable('locations')
    .set((eb) => ({ menu_version: eb('menu_version', '+', 1) }))
    .where('id', '=', locationId)
    .execute();
}

/** After the transaction commits: drops cached copies of the menu here and on every other instance. */
export function menuChanged(ctx: Pick<Context, 'services'>, locationId: string): void {
  ctx.services.menuCache?.invalidate(locationId);
}
