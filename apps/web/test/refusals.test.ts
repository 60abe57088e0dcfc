import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, expectPhoneFriendly, launchBrowser, openPhone, screenshots, startBistro, type Bistro } from './bistro.js';

let bistro: Bistro;
let browser: Browser;

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

describe('refusals a guest can meet', () => {
  it('a dish sold out while the guest checks out: the message names it, offers to remove it, and the rest of the cart is kept', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await page.goto('/l/harbor-bistro');
    for (const dish of ['House lemonade', 'Crème brûlée']) {
      await page.getByRole('button', { name: new RegExp(dish) }).click();
      const dialog = page.getByRole('dialog', { name: dish });
      await dialog.getByRole('button', { name: /^Add 1 to order/ }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.getByRole('link', { name: /View your order · |View your order/ }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Last Portion');
    const place = page.getByRole('button', { name: /^Place order · / });
    await place.waitFor();

    // Meanwhile the kitchen 86es the crème brûlée.
    const menu = await bistro.kitchen.menu.get.query({ locationSlug: 'harbor-bistro' });
    const brulee = menu.categories.flatMap((c) => c.items).find((i) => i.name === 'Crème brûlée')!;
    await bistro.kitchen.kitchen.set86.mutate({ itemId: brulee.id, eightySixed: true, reason: 'Torch broke' });

    await place.click();
    const alert = page.getByRole('alert').filter({ hasText: 'sold out' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('“Crème brûlée” is sold out');
    expect(await alert.textContent()).toContain('The rest of your order is kept');
    // Nothing was placed, and the cart is intact.
    expect(await bistro.tdb.db.selectFrom('orders').select('id').where('contact_name', '=', 'Last Portion').execute()).toEqual([]);
    const cart = await page.evaluate(() => JSON.parse(localStorage.getItem('bistro.cart.harbor-bistro') ?? '{}') as { lines: { name: string }[] });
    expect(cart.lines.map((l) => l.name)).toEqual(['House lemonade', 'Crème brûlée']);
    expect(page.url()).toMatch(/\/l\/harbor-bistro\/checkout$/);
    await expectAccessible(page, 'checkout, SOLD_OUT');
    await expectPhoneFriendly(page, 'checkout, SOLD_OUT');
    await screenshots(page, '7-sold-out');

    // The guest takes the offer: the dish goes, the lemonade stays, and the order goes through.
    await page.getByRole('button', { name: 'Remove Crème brûlée from your order' }).click();
    const rest = await page.evaluate(() => JSON.parse(localStorage.getItem('bistro.cart.harbor-bistro') ?? '{}') as { lines: { name: string }[] });
    expect(rest.lines.map((l) => l.name)).toEqual(['House lemonade']);
    await page.getByRole('button', { name: /^Place order · / }).click();
    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Order received', { exact: true }).waitFor();
    const placed = await bistro.tdb.db.selectFrom('orders').select('id').where('contact_name', '=', 'Last Portion').execute();
    expect(placed).toHaveLength(1);

    // The menu now shows it as unavailable, with the reason.
    await page.goto('/l/harbor-bistro');
    const card = page.locator('[aria-disabled="true"]').filter({ hasText: 'Crème brûlée' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Sold out today');
    expect(await page.getByRole('button', { name: /Crème brûlée/ }).count()).toBe(0);
    await expectAccessible(page, 'menu with an 86’d dish');
    await context.close();
  });

  it('a cart line that went unavailable shows its problem on that line, from the live quote', async () => {
    const { context, page } = await openPhone(browser, bistro);
    const menu = await bistro.kitchen.menu.get.query({ locationSlug: 'harbor-bistro' });
    const brulee = menu.categories.flatMap((c) => c.items).find((i) => i.name === 'Crème brûlée')!;
    const espresso = menu.categories.flatMap((c) => c.items).find((i) => i.name === 'Espresso')!;
    // A cart kept from an earlier visit, before the dish was 86'd.
    await page.goto('/');
    await page.evaluate(
      ([a, b]) =>
        localStorage.setItem(
          'bistro.cart.harbor-bistro',
          JSON.stringify({
            lines: [
              { key: 'a', itemId: a, name: 'Espresso', optionNames: [], quantity: 2, options: [] },
              { key: 'b', itemId: b, name: 'Crème brûlée', optionNames: [], quantity: 1, options: [] },
            ],
          }),
        ),
      [espresso.id, brulee.id],
    );
    await page.goto('/l/harbor-bistro/cart');
    const line = page.getByRole('listitem', { name: '1 × Crème brûlée' });
    await line.getByText(/sold out/i).waitFor();
    expect(await page.getByRole('listitem', { name: '2 × Espresso' }).textContent()).not.toMatch(/sold out/i);
    expect(await page.getByRole('link', { name: 'Go to checkout' }).count()).toBe(0);
    await expectAccessible(page, 'cart with a problem line');
    await line.getByRole('button', { name: 'Remove Crème brûlée' }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).waitFor();
    await context.close();
  });
});
