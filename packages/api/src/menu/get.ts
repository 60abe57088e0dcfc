import superjson from 'superjson';
import { isOpenAt, menuGetInput, photoUrls } from '@bistro/domain';
import type { Context, Services } from '../context.js';
import { notFound } from '../errors.js';
import { menuGetOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';
import { serializeOutput } from '../wire-format.js';
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

/** Whether a prepared menu's location is open, by the minute it was last asked for. */
const openByMinute = new WeakMap<PreparedMenu, { minute: number; open: boolean }>();

/**
 * isOpenAt for a prepared menu at `now`, worked out once a minute: hours are whole minutes of the
 * location's wall clock and closures whole days, and every time zone's offset is whole minutes,
 * so the answer can only change on a minute's boundary. (A cached menu is asked thousands of times
 * a second; the time-zone arithmetic is most of its cost.)
 */
function openNow(menu: PreparedMenu, now: Date): boolean {
  const minute = Math.floor(now.getTime() / 60_000);
  const known = openByMinute.get(menu);
  if (known?.minute === minute) return known.open;
  const { location } = menu;
  const open = isOpenAt(location.openingHours, location.timeZone, now, location.closures);
  openByMinute.set(menu, { minute, open });
  return open;
}

/** What menu.get answers at `now`: the prepared menu and whether the location is open then. */
function menuOutput(menu: PreparedMenu, now: Date) {
  return {
    location: { ...menu.location, isOpenNow: openNow(menu, now) },
    categories: menu.categories,
  };
}

/** menu.get's ETag: the menu's version, and whether the location is open (which changes with the clock, not the menu). */
export function menuEtag(location: { version: string; isOpenNow: boolean }): string {
  return `"${location.version}.${location.isOpenNow ? 'open' : 'closed'}"`;
}

/** Serialized answers of cached menus (open or closed, alone or as a batch of one); they go when the cached menu goes. */
const answers = new WeakMap<PreparedMenu, Map<string, Buffer>>();

/**
 * menu.get's HTTP answer straight from the menu cache, for the server to send without tRPC's
 * routing and serialization (a cached menu's whole cost): the bytes tRPC sends for the same call
 * (`{"result":{"data":…}}` around the transformer's output, in an array for a batch of one, as
 * the SDK sends it), serialized once per cached menu and open/closed state. `rawInput` is the
 * `input` query parameter. Undefined, for tRPC to answer, when there is no cache, the input is
 * not a valid one, or the menu is not cached.
 */
export function cachedMenuAnswer(services: Services, rawInput: string | null, now: Date, batch = false): { body: Buffer; etag: string } | undefined {
  const cache = services.menuCache as MenuCache<PreparedMenu> | undefined;
  if (!cache || rawInput === null) return undefined;
  const slug = slugOf(rawInput, batch);
  if (slug === null) return undefined;
  const menu = cache.get(slug);
  if (!menu) return undefined;
  const open = openNow(menu, now);
  const key = `${open ? 'open' : 'closed'}${batch ? ':batch' : ''}`;
  let bodies = answers.get(menu);
  if (!bodies) answers.set(menu, (bodies = new Map<string, Buffer>()));
  let body = bodies.get(key);
  if (!body) {
    const single = { result: { data: serializeOutput(menuOutput(menu, now)) } };
    body = Buffer.from(JSON.stringify(batch ? [single] : single));
    bodies.set(key, body);
  }
  return { body, etag: menuEtag({ version: menu.location.version, isOpenNow: open }) };
}

/** Raw `input` parameters already read (batch or not) and the slug each names, null for an invalid one; bounded. */
const slugs = new Map<string, string | null>();
const SLUGS_KEPT = 1_000;

/** The slug a menu.get `input` parameter names, checked by menu.get's own input schema; null when it is not a valid input. */
function slugOf(rawInput: string, batch: boolean): string | null {
  const key = batch ? `b${rawInput}` : `s${rawInput}`;
  const known = slugs.get(key);
  if (known !== undefined) return known;
  let slug: string | null = null;
  try {
    const parsed: unknown = JSON.parse(rawInput);
    const serialized = batch ? (parsed as Record<string, unknown> | null)?.['0'] : parsed;
    if (!batch || Object.keys(parsed as object).length === 1) {
      const input = menuGetInput.safeParse(superjson.deserialize(serialized as Parameters<typeof superjson.deserialize>[0]));
      if (input.success) slug = input.data.locationSlug;
    }
  } catch {
    slug = null;
  }
  // Anyone can send any input: what is kept stays bounded (forgotten all at once when full).
  if (slugs.size >= SLUGS_KEPT) slugs.clear();
  slugs.set(key, slug);
  return slug;
}

/**
 * The public menu of one location, by its slug. Prices are integer minor units of
 * `location.currency`; each item and option says whether it can be ordered now and, if not,
 * why. `location.version` changes whenever anything here changes (it is also the HTTP ETag).
 * A cached menu is usually answered before reaching here (`cachedMenuAnswer`).
 */
export const get = publicProcedure
  .meta({ scope: 'any', openapi: { method: 'GET', path: '/locations/{locationSlug}/menu', tags: ['menu'], protect: false, summary: 'The public menu of a location' } })
  .input(menuGetInput)
  .output(menuGetOutput)
  .query(async ({ ctx, input }) => {
  const menu = await loadMenu(ctx, input.locationSlug);
  if (!menu) throw notFound('Location');
  return menuOutput(menu, ctx.now());
});
