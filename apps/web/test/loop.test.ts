import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createBistroClient } from '@bistro/client';
import { createUser } from '../../../packages/api/test/helpers.js';
import { NOW, addItem, addRequiredChoice, createItem, expectAccessible, launchBrowser, managerAt, openPhone, signIn, startBistro, uploadPhoto, type Bistro } from './bistro.js';

/**
 * The whole loop, on a real Bistro and a real Chromium, several people at once: a manager sets up
 * a kitchen station and a dish routed to it, a guest orders it, the station's display shows only
 * its line while expo shows the whole order, the cook bumps it, and the guest's phone says ready.
 */

const TABLET = { width: 1024, height: 768 };

let bistro: Bistro;
let browser: Browser;

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

function ticket(page: Page, number: string) {
  return page.getByRole('article', { name: new RegExp(`${number.replace(/[#-]/g, '\\$&')}$`) });
}

function column(page: Page, title: 'New' | 'Preparing' | 'Ready') {
  return page.getByRole('region', { name: new RegExp(`^${title} \\(`) });
}

describe('the whole loop', () => {
  it('manager sets up a Grill station and a dish routed to it → guest orders → grill shows its line, expo the order → bump → guest sees ready', async () => {
    // ---- the manager, on a desktop: the Stations page
    const desk = await managerAt(browser, bistro, '/manage/stations', 'Stations');
    const m = desk.page;
    const nav = m.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link', { name: 'Stations' }).getAttribute('aria-current')).toBe('page');
    const stations = m.getByRole('table');
    await stations.getByRole('rowheader', { name: 'Grill' }).waitFor();
    await expectAccessible(m, 'stations page');

    // The demo kitchen already has a Grill: a second one is refused on the field.
    const name = m.getByRole('textbox', { name: 'Station name' });
    await name.fill('grill');
    await m.getByRole('button', { name: 'Add station' }).click();
    await m.getByText('Already taken').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(m, 'stations page, name refused');

    // The manager retires the old Grill and opens a new one.
    const oldGrillId = (await bistro.manager.stations.list.query({ locationId: bistro.harborId })).find((s) => s.name === 'Grill')!.id;
    await m.getByRole('button', { name: 'Archive Grill' }).click();
    const confirm = m.getByRole('dialog', { name: 'Archive Grill?' });
    await confirm.waitFor();
    await expectAccessible(m, 'archive station dialog');
    await confirm.getByRole('button', { name: 'Archive' }).click();
    await stations.getByRole('rowheader', { name: 'Grill' }).waitFor({ state: 'detached' });
    await name.fill('Grill');
    await m.getByRole('button', { name: 'Add station' }).click();
    await m.getByRole('status').filter({ hasText: 'Added Grill.' }).waitFor();
    await stations.getByRole('rowheader', { name: 'Grill' }).waitFor();
    const listed = await bistro.manager.stations.list.query({ locationId: bistro.harborId });
    const grillId = listed.find((s) => s.name === 'Grill')!.id;
    expect(grillId).not.toBe(oldGrillId);
    // The new Grill goes last; moving it up puts it one place earlier, from the keyboard.
    expect(listed.at(-1)!.id).toBe(grillId);
    await m.getByRole('button', { name: 'Move Grill up' }).focus();
    await m.keyboard.press('Enter');
    await expect.poll(async () => (await bistro.manager.stations.list.query({ locationId: bistro.harborId })).map((s) => s.id).indexOf(grillId)).toBe(listed.length - 2);
    await expect.poll(async () => (await stations.getByRole('rowheader').allTextContents()).indexOf('Grill')).toBe(listed.length - 2);
    await expectAccessible(m, 'stations page, Grill added');

    // ---- the dish: a photo, a required choice, routed to the new Grill
    await m.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Menu' }).click();
    await m.getByRole('heading', { level: 1, name: 'Menu' }).waitFor();
    const dialog = await addItem(m, { category: 'From the grill', name: 'Smash burger', description: 'Two smashed patties, cheddar, pickles.', price: '13' });
    const editor = await createItem(m, dialog, 'Smash burger');
    await uploadPhoto(editor, 'smash.jpg');
    await addRequiredChoice(editor, 'Smash burger', 'Doneness', [['Pink'], ['Well done']]);
    // The station select lists the new Grill (not the archived one).
    const station = editor.getByRole('combobox', { name: 'Kitchen station' });
    await station.locator('option', { hasText: 'Grill' }).waitFor({ state: 'attached' });
    expect(await station.locator('option', { hasText: 'Grill' }).count()).toBe(1);
    await station.selectOption({ label: 'Grill' });
    await editor.getByRole('button', { name: 'Save item' }).click();
    await editor.getByText('Saved.', { exact: true }).waitFor();
    await expectAccessible(m, 'item editor routed to Grill');
    const item = await bistro.tdb.db.selectFrom('menu_items').select(['id', 'station_id', 'photo_key']).where('name', '=', 'Smash burger').executeTakeFirstOrThrow();
    expect(item.station_id).toBe(grillId);
    expect(item.photo_key).not.toBeNull();

    // ---- the cook: a station screen and expo, on two tablets, signed in once
    const cook = await createUser(bistro.tdb.db, { name: 'Kit Cook', roles: [{ locationId: bistro.harborId, role: 'staff' }] });
    const expoContext = await browser.newContext({ baseURL: bistro.url, viewport: TABLET, locale: 'en-GB', timezoneId: 'America/New_York' });
    const expo = await expoContext.newPage();
    await expo.clock.setFixedTime(NOW);
    await expo.goto(`/kitchen/${bistro.harborId}`);
    await expo.getByRole('textbox', { name: 'Email' }).waitFor();
    await signIn(expo, cook);
    await expo.getByRole('heading', { name: 'Harbor Bistro kitchen · Expo' }).waitFor();
    await expo.getByRole('heading', { name: 'New' }).waitFor();
    const grillContext = await browser.newContext({ baseURL: bistro.url, viewport: TABLET, locale: 'en-GB', timezoneId: 'America/New_York', storageState: await expoContext.storageState() });
    const grill = await grillContext.newPage();
    await grill.clock.setFixedTime(NOW);
    await grill.goto(`/kitchen/${bistro.harborId}?station=${grillId}`);
    await grill.getByRole('heading', { name: 'Harbor Bistro kitchen · Grill' }).waitFor();
    await grill.getByRole('heading', { name: 'New' }).waitFor();
    await expectAccessible(expo, 'expo board, empty');
    await expectAccessible(grill, 'grill board, empty');

    // ---- the guest: the dish with its photo on the menu, then an order with a Caesar salad (Cold)
    const phone = await openPhone(browser, bistro);
    await phone.page.goto('/l/harbor-bistro');
    const card = phone.page.getByRole('button', { name: /Smash burger/ });
    await card.waitFor();
    expect(await card.locator('img').getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{32}-320\.webp$/);
    await expectAccessible(phone.page, 'guest menu with the new dish');
    const guest = createBistroClient({ url: bistro.url });
    const menu = await guest.menu.get.query({ locationSlug: 'harbor-bistro' });
    const items = menu.categories.flatMap((c) => c.items);
    const smash = items.find((i) => i.name === 'Smash burger')!;
    const caesar = items.find((i) => i.name === 'Caesar salad')!;
    const doneness = smash.optionGroups.find((g) => g.name === 'Doneness')!;
    expect(doneness.minSelections).toBe(1);
    const order = await guest.orders.place.mutate({
      locationSlug: 'harbor-bistro',
      type: 'pickup',
      lines: [
        { itemId: smash.id, quantity: 1, options: [doneness.options.find((o) => o.name === 'Pink')!.id] },
        { itemId: caesar.id, quantity: 1, options: [caesar.optionGroups.find((g) => g.name === 'Dressing')!.options[0]!.id] },
      ],
      contact: { name: 'Gia Loop', phone: '+1 212 555 0100', email: `${randomUUID()}@example.test` },
      idempotencyKey: randomUUID(),
    });
    await phone.page.goto(`/track?order=${encodeURIComponent(order.trackingToken)}`);
    await phone.page.getByText('Status: Order received').waitFor();
    await expectAccessible(phone.page, 'tracking page, received');

    // Live on both screens: the grill its line only, expo the whole order.
    await column(expo, 'New').getByRole('article').filter({ hasText: order.number }).waitFor();
    const onExpo = ticket(expo, order.number);
    expect(await onExpo.textContent()).toContain('Smash burger');
    expect(await onExpo.textContent()).toContain('Pink');
    expect(await onExpo.textContent()).toContain('Caesar salad');
    expect(await onExpo.getByRole('listitem').filter({ hasText: 'Smash burger' }).first().textContent()).toContain('Grill');
    await column(grill, 'New').getByRole('article').filter({ hasText: order.number }).waitFor();
    const onGrill = ticket(grill, order.number);
    expect(await onGrill.textContent()).toContain('Smash burger');
    expect(await onGrill.textContent()).not.toContain('Caesar salad');
    await expectAccessible(expo, 'expo board with the order');
    await expectAccessible(grill, 'grill board with its line');

    // The cook bumps it: cooking from the grill, ready from expo; the guest's page follows, no reload.
    await grill.getByRole('button', { name: `Start cooking ${order.number}` }).click();
    await column(expo, 'Preparing').getByRole('article').filter({ hasText: order.number }).waitFor();
    await phone.page.getByText('Status: Being prepared').waitFor();
    await expo.getByRole('button', { name: `Mark ready ${order.number}` }).click();
    await column(grill, 'Ready').getByRole('article').filter({ hasText: order.number }).waitFor();
    await phone.page.getByText('Status: Ready').waitFor();
    await expectAccessible(phone.page, 'tracking page, ready');
    await expectAccessible(expo, 'expo board, ready');
    expect((await bistro.kitchen.orders.get.query({ orderId: order.id })).status).toBe('ready');

    await Promise.all([desk.context.close(), expoContext.close(), grillContext.close(), phone.context.close()]);
  });
});
