import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createBistroClient } from '@bistro/client';
import { createUser, type TestUser } from '../../../packages/api/test/helpers.js';
import { expectAccessible, launchBrowser, NOW, openPhone, startBistro, type Bistro } from './bistro.js';

/**
 * The kitchen display on a landscape tablet (1024×768), on a real Bistro and a real Chromium:
 * guest orders arrive live, a station's screen shows only its lines and expo whole orders,
 * bumps reach the guest's tracking page, two screens racing on one ticket never duplicate it, the
 * bump bar works from the keyboard alone, and a dropped connection resumes with nothing lost.
 */

const TABLET = { width: 1024, height: 768 };
const ARTIFACTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const README_SCREENS = fileURLToPath(new URL('../screenshots/', import.meta.url));

let bistro: Bistro;
let browser: Browser;
let cook: TestUser;
let guest: ReturnType<typeof createBistroClient>;
let grillId: string;
/** Harbor Bistro's burger (routed to the Grill) and Caesar salad (Cold), with their required choices. */
let burger: { id: string; side: string };
let caesar: { id: string; dressing: string };
/** The cook's signed-in browser state, shared by every kitchen screen. */
let cookState: Awaited<ReturnType<BrowserContext['storageState']>>;

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
  cook = await createUser(bistro.tdb.db, { name: 'Kit Cook', roles: [{ locationId: bistro.harborId, role: 'staff' }] });
  guest = createBistroClient({ url: bistro.url });
  const menu = await guest.menu.get.query({ locationSlug: 'harbor-bistro' });
  const items = menu.categories.flatMap((c) => c.items);
  const b = items.find((i) => i.name === 'Bistro burger')!;
  const c = items.find((i) => i.name === 'Caesar salad')!;
  burger = { id: b.id, side: b.optionGroups.find((g) => g.name === 'Side')!.options[0]!.id };
  caesar = { id: c.id, dressing: c.optionGroups.find((g) => g.name === 'Dressing')!.options[0]!.id };
  grillId = (await bistro.kitchen.stations.list.query({ locationId: bistro.harborId })).find((s) => s.name === 'Grill')!.id;

  // The cook signs in once, as a person does; every kitchen screen starts from that session.
  const context = await browser.newContext({ baseURL: bistro.url, viewport: TABLET, locale: 'en-GB', timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  await page.goto('/kitchen');
  await page.getByRole('textbox', { name: 'Email' }).waitFor();
  await expectAccessible(page, 'sign-in on the way to the kitchen');
  await page.getByRole('textbox', { name: 'Email' }).fill(cook.email);
  await page.getByLabel('Password').fill(cook.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // One location: straight to its board.
  await page.getByRole('heading', { name: 'Harbor Bistro kitchen · Expo' }).waitFor();
  cookState = await context.storageState();
  await context.close();
});
// Each test's tickets (and a burger 86'd by hand) leave the boards, passed or not.
afterEach(clearBoard);
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

/** A kitchen screen (a tablet), signed in as the cook, showing expo or one station. */
async function kitchenScreen(station?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: bistro.url, viewport: TABLET, locale: 'en-GB', timezoneId: 'America/New_York', storageState: cookState, hasTouch: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  await page.goto(`/kitchen/${bistro.harborId}${station ? `?station=${station}` : ''}`);
  await page.getByRole('heading', { name: 'New' }).waitFor();
  return { context, page };
}

/** A guest's pickup order at Harbor Bistro (paid at the counter: the kitchen sees it at once): a burger and a Caesar salad. */
async function guestOrder(name: string) {
  return guest.orders.place.mutate({
    locationSlug: 'harbor-bistro',
    type: 'pickup',
    lines: [
      { itemId: burger.id, quantity: 1, options: [burger.side], note: 'no pickles' },
      { itemId: caesar.id, quantity: 2, options: [caesar.dressing] },
    ],
    contact: { name, phone: '+1 212 555 0100', email: `${randomUUID()}@example.test` },
    idempotencyKey: randomUUID(),
  });
}

/** The ticket of order `number` on a screen (its card, named by its heading). */
function ticket(page: Page, number: string) {
  return page.getByRole('article', { name: new RegExp(`${number.replace(/[#-]/g, '\\$&')}$`) });
}

function column(page: Page, title: 'New' | 'Preparing' | 'Ready') {
  return page.getByRole('region', { name: new RegExp(`^${title} \\(`) });
}

/** Takes an order off every board (a test's own tickets don't crowd the next test's). */
async function clearBoard() {
  await bistro.kitchen.kitchen.set86.mutate({ itemId: burger.id, eightySixed: false });
  const { tickets } = await bistro.kitchen.kitchen.queue.query({ locationId: bistro.harborId });
  for (const t of tickets) await bistro.kitchen.kitchen.reject.mutate({ orderId: t.orderId, reason: 'Test over' });
}

/** The board at 1024×768 (and 1280 wide): a test artifact, and with BISTRO_README_SCREENSHOTS=1 the README's picture. */
async function tabletScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  writeFileSync(`${ARTIFACTS}${name}-tablet.png`, await page.screenshot());
  if (process.env.BISTRO_README_SCREENSHOTS === '1') {
    mkdirSync(README_SCREENS, { recursive: true });
    writeFileSync(`${README_SCREENS}${name}-tablet.jpg`, await page.screenshot({ type: 'jpeg', quality: 60 }));
  }
}

describe('the kitchen display', () => {
  it('shows a guest’s order live (grill: its line only; expo: the whole order), and a bump to ready reaches the guest’s tracking page', async () => {
    const expo = await kitchenScreen();
    const grill = await kitchenScreen(grillId);
    await grill.page.getByRole('heading', { name: 'Harbor Bistro kitchen · Grill' }).waitFor();
    await expectAccessible(expo.page, 'empty expo board');

    const order = await guestOrder('Ana Lima');
    // No reload: the feed brings it to both screens.
    const onExpo = ticket(expo.page, order.number);
    await column(expo.page, 'New').getByRole('article').filter({ hasText: order.number }).waitFor();
    expect(await onExpo.textContent()).toContain('Bistro burger');
    expect(await onExpo.textContent()).toContain('Caesar salad');
    expect(await onExpo.textContent()).toContain('Note: no pickles');
    expect(await onExpo.textContent()).toContain('Pickup · Ana · ASAP');
    // Expo shows each line's station.
    expect(await onExpo.getByRole('listitem').filter({ hasText: 'Bistro burger' }).first().textContent()).toContain('Grill');
    expect(await onExpo.getByRole('listitem').filter({ hasText: 'Caesar salad' }).first().textContent()).toContain('Cold');
    const onGrill = ticket(grill.page, order.number);
    await onGrill.waitFor();
    expect(await onGrill.textContent()).toContain('Bistro burger');
    expect(await onGrill.textContent()).not.toContain('Caesar salad');
    await expectAccessible(expo.page, 'expo board with a ticket');
    await expectAccessible(grill.page, 'grill board with a ticket');

    // The guest follows the order on a phone.
    const phone = await openPhone(browser, bistro);
    await phone.page.goto(`/track?order=${encodeURIComponent(order.trackingToken)}`);
    await phone.page.getByText('Status: Order received').waitFor();

    await expo.page.getByRole('button', { name: `Start cooking ${order.number}` }).click();
    await column(expo.page, 'Preparing').getByRole('article').filter({ hasText: order.number }).waitFor();
    // The grill screen follows the expo's bump.
    await column(grill.page, 'Preparing').getByRole('article').filter({ hasText: order.number }).waitFor();
    await phone.page.getByText('Status: Being prepared').waitFor();
    await tabletScreenshot(expo.page, 'kitchen-expo');
    await tabletScreenshot(grill.page, 'kitchen-grill');

    await grill.page.getByRole('button', { name: `Mark ready ${order.number}` }).click();
    await column(expo.page, 'Ready').getByRole('article').filter({ hasText: order.number }).waitFor();
    // Live on the guest's phone, without a reload.
    await phone.page.getByText('Status: Ready').waitFor();
    await expectAccessible(phone.page, 'tracking page, ready');
    expect(await ticket(expo.page, order.number).count()).toBe(1);

    // The 86 board: a toggle per item; 86'ing the burger by hand shows on it.
    await expo.page.getByRole('button', { name: '86 board' }).click();
    const toggle = expo.page.getByRole('button', { name: '86 Bistro burger' });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    // Shown at once, and settled once the server has answered (the toggle is enabled again).
    await expo.page.getByRole('button', { name: '86 Bistro burger', pressed: true, disabled: false }).waitFor();
    await expo.page.getByText('86’d by hand').waitFor();
    const menu = await guest.menu.get.query({ locationSlug: 'harbor-bistro' });
    expect(menu.categories.flatMap((c) => c.items).find((i) => i.id === burger.id)).toMatchObject({ available: false, unavailableReason: 'eightySixed' });
    await expectAccessible(expo.page, '86 board');
    await tabletScreenshot(expo.page, 'kitchen-86-board');
    await expo.page.getByRole('button', { name: '86 Bistro burger' }).click();
    await expo.page.getByRole('button', { name: '86 Bistro burger', pressed: false, disabled: false }).waitFor();
    expect((await guest.menu.get.query({ locationSlug: 'harbor-bistro' })).categories.flatMap((c) => c.items).find((i) => i.id === burger.id)).toMatchObject({ available: true });

    await Promise.all([expo.context.close(), grill.context.close(), phone.context.close()]);
  });

  it('two screens bump the same ticket: one wins, the other says so and shows it once, where it now is', async () => {
    const first = await kitchenScreen();
    const second = await kitchenScreen();
    const order = await guestOrder('Ben Race');
    await ticket(first.page, order.number).waitFor();
    await ticket(second.page, order.number).waitFor();

    // The second screen's bump leaves with `from: placed`; the first screen's bump lands before it reaches the server.
    await second.page.route('**/trpc/kitchen.bump**', async (route) => {
      await first.page.getByRole('button', { name: `Start cooking ${order.number}` }).click();
      await column(first.page, 'Preparing').getByRole('article').filter({ hasText: order.number }).waitFor();
      await route.continue();
    });
    await second.page.getByRole('button', { name: `Start cooking ${order.number}` }).click();
    await second.page.getByRole('alert').filter({ hasText: `Ticket ${order.number}: Another screen moved this ticket first` }).waitFor();
    await column(second.page, 'Preparing').getByRole('article').filter({ hasText: order.number }).waitFor();
    expect(await ticket(second.page, order.number).count()).toBe(1);
    expect(await ticket(first.page, order.number).count()).toBe(1);
    const history = await bistro.kitchen.orders.get.query({ orderId: order.id });
    expect(history.status).toBe('preparing');
    expect(history.history.filter((h) => h.action === 'accept')).toHaveLength(1);
    await expectAccessible(second.page, 'the losing screen');
    await tabletScreenshot(second.page, 'kitchen-race-refused');
    // Rejecting, with a reason the guest sees: gone from both screens.
    await first.page.getByRole('button', { name: `Reject ${order.number}` }).click();
    const dialog = first.page.getByRole('dialog', { name: `Reject order ${order.number}?` });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Out of burger buns');
    await expectAccessible(first.page, 'reject dialog');
    await dialog.getByRole('button', { name: 'Reject order' }).click();
    await ticket(first.page, order.number).waitFor({ state: 'detached' });
    await ticket(second.page, order.number).waitFor({ state: 'detached' });
    const rejected = await bistro.kitchen.orders.get.query({ orderId: order.id });
    expect(rejected.status).toBe('cancelled');
    expect(rejected.history.at(-1)).toMatchObject({ action: 'reject', reason: 'Out of burger buns' });
    await Promise.all([first.context.close(), second.context.close()]);
  });

  it('runs from the keyboard alone: a number key selects a ticket, Enter bumps it, focus follows it', async () => {
    const { context, page } = await kitchenScreen();
    const order = await guestOrder('Cleo Keys');
    const card = ticket(page, order.number);
    await card.waitFor();
    const key = (await card.locator('[aria-hidden="true"]').first().textContent())!.trim();
    expect(key).toMatch(/^[1-9]$/);
    await page.keyboard.press(key);
    const start = page.getByRole('button', { name: `Start cooking ${order.number}` });
    await expect.poll(() => start.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const ready = page.getByRole('button', { name: `Mark ready ${order.number}` });
    await ready.waitFor();
    await expect.poll(() => ready.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await column(page, 'Ready').getByRole('article').filter({ hasText: order.number }).waitFor();
    // The screen showed it at once; the server's answer follows.
    await expect.poll(async () => (await bistro.kitchen.orders.get.query({ orderId: order.id })).status).toBe('ready');
    // An hour later the ticket that is still cooking runs late (past the prep time): the timer says so in words, not only in red.
    const late = await guestOrder('Finn Late');
    await ticket(page, late.number).waitFor();
    await page.clock.setFixedTime(new Date(NOW.getTime() + 60 * 60_000));
    await ticket(page, late.number).getByText('Late', { exact: true }).waitFor();
    expect(await ticket(page, late.number).textContent()).toContain('60 min');
    // Sound: one tap enables it (the browser's autoplay rule), then it is a toggle.
    await page.getByRole('button', { name: 'Enable sound' }).click();
    await page.getByRole('button', { name: 'Sound', pressed: true }).waitFor();
    await tabletScreenshot(page, 'kitchen-late');
    // Recall is not offered: the lifecycle has no step back from ready, and the screen says so.
    await page.getByText('There is no recall').waitFor();
    await expectAccessible(page, 'board after keyboard bumps');
    await context.close();
  });

  it('a station marks its lines done (tap or keyboard) and expo shows it live, in words; R recalls it; a ready order can’t be recalled', async () => {
    const expo = await kitchenScreen();
    const grill = await kitchenScreen(grillId);
    await grill.page.getByRole('heading', { name: 'Harbor Bistro kitchen · Grill' }).waitFor();
    const order = await guestOrder('Gus Grill');
    const onGrill = ticket(grill.page, order.number);
    await onGrill.waitFor();
    const stationsOnExpo = ticket(expo.page, order.number).getByRole('list', { name: `Stations of ${order.number}` });
    await stationsOnExpo.waitFor();
    expect((await stationsOnExpo.getByRole('listitem').allTextContents()).map((t) => t.trim())).toEqual(['… Grill: cooking', '… Cold: cooking']);
    const recallButton = grill.page.getByRole('button', { name: /^Recall last done/ });
    expect(await recallButton.isDisabled()).toBe(true);

    // Keyboard: the ticket's number key selects it, and Enter marks the grill done on it (not a bump).
    const key = (await onGrill.locator('[aria-hidden="true"]').first().textContent())!.trim();
    await grill.page.keyboard.press(key);
    const done = grill.page.getByRole('button', { name: `Done ${order.number}` });
    await expect.poll(() => done.evaluate((el) => el === document.activeElement)).toBe(true);
    await grill.page.keyboard.press('Enter');
    await grill.page.getByRole('button', { name: `Done ${order.number}`, pressed: true }).waitFor();
    // Live on expo, without a reload; the order itself has not moved.
    await stationsOnExpo.getByRole('listitem').filter({ hasText: 'Grill: done' }).waitFor();
    await stationsOnExpo.getByRole('listitem').filter({ hasText: 'Cold: cooking' }).waitFor();
    await column(expo.page, 'New').getByRole('article').filter({ hasText: order.number }).waitFor();
    await expect.poll(async () => (await bistro.kitchen.kitchen.queue.query({ locationId: bistro.harborId })).tickets.find((t) => t.orderId === order.id)?.stations).toEqual([
      { id: grillId, name: 'Grill', done: true },
      expect.objectContaining({ name: 'Cold', done: false }),
    ]);
    await grill.page.getByRole('button', { name: `Recall last done (${order.number})` }).waitFor();
    await expectAccessible(grill.page, 'grill board, a ticket done');
    await expectAccessible(expo.page, 'expo board, grill done');
    await tabletScreenshot(grill.page, 'kitchen-grill-done');
    await tabletScreenshot(expo.page, 'kitchen-expo-stations-done');

    // R recalls it: back to cooking, on both screens.
    await grill.page.keyboard.press('r');
    await grill.page.getByRole('button', { name: `Done ${order.number}`, pressed: false }).waitFor();
    await stationsOnExpo.getByRole('listitem').filter({ hasText: 'Grill: cooking' }).waitFor();
    expect(await recallButton.isDisabled()).toBe(true);

    // A tap marks it done again; expo bumps the order on to ready: the toggle goes, and a recall is refused with the reason.
    await grill.page.getByRole('button', { name: `Done ${order.number}` }).click();
    await stationsOnExpo.getByRole('listitem').filter({ hasText: 'Grill: done' }).waitFor();
    await expo.page.getByRole('button', { name: `Start cooking ${order.number}` }).click();
    await column(expo.page, 'Preparing').getByRole('article').filter({ hasText: order.number }).waitFor();
    await expo.page.getByRole('button', { name: `Mark ready ${order.number}` }).click();
    await column(grill.page, 'Ready').getByRole('article').filter({ hasText: order.number }).waitFor();
    expect(await grill.page.getByRole('button', { name: `Done ${order.number}` }).count()).toBe(0);
    await grill.page.getByText('A ticket bumped to ready can’t be recalled').waitFor();
    await grill.page.keyboard.press('R');
    await grill.page.getByRole('alert').filter({ hasText: `Ticket ${order.number}: This order has moved on (a ready order can’t be recalled)` }).waitFor();
    await column(grill.page, 'Ready').getByRole('article').filter({ hasText: order.number }).waitFor();
    expect((await bistro.kitchen.kitchen.queue.query({ locationId: bistro.harborId })).tickets.find((t) => t.orderId === order.id)).toMatchObject({ status: 'ready', stations: [{ name: 'Grill', done: true }, { name: 'Cold', done: false }] });
    await expectAccessible(grill.page, 'grill board, recall refused');
    await Promise.all([expo.context.close(), grill.context.close()]);
  });

  it('shows a banner when the connection drops, and resumes with nothing lost or repeated', async () => {
    const { context, page } = await kitchenScreen();
    const before = await guestOrder('Dee Before');
    await ticket(page, before.number).waitFor();
    const shown = await page.getByRole('article').count();
    // The tablet loses its network, and the server's end of the live feed closes with it.
    await context.setOffline(true);
    bistro.server.app.server.closeAllConnections();
    await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor();
    await expectAccessible(page, 'offline banner');
    await tabletScreenshot(page, 'kitchen-offline');
    const during = await guestOrder('Eli During');
    await bistro.kitchen.kitchen.bump.mutate({ orderId: before.id, from: 'placed' });
    await context.setOffline(false);
    await column(page, 'New').getByRole('article').filter({ hasText: during.number }).waitFor();
    await column(page, 'Preparing').getByRole('article').filter({ hasText: before.number }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Connection lost' }).waitFor({ state: 'detached' });
    expect(await ticket(page, during.number).count()).toBe(1);
    expect(await ticket(page, before.number).count()).toBe(1);
    expect(await page.getByRole('article').count()).toBe(shown + 1);
    await context.close();
  });

  it('says “signed out” with a way back when the session ends, instead of an empty board', async () => {
    const person = await createUser(bistro.tdb.db, { roles: [{ locationId: bistro.harborId, role: 'staff' }] });
    const context = await browser.newContext({ baseURL: bistro.url, viewport: TABLET, locale: 'en-GB', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await page.clock.setFixedTime(NOW);
    await page.goto(`/sign-in?next=${encodeURIComponent(`/kitchen/${bistro.harborId}`)}`);
    await page.getByRole('textbox', { name: 'Email' }).fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New' }).waitFor();
    // Signed out everywhere from another device: the screen's feed ends at once.
    await createBistroClient({ url: bistro.url, token: person.token }).auth.signOutEverywhere.mutate({});
    await page.getByRole('alert').filter({ hasText: 'Signed out' }).waitFor();
    await page.getByRole('link', { name: 'Sign in again' }).waitFor();
    await expectAccessible(page, 'signed out');
    await context.close();
  });

  it('keeps staff without a role here out (not found), and the kitchen’s code out of the guest’s pages', async () => {
    const stranger = await createUser(bistro.tdb.db, {});
    const context = await browser.newContext({ baseURL: bistro.url, viewport: TABLET });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto('/l/harbor-bistro');
    await page.getByRole('heading', { name: 'Harbor Bistro' }).first().waitFor();
    const guestScripts = [...scripts];
    await page.goto(`/sign-in?next=${encodeURIComponent('/kitchen')}`);
    await page.getByRole('textbox', { name: 'Email' }).fill(stranger.email);
    await page.getByLabel('Password').fill(stranger.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'This page doesn’t exist' }).waitFor();
    // The kitchen's chunk is loaded only on the way to /kitchen, never by the guest's menu.
    const kitchenChunks = scripts.filter((s) => /kitchen/i.test(s));
    expect(kitchenChunks.length).toBeGreaterThan(0);
    expect(guestScripts.filter((s) => /kitchen/i.test(s))).toEqual([]);
    await expectAccessible(page, 'kitchen, not found');
    await context.close();
  });
});
