import { isOpenAt, menuGetInput, photoUrls } from '@bistro/domain';
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import type { MenuCache } from './cache.js';
import { fetchMenu, type MenuItemRow, type MenuRow } from './queries.js';

/** The menu as served, minus what depends on the request's instant (isOpenNow). */
export function prepareMenu(row: MenuRow) {
  const { categories, menuVersion, ...location } = row;
  return {
    location: { ...location, version: `${location.id}.${menuVersion}` },
    categories: categories.map((category) => ({
      ...category,
      items: category.items.map(({ photoKey, ...item }: MenuItemRow) => ({ ...item, photo: photoKey ? photoUrls(photoKey) : null })),
    })),
  };
}
export type PreparedMenu = ReturnType<typeof prepareMenu>;

/** The prepared menu of a location, from the cache when it holds one; undefined for an unknown slug. */
export async function loadMenu(ctx: Context, slug: string): Promise<PreparedMenu | undefined> {
  const cache = ctx.services.menuCache as MenuCache<PreparedMenu> | undefined;
  const cached = cache?.get(slug);
  if (cached) return cached;
  const fill = cache?.startFill();
  const row = await fetchMenu(ctx.db, slug, ctx.now());
  if (!row) return undefined;
  const prepared = prepareMenu(row);
  if (cache && fill !== undefined) cache.set(slug, row.id, prepared, fill);
  return prepared;
}

/**
 * The public menu of one location, by its slug. Prices are integer minor units of
 * `location.currency`; each item and option says whether it can be ordered now and, if not,
 * why. `location.version` changes whenever anything here changes (it is also the HTTP ETag).
 */
export const get = publicProcedure.input(menuGetInput).query(async ({ ctx, input }) => {
  const menu = await loadMenu(ctx, input.locationSlug);
  if (!menu) throw notFound('Location');
  const { location } = menu;
  return {
    location: { ...location, isOpenNow: isOpenAt(location.openingHours, location.timeZone, ctx.now(), location.closures) },
    categories: menu.categories,
  };
});
