import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiRequests, pick, expectAccessible, expectPhoneFriendly, launchBrowser, openPhone, screenshots, startBistro, type Bistro } from './bistro.js';

let bistro: Bistro;
let browser: Browser;
/** Harbor Bistro's burger, with a nested choice added by its manager: Extras → Bacon → Bacon style. */
let burger: { id: string; bacon: string; extraCrispy: string; fries: string };

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
  const menu = await bistro.manager.menu.get.query({ locationSlug: 'harbor-bistro' });
  const item = menu.categories.flatMap((c) => c.items).find((i) => i.name === 'Bistro burger')!;
  const extras = item.optionGroups.find((g) => g.name === 'Extras')!;
  const bacon = extras.options.find((o) => o.name === 'Bacon')!;
  const fries = item.optionGroups.find((g) => g.name === 'Side')!.options.find((o) => o.name === 'Fries')!;
  await bistro.manager.menu.optionGroups.create.mutate({
    optionId: bacon.id,
    name: 'Bacon style',
    minSelections: 1,
    maxSelections: 1,
    options: [
      { name: 'Crispy', priceDeltaMinor: 0 },
      { name: 'Extra crispy', priceDeltaMinor: 50 },
    ],
  });
  const after = await bistro.manager.menu.get.query({ locationSlug: 'harbor-bistro' });
  const style = after.categories
    .flatMap((c) => c.items)
    .find((i) => i.id === item.id)!
    .optionGroups.find((g) => g.name === 'Extras')!
    .options.find((o) => o.id === bacon.id)!.optionGroups[0]!;
  burger = { id: item.id, bacon: bacon.id, extraCrispy: style.options.find((o) => o.name === 'Extra crispy')!.id, fries: fries.id };
  // A photo for the burger, uploaded as a manager does: the server makes its 320 and 1280 renditions.
  const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#8b4513' } }).jpeg().toBuffer();
  const form = new FormData();
  form.set('itemId', item.id);
  form.set('photo', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'burger.jpg');
  await bistro.manager.menu.items.setPhoto.mutate(form);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

describe('a guest on a phone orders dinner', () => {
  it('picks a location, configures a burger with a nested choice, sees the server’s price, places a pickup order and watches it move live', async () => {
    const { context, page } = await openPhone(browser, bistro);

    // 1. The location picker: both restaurants, open now, today's hours in their own zone.
    await page.goto('/');
    const harbor = page.getByRole('link', { name: 'Harbor Bistro' });
    await harbor.waitFor();
    const harborCard = page.getByRole('article').filter({ has: harbor });
    expect(await harborCard.textContent()).toContain('Open now');
    expect(await harborCard.textContent()).toContain('New York time');
    expect(await harborCard.textContent()).toMatch(/Today: 11:00–22:00/);
    await expectAccessible(page, 'location picker');
    await expectPhoneFriendly(page, 'location picker');
    await screenshots(page, '1-locations');

    // 2. The menu, straight from its address: one menu.get (with its ETag) and who is signed in, nothing else.
    const requests = apiRequests(page);
    await page.goto('/l/harbor-bistro');
    await page.getByRole('heading', { level: 1, name: 'Harbor Bistro' }).waitFor();
    await page.getByRole('button', { name: /Bistro burger/ }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(requests.paths.length).toBeLessThanOrEqual(2);
    expect(requests.paths).toContain('menu.get');
    expect(requests.etags[0]).toMatch(/^"[^"]+\.open"$/);
    // The burger's photo: responsive renditions, lazy, with a fixed size so nothing jumps.
    const photo = page.getByRole('button', { name: /Bistro burger/ }).locator('img');
    expect(await photo.getAttribute('srcset')).toMatch(/^\/media\/\S+ 320w, \/media\/\S+ 1280w$/);
    expect(await photo.getAttribute('loading')).toBe('lazy');
    expect([await photo.getAttribute('width'), await photo.getAttribute('height')]).toEqual(['320', '240']);
    await expectAccessible(page, 'menu');
    await expectPhoneFriendly(page, 'menu');
    await screenshots(page, '2-menu');

    // 3. The burger's dialog: focus moves into it; choosing bacon opens a nested required choice.
    await page.getByRole('button', { name: /Bistro burger/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Bistro burger' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    const add = dialog.getByRole('button', { name: /to order|to add|Pricing/ });
    await dialog.getByRole('button', { name: /^Add 1 to order · / }).waitFor();
    await pick(dialog.getByRole('checkbox', { name: /Bacon/ }));
    await dialog.getByRole('button', { name: 'Choose bacon style to add' }).waitFor();
    expect(await add.isDisabled()).toBe(true);
    expect(await dialog.getByText('Still to choose: Bacon style').isVisible()).toBe(true);
    await expectAccessible(page, 'item dialog with a required nested choice');
    await pick(dialog.getByRole('radio', { name: /Extra crispy/ }));
    await dialog.getByRole('button', { name: 'One more' }).or(dialog.getByRole('button', { name: /Increase/ })).first().click();
    // The price on the button is the server's quote for exactly this line.
    const quoted = await bistro.manager.orders.quote.query({
      locationSlug: 'harbor-bistro',
      type: 'pickup',
      lines: [{ itemId: burger.id, quantity: 2, options: [burger.fries, burger.bacon, burger.extraCrispy] }],
    });
    expect(quoted.problems).toEqual([]);
    const price = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'USD' }).format(quoted.lines[0]!.lineTotalMinor / 100);
    await dialog.getByRole('button', { name: `Add 2 to order · ${price}` }).waitFor();
    await screenshots(page, '3-item', { fullPage: false });
    await dialog.getByRole('button', { name: `Add 2 to order · ${price}` }).click();
    await dialog.waitFor({ state: 'detached' });

    // 4. The cart: kept in localStorage (a reload keeps it), priced live by the server.
    await page.getByRole('link', { name: /View your order/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Your order' }).waitFor();
    await page.reload();
    const line = page.getByRole('listitem', { name: '2 × Bistro burger' });
    await line.waitFor();
    expect(await line.textContent()).toContain('Fries, Bacon, Extra crispy');
    await line.getByText(price).waitFor();
    const total = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'USD' }).format(quoted.totalMinor / 100);
    await page.getByRole('definition').filter({ hasText: total }).waitFor();
    await expectAccessible(page, 'cart');
    await expectPhoneFriendly(page, 'cart');
    await screenshots(page, '4-cart');

    // 5. Checkout: pickup, as soon as possible, contact details, a 10 % tip; pay at the counter.
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Pickup at the counter' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Dine in' }).isDisabled()).toBe(true);
    await pick(page.getByRole('radio', { name: 'As soon as possible' }));
    // Later slots are on the restaurant's clock: 13:00 in New York now, prep time ahead.
    await page.getByRole('radio', { name: /^1[3-9]:\d\d$/ }).first().waitFor();
    expect(await page.getByRole('radio', { name: /^(0\d|1[0-2]):\d\d$/ }).count()).toBe(0);
    await page.getByRole('button', { name: /Place order/ }).click();
    await page.getByText('Enter some text').or(page.getByText(/Too small|at least/)).first().waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Ana Lima');
    await page.getByRole('textbox', { name: /Phone/ }).fill('+1 212 555 0100');
    await pick(page.getByRole('radio', { name: '10%' }));
    const withTip = await bistro.manager.orders.quote.query({
      locationSlug: 'harbor-bistro',
      type: 'pickup',
      tip: { percent: 10 },
      lines: [{ itemId: burger.id, quantity: 2, options: [burger.fries, burger.bacon, burger.extraCrispy] }],
    });
    const toPay = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'USD' }).format(withTip.totalMinor / 100);
    const place = page.getByRole('button', { name: `Place order · ${toPay}` });
    await place.waitFor();
    expect(await page.getByText('You pay at the counter').isVisible()).toBe(true);
    await expectAccessible(page, 'checkout');
    await expectPhoneFriendly(page, 'checkout');
    await screenshots(page, '5-checkout');
    await place.click();

    // 6. Confirmation at a shareable address carrying the tracking token.
    await page.waitForURL(/\/track\?order=/);
    const number = page.getByRole('heading', { level: 1, name: /^Order #[A-Z]{1,3}-\d{3,}$/ });
    await number.waitFor();
    await page.getByText('Order received', { exact: true }).waitFor();
    await page.getByText(toPay).first().waitFor();
    const token = new URL(page.url()).searchParams.get('order')!;
    const order = await bistro.manager.orders.get.query({ trackingToken: token });
    expect(order.totalMinor).toBe(withTip.totalMinor);
    // The contact details went with it (the manager sees them; the tracking page names nobody).
    expect((await bistro.manager.orders.get.query({ orderId: order.id })).contact).toMatchObject({ name: 'Ana Lima', phone: '+1 212 555 0100' });
    expect(await page.locator('main').textContent()).not.toContain('Ana');
    // The cart is empty once the order is placed.
    expect(await page.evaluate(() => localStorage.getItem('bistro.cart.harbor-bistro'))).toBeNull();
    await expectAccessible(page, 'tracking, placed');
    await expectPhoneFriendly(page, 'tracking');

    // 7. The kitchen bumps the order through the API: the page follows live.
    await bistro.kitchen.kitchen.bump.mutate({ orderId: order.id, from: 'placed' });
    await page.getByText('Being prepared').first().waitFor();
    expect(await page.getByRole('button', { name: /Cancel order/ }).count()).toBe(0);

    // 8. A reload keeps following the same order, and the next bump arrives too.
    await page.reload();
    await page.getByText('Being prepared').first().waitFor();
    await bistro.kitchen.kitchen.bump.mutate({ orderId: order.id, from: 'preparing' });
    await page.getByText('Your order is ready. Come to the counter.').waitFor();
    await expectAccessible(page, 'tracking, ready');
    await screenshots(page, '6-tracking');
    await context.close();
  });

  it('a double click on “Place order” makes one order', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await page.goto('/l/harbor-bistro');
    await page.getByRole('button', { name: /Espresso/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Espresso' });
    await dialog.getByRole('button', { name: /^Add 1 to order/ }).click();
    await page.getByRole('link', { name: /View your order/ }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Double Clicker');
    const place = page.getByRole('button', { name: /^Place order · / });
    await place.waitFor();
    await place.dblclick();
    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Order received', { exact: true }).waitFor();
    const placed = await bistro.tdb.db.selectFrom('orders').select(['id']).where('contact_name', '=', 'Double Clicker').execute();
    expect(placed).toHaveLength(1);
    await context.close();
  });
});
