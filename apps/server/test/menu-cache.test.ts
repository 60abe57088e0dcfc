import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { menuChanged, touchMenu } from '@bistro/api';
import type { BistroServer } from '../src/index.js';
import { startSecondInstance, startTestServer, type TestServer } from './helpers.js';

// Set when a Redis answers (tooling/vitest/services.js); without one, this file's tests are skipped.
const REDIS_URL = process.env.REDIS_URL ?? '';

let a: TestServer;
let b: BistroServer;
let bUrl: string;

beforeAll(async () => {
  a = await startTestServer({ REDIS_URL });
  ({ server: b, url: bUrl } = await startSecondInstance(a, { REDIS_URL }));
});
afterAll(async () => {
  await b?.stop();
  await a?.close();
});

async function espresso(url: string) {
  const menu = await createBistroClient({ url }).menu.get.query({ locationSlug: 'bistro-centrale' });
  return menu.categories.flatMap((c) => c.items).find((i) => i.name === 'Espresso')!.priceMinor;
}

describe.skipIf(!REDIS_URL)('the menu cache across two server instances sharing Redis', () => {
  it('serves a cached menu until a change on either instance invalidates it on both', async () => {
    expect(await espresso(a.url)).toBe(300);
    expect(await espresso(bUrl)).toBe(300);

    const location = await a.tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bistro-centrale').executeTakeFirstOrThrow();
    await a.tdb.db.updateTable('menu_items').set({ price_minor: 350 }).where('location_id', '=', location.id).where('name', '=', 'Espresso').execute();
    // Not announced yet: both still serve their cached copy.
    expect(await espresso(bUrl)).toBe(300);

    await touchMenu(a.tdb.db, location.id);
    menuChanged({ services: a.server.services }, location.id);
    expect(await espresso(a.url)).toBe(350);
    // Instance B hears about it through Redis pub/sub.
    await expect.poll(() => espresso(bUrl), { timeout: 5_000 }).toBe(350);
  });
});
