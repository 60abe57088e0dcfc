import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createUser } from '../../../packages/api/test/helpers.js';
import {
  DESKTOP,
  NOW,
  addItem,
  addRequiredChoice,
  createItem,
  dishPhoto,
  expectAccessible,
  launchBrowser,
  managerAt,
  openDesktop,
  screenshots,
  signIn,
  startBistro,
  uploadPhoto,
  type Bistro,
} from './bistro.js';

let bistro: Bistro;
let browser: Browser;

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

/** A new manager of Harbor Bistro, signed in on a desktop page at the console's menu editor. */
const managerAtMenu = () => managerAt(browser, bistro);

describe('the manager’s console', () => {
  it('a manager who never saw Bistro adds an item with a photo and a required choice, and guests see it with its photo', async () => {
    const { context, page } = await managerAtMenu();
    expect(new URL(page.url()).pathname).toBe('/manage/menu');
    // The navigation lists what a manager may do, and no admin pages.
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link', { name: 'Menu' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await expectAccessible(page, 'menu editor');

    // A category, then an item in it.
    const dialog = await addItem(page, { category: 'Specials', name: 'Truffle burger', description: 'Beef, truffle mayonnaise, aged comté.', price: '14.5' });
    await dialog.getByRole('checkbox', { name: 'Milk' }).check();
    await dialog.getByRole('checkbox', { name: 'Gluten' }).check();
    const editor = await createItem(page, dialog, 'Truffle burger');
    const row = await bistro.tdb.db.selectFrom('menu_items').select(['id', 'price_minor', 'allergens']).where('name', '=', 'Truffle burger').executeTakeFirstOrThrow();
    expect(row.price_minor).toBe(1450);
    expect(row.allergens).toEqual(['gluten', 'milk']);

    // Its photo: previewed, uploaded with progress, then shown as the server stored it.
    await uploadPhoto(editor, 'burger.jpg');
    const photo = editor.getByRole('img', { name: 'Photo of Truffle burger' });
    expect(await photo.getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{32}-1280\.webp$/);

    // A required choice: exactly one doneness.
    const group = await addRequiredChoice(editor, 'Truffle burger', 'Doneness', [['Medium'], ['Well done', '0.50']]);
    expect(await group.textContent()).toContain('Required: choose 1');
    await expectAccessible(page, 'item editor with photo and choice');
    await screenshots(page, 'manage-item-editor');
    await page.setViewportSize(DESKTOP);
    await editor.getByRole('button', { name: 'Close', exact: true }).first().click();
    await page.getByRole('row', { name: 'Truffle burger' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshots(page, 'manage-menu');

    // A guest sees it on the menu, with its photo and the choice to make.
    const guest = await context.browser()!.newContext({ baseURL: bistro.url, viewport: DESKTOP });
    const guestPage = await guest.newPage();
    await guestPage.clock.setFixedTime(NOW);
    await guestPage.goto('/l/harbor-bistro');
    const card = guestPage.getByRole('button', { name: /Truffle burger/ });
    await card.waitFor();
    expect(await card.locator('img').getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{32}-320\.webp$/);
    const natural = await card.locator('img').evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      return img.naturalWidth;
    });
    // It really loads (a broken image has no natural width).
    expect(natural).toBeGreaterThan(0);
    await card.click();
    const item = guestPage.getByRole('dialog', { name: 'Truffle burger' });
    await item.getByText('Well done').waitFor();
    expect(await item.textContent()).toContain('Doneness');
    await guest.close();
    await context.close();
  });

  it('a recipe set in the item editor takes the dish off the menu automatically once stock runs out, and the console says so', async () => {
    const romaine = await bistro.manager.inventory.ingredients.upsert.mutate({ locationId: bistro.harborId, name: 'Romaine', unit: 'piece', lowStockThreshold: 1 });
    await bistro.manager.inventory.adjust.mutate({ ingredientId: romaine.id, reason: 'delivery', delta: 4 });
    const lemons = await bistro.manager.inventory.ingredients.upsert.mutate({ locationId: bistro.harborId, name: 'Lemons', unit: 'piece', lowStockThreshold: 0 });
    const { context, page } = await managerAtMenu();
    await page.getByRole('button', { name: 'Edit Caesar salad' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit Caesar salad' });
    const recipe = editor.getByRole('group', { name: 'Recipe of Caesar salad' });
    expect(await recipe.textContent()).toContain('No recipe');

    // The item's recipe: one head of romaine a portion (the form says the unit and what is on hand).
    await recipe.getByRole('button', { name: 'Add a recipe to Caesar salad' }).click();
    const form = editor.getByRole('form', { name: 'Recipe of Caesar salad' });
    await form.getByLabel('Ingredient 1', { exact: true }).selectOption({ label: 'Romaine (piece)' });
    const quantity = form.getByRole('textbox', { name: /^Ingredient 1 quantity \(piece\)/ });
    await form.getByText('On hand: 4 piece').waitFor();
    // Nothing typed: refused on the field, before anything is sent.
    await form.getByRole('button', { name: 'Save recipe of Caesar salad' }).click();
    await form.getByText('Enter a whole number, at least 1').waitFor();
    await quantity.fill('1');
    await form.getByRole('button', { name: 'Save recipe of Caesar salad' }).click();
    await recipe.getByText('Recipe: Romaine 1 piece').waitFor();

    // An option's own recipe: the lemon vinaigrette takes a lemon.
    await editor.getByRole('button', { name: 'Add a recipe to Lemon vinaigrette' }).click();
    const optionForm = editor.getByRole('form', { name: 'Recipe of Lemon vinaigrette' });
    await optionForm.getByLabel('Ingredient 1', { exact: true }).selectOption({ label: 'Lemons (piece)' });
    await optionForm.getByRole('textbox', { name: /^Ingredient 1 quantity/ }).fill('1');
    await optionForm.getByRole('button', { name: 'Save recipe of Lemon vinaigrette' }).click();
    // No lemons in stock: the option is off the menu at once, and says why.
    const vinaigrette = editor.getByRole('group', { name: 'Recipe of Lemon vinaigrette' });
    await vinaigrette.getByText('Recipe: Lemons 1 piece').waitFor();
    await vinaigrette.getByText('86 automatically: out of stock').waitFor();
    expect(await recipe.textContent()).not.toContain('86 automatically');
    await expectAccessible(page, 'item editor with recipes');
    await recipe.scrollIntoViewIfNeeded();
    await screenshots(page, 'manage-recipe', { fullPage: false });
    await page.setViewportSize(DESKTOP);
    const caesarId = (await bistro.tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', bistro.harborId).where('name', '=', 'Caesar salad').executeTakeFirstOrThrow()).id;
    const stored = await bistro.manager.inventory.recipes.get.query({ itemId: caesarId });
    expect(stored.lines).toEqual([{ ingredientId: romaine.id, ingredientName: 'Romaine', unit: 'piece', quantity: 1 }]);
    expect(stored.options.map((o) => o.lines.map((l) => [l.ingredientId, l.quantity]))).toEqual([[[lemons.id, 1]]]);
    await editor.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect.poll(() => page.getByRole('row', { name: 'Caesar salad' }).textContent()).not.toContain('86 automatically');

    // The romaine is counted: none left. The salad goes off the menu by itself.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Stock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stock' }).waitFor();
    await page.getByRole('button', { name: 'Adjust Romaine' }).click();
    const adjust = page.getByRole('dialog', { name: 'Adjust Romaine' });
    await adjust.getByLabel('Reason').selectOption('count');
    await adjust.getByRole('textbox', { name: /^Counted/ }).fill('0');
    await adjust.getByRole('button', { name: 'Save adjustment' }).click();
    await adjust.waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Menu' }).click();
    const salad = page.getByRole('row', { name: 'Caesar salad' });
    await salad.getByText('86 automatically: out of stock').waitFor();
    await expectAccessible(page, 'menu editor with an item 86’d by stock');
    const menu = await bistro.manager.menu.get.query({ locationSlug: 'harbor-bistro' });
    expect(menu.categories.flatMap((c) => c.items).find((i) => i.id === caesarId)).toMatchObject({ available: false, unavailableReason: 'outOfStock' });

    // The guest's menu says so too.
    const guest = await context.browser()!.newContext({ baseURL: bistro.url, viewport: DESKTOP });
    const guestPage = await guest.newPage();
    await guestPage.clock.setFixedTime(NOW);
    await guestPage.goto('/l/harbor-bistro');
    const soldOut = guestPage.locator('[aria-disabled="true"]').filter({ hasText: 'Caesar salad' });
    await soldOut.getByText('Sold out: the kitchen has run out').waitFor();
    expect(await guestPage.getByRole('button', { name: /Caesar salad/ }).count()).toBe(0);
    await guest.close();
    // A delivery puts it back.
    await bistro.manager.inventory.adjust.mutate({ ingredientId: romaine.id, reason: 'delivery', delta: 2 });
    await context.close();
  });

  it('items are dragged into a new order, categories moved from the keyboard, and both orders stay after a reload', async () => {
    const { context, page } = await managerAtMenu();
    const drinks = page.getByRole('grid', { name: 'Items of Drinks' });
    const order = (grid: typeof drinks) => grid.getByRole('row').evaluateAll((rows) => rows.map((r) => r.querySelector('strong')?.textContent ?? r.textContent?.trim() ?? ''));
    expect(await order(drinks)).toEqual(['House lemonade', 'Espresso', 'House red', 'Sparkling water']);
    await expectAccessible(page, 'menu editor with drag handles');

    // Sparkling water dragged by its handle to the top of the list.
    await drinks.getByRole('row', { name: 'Sparkling water' }).dragTo(drinks.getByRole('row', { name: 'House lemonade' }), { sourcePosition: { x: 120, y: 20 }, targetPosition: { x: 120, y: 4 } });
    await expect.poll(() => order(drinks)).toEqual(['Sparkling water', 'House lemonade', 'Espresso', 'House red']);
    const stored = async () =>
      (await bistro.manager.menu.forEdit.query({ locationId: bistro.harborId })).items
        .filter((i) => ['House lemonade', 'Espresso', 'House red', 'Sparkling water'].includes(i.name))
        .map((i) => i.name);
    await expect.poll(stored).toEqual(['Sparkling water', 'House lemonade', 'Espresso', 'House red']);

    // Desserts moved before Mains from the keyboard: Enter on the handle picks it up, the arrows move it, Enter drops it.
    const categories = page.getByRole('grid', { name: 'Order of categories' });
    const categoryOrder = () => categories.getByRole('row').evaluateAll((rows) => rows.map((r) => r.textContent?.replace(/[⠿↑↓]/g, '').trim() ?? ''));
    const before = await categoryOrder();
    const desserts = before.indexOf('Desserts');
    expect(before[desserts - 1]).toBe('Mains');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    // As a keyboard user: on the Desserts row, → to its handle, Enter.
    await categories.getByRole('row', { name: 'Desserts' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('Drag Desserts');
    await page.keyboard.press('Enter');
    // Picked up (the drop places appear): the arrows go from place to place, each read out by its label.
    await categories.getByRole('button', { name: 'Insert between Starters and Mains' }).waitFor({ state: 'attached' });
    for (let presses = 0; presses < 6 && (await focused()) !== 'Insert between Starters and Mains'; presses += 1) await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('Insert between Starters and Mains');
    await page.keyboard.press('Enter');
    // The keyboard user keeps their place: focus is back on what they moved.
    await expect.poll(focused).toBe('Drag Desserts');
    const expected = [...before.slice(0, desserts - 1), 'Desserts', 'Mains', ...before.slice(desserts + 1)];
    await expect.poll(categoryOrder).toEqual(expected);
    await expect.poll(async () => (await bistro.manager.menu.forEdit.query({ locationId: bistro.harborId })).categories.map((c) => c.name)).toEqual(expected);

    // After a reload, the same orders.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Menu' }).waitFor();
    expect(await order(drinks)).toEqual(['Sparkling water', 'House lemonade', 'Espresso', 'House red']);
    expect(await categoryOrder()).toEqual(expected);

    // The arrows still move one place at a time, and the focus stays on the arrow pressed.
    await drinks.getByRole('row', { name: 'Espresso' }).focus();
    for (const control of ['Drag Espresso', 'Edit Espresso', 'Move Espresso up']) {
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe(control);
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => order(drinks)).toEqual(['Sparkling water', 'Espresso', 'House lemonade', 'House red']);
    await expect.poll(focused).toBe('Move Espresso up');
    await expect.poll(stored).toEqual(['Sparkling water', 'Espresso', 'House lemonade', 'House red']);
    await expectAccessible(page, 'menu editor after reordering');
    await context.close();
  });

  it('a photo that is too large or not an image is refused on the field, and nothing is stored', async () => {
    const { context, page } = await managerAtMenu();
    await page.getByRole('button', { name: 'Edit Espresso' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit Espresso' });
    const field = editor.getByLabel('Choose a photo');
    await field.setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo at all, just some words') });
    await editor.getByRole('alert').filter({ hasText: 'Use a JPEG, PNG or WebP photo.' }).waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    // The message is tied to the field: a screen reader reads it with the field.
    const described = (await field.getAttribute('aria-describedby'))!.split(' ');
    const errorId = await editor.getByRole('alert').getAttribute('id');
    expect(described).toContain(errorId);

    const huge = Buffer.concat([await dishPhoto(), Buffer.alloc(6 * 1024 * 1024)]);
    await field.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: huge });
    await editor.getByRole('alert').filter({ hasText: 'That photo is too large' }).waitFor();
    await expectAccessible(page, 'photo refused');
    const espresso = await bistro.tdb.db.selectFrom('menu_items').select('photo_key').where('name', '=', 'Espresso').where('location_id', '=', bistro.harborId).executeTakeFirstOrThrow();
    expect(espresso.photo_key).toBeNull();
    await context.close();
  });

  it('two tabs edit the same item: the second save opens “changed meanwhile” with their version, and nothing is overwritten', async () => {
    const { context, page: first } = await managerAtMenu();
    const second = await context.newPage();
    await second.clock.setFixedTime(NOW);
    await second.goto(first.url());
    for (const page of [first, second]) await page.getByRole('button', { name: 'Edit Crème brûlée' }).click();
    const a = first.getByRole('dialog', { name: 'Edit Crème brûlée' });
    const b = second.getByRole('dialog', { name: 'Edit Crème brûlée' });
    await a.getByRole('textbox', { name: /^Price/ }).fill('9.75');
    await a.getByRole('button', { name: 'Save item' }).click();
    await a.getByText('Saved.', { exact: true }).waitFor();

    await b.getByRole('textbox', { name: 'Name' }).fill('Crème brûlée à la vanille');
    await b.getByRole('button', { name: 'Save item' }).click();
    const stale = second.getByRole('dialog', { name: 'Someone changed this meanwhile' });
    await stale.waitFor();
    // Their version, as saved by the first tab.
    await stale.getByText(/9\.75/).waitFor();
    await expectAccessible(second, 'stale version dialog');
    await screenshots(second, 'manage-stale-version');
    await second.setViewportSize(DESKTOP);
    const row = await bistro.tdb.db
      .selectFrom('menu_items')
      .select(['name', 'price_minor'])
      .where('location_id', '=', bistro.harborId)
      .where('name', 'like', 'Crème brûlée%')
      .execute();
    expect(row).toEqual([{ name: 'Crème brûlée', price_minor: 975 }]);

    // Reloading puts their version in the form; saving again then works on top of it.
    await stale.getByRole('button', { name: 'Reload their version' }).click();
    expect(await b.getByRole('textbox', { name: /^Price/ }).inputValue()).toBe('9.75');
    expect(await b.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Crème brûlée');
    await b.getByRole('textbox', { name: 'Name' }).fill('Crème brûlée à la vanille');
    await b.getByRole('button', { name: 'Save item' }).click();
    await b.getByText('Saved.', { exact: true }).waitFor();
    const after = await bistro.tdb.db.selectFrom('menu_items').select(['name', 'price_minor']).where('location_id', '=', bistro.harborId).where('name', 'like', 'Crème brûlée%').execute();
    expect(after).toEqual([{ name: 'Crème brûlée à la vanille', price_minor: 975 }]);
    await context.close();
  });

  it('today’s orders list the guest’s order; its view takes a partial refund and shows it, with the history', async () => {
    const menu = await bistro.manager.menu.get.query({ locationSlug: 'harbor-bistro' });
    const lemonade = menu.categories.flatMap((c) => c.items).find((i) => i.name === 'House lemonade')!;
    const placed = await bistro.kitchen.orders.place.mutate({
      locationSlug: 'harbor-bistro',
      type: 'pickup',
      lines: [{ itemId: lemonade.id, quantity: 2, options: [] }],
      contact: { name: 'Refund Rita', phone: '+1 212 555 0100' },
      idempotencyKey: randomUUID(),
    });
    const { context, page } = await managerAtMenu();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: placed.number });
    await row.waitFor();
    expect(await row.textContent()).toContain('Refund');
    expect(await row.textContent()).toContain('New');
    await expectAccessible(page, 'orders list');
    await screenshots(page, 'manage-orders');
    await page.setViewportSize(DESKTOP);

    await row.getByRole('link', { name: placed.number }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${placed.number}` }).waitFor();
    // Paid at the counter: the cash is taken, then part of it given back.
    await page.getByRole('button', { name: /^Take .* in cash$/ }).click();
    const refund = page.getByRole('form', { name: 'Refund' });
    await refund.waitFor();
    await refund.getByRole('textbox', { name: /^Amount/ }).fill('2');
    await refund.getByRole('textbox', { name: 'Reason' }).fill('Too much ice');
    await refund.getByRole('button', { name: 'Refund' }).click();
    await refund.getByText(/Refunded US\$2\.00\./).waitFor();
    const refunds = page.getByRole('list', { name: 'Refunds' });
    await refunds.getByText('Too much ice').waitFor();
    expect(await refunds.textContent()).toContain('US$2.00');
    const stored = await bistro.tdb.db.selectFrom('refunds').select(['amount_minor', 'reason']).where('order_id', '=', placed.id).execute();
    expect(stored.map((r) => [Number(r.amount_minor), r.reason])).toEqual([[200, 'Too much ice']]);
    // The history shows the order placed, and the refund.
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText(/refund/).waitFor();
    await expectAccessible(page, 'order view after a refund');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshots(page, 'manage-order');
    await context.close();
  });

  it('stock: a new ingredient shows as low; a delivery adjusts it and shows in the history with its reason and note', async () => {
    const { context, page } = await managerAtMenu();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Stock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stock' }).waitFor();
    await page.getByRole('button', { name: 'Add an ingredient' }).click();
    const create = page.getByRole('dialog', { name: 'New ingredient' });
    await create.getByRole('textbox', { name: 'Name' }).fill('Truffle oil');
    await create.getByLabel('Counted in').selectOption('ml');
    await create.getByRole('textbox', { name: 'Low at' }).fill('100');
    await create.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('row', { name: /Truffle oil/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Low');
    expect(await page.getByRole('region', { name: 'Running low' }).textContent()).toContain('Truffle oil (0 ml)');

    await row.getByRole('button', { name: 'Adjust Truffle oil' }).click();
    const adjust = page.getByRole('dialog', { name: 'Adjust Truffle oil' });
    await adjust.getByLabel('Reason').selectOption('delivery');
    await adjust.getByRole('textbox', { name: /^Delivered/ }).fill('750');
    await adjust.getByRole('textbox', { name: /Note/ }).fill('Morning delivery');
    await adjust.getByRole('button', { name: 'Save adjustment' }).click();
    await adjust.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Truffle oil/ }).getByText('750 ml').waitFor();
    const history = page.getByRole('list', { name: 'Movements' });
    await history.getByText('Morning delivery').waitFor();
    expect(await history.textContent()).toMatch(/Truffle oil\s*\+750 ml · Delivery/);
    expect(await page.getByRole('row', { name: /Truffle oil/ }).textContent()).not.toContain('Low');
    const stored = await bistro.tdb.db.selectFrom('ingredients').select(['on_hand', 'unit']).where('name', '=', 'Truffle oil').executeTakeFirstOrThrow();
    expect(stored).toEqual({ on_hand: 750, unit: 'ml' });
    await expectAccessible(page, 'stock');
    await screenshots(page, 'manage-stock');
    await context.close();
  });

  it('settings: the domain’s messages on the fields, then a second range on Friday that closes after midnight is saved', async () => {
    const { context, page } = await managerAtMenu();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const form = page.getByRole('form', { name: 'Location settings' });
    await form.getByRole('textbox', { name: 'Order number prefix' }).fill('abcd');
    const friday = form.getByRole('group', { name: 'Friday' });
    const before = await friday.getByLabel(/^Friday range \d opens$/).count();
    await friday.getByRole('button', { name: 'Add hours on Friday' }).click();
    await friday.getByLabel(`Friday range ${before + 1} opens`).fill('21:00');
    await friday.getByLabel(`Friday range ${before + 1} closes`).fill('02:00');
    await friday.getByText('(after midnight)').waitFor();
    await form.getByRole('button', { name: 'Save settings' }).click();
    // Both refusals of the domain's schema, each on its field, before anything is sent.
    await form.getByText('Use 1 to 3 capital letters').waitFor();
    await friday.getByText('Overlaps Friday 11:00–22:00').waitFor();
    await expectAccessible(page, 'settings with errors');
    await form.getByRole('textbox', { name: 'Order number prefix' }).fill('HB');
    await friday.getByLabel(`Friday range ${before + 1} opens`).fill('22:00');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Settings saved.').waitFor();
    const location = await bistro.tdb.db.selectFrom('locations').select('order_prefix').where('id', '=', bistro.harborId).executeTakeFirstOrThrow();
    expect(location.order_prefix).toBe('HB');
    const late = await bistro.tdb.db.selectFrom('opening_hours').select(['opens_at', 'closes_at']).where('location_id', '=', bistro.harborId).where('weekday', '=', 5).where('closes_at', '>', 1440).execute();
    expect(late).toEqual([{ opens_at: 22 * 60, closes_at: 26 * 60 }]);
    await expectAccessible(page, 'settings saved');
    await context.close();
  });

  it('staff: the team is listed and an invitation goes out by email', async () => {
    const { context, page } = await managerAtMenu();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
    await page.getByRole('list', { name: 'Team' }).getByText('Manager').first().waitFor();
    const invite = page.getByRole('form', { name: 'Invite someone' });
    await invite.getByRole('textbox', { name: 'Email' }).fill('not an email');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.getByRole('textbox', { name: 'Email' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    await invite.getByRole('textbox', { name: 'Email' }).fill('new.cook@bistro.test');
    await invite.getByLabel('Role').selectOption('staff');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await invite.getByText('Invitation sent to new.cook@bistro.test.').waitFor();
    const logged = await bistro.tdb.db.selectFrom('audit_log').select('action').where('action', '=', 'staff.invited').where('location_id', '=', bistro.harborId).execute();
    expect(logged).toHaveLength(1);
    await expectAccessible(page, 'staff');
    await context.close();
  });

  it('an admin sees the admin pages, picks a location, disables a user, and finds it in the audit log', async () => {
    const admin = await createUser(bistro.tdb.db, { isAdmin: true, name: 'Ada Admin' });
    const dora = await createUser(bistro.tdb.db, { name: 'Dora Disable', roles: [{ locationId: bistro.harborId, role: 'staff' }] });
    const { context, page } = await openDesktop(browser, bistro);
    await page.goto('/manage/users');
    await signIn(page, admin);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(1);
    // An admin manages every location: the picker offers them all.
    const picker = page.getByLabel('Location');
    expect((await picker.locator('option').allTextContents()).sort()).toEqual(['Bistro Centrale', 'Harbor Bistro']);
    await picker.selectOption({ label: 'Harbor Bistro' });
    await page.getByRole('textbox', { name: 'Name or email' }).fill(dora.email);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('listitem', { name: 'Dora Disable' });
    expect(await row.getByLabel('Role at Harbor Bistro').inputValue()).toBe('staff');
    await row.getByRole('button', { name: 'Disable Dora Disable' }).click();
    await row.getByText('Disabled').waitFor();
    const stored = await bistro.tdb.db.selectFrom('users').select('disabled_at').where('id', '=', dora.id).executeTakeFirstOrThrow();
    expect(stored.disabled_at).not.toBeNull();
    await expectAccessible(page, 'users');

    await nav.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByLabel('Action').selectOption('user.disabled');
    const entries = page.getByRole('list', { name: 'Audit entries' });
    await entries.getByText(`user ${dora.id}`).waitFor();
    expect(await entries.getByRole('listitem').count()).toBe(1);
    await expectAccessible(page, 'audit log');
    await context.close();
  });

  it('staff (not a manager) opening the console, and a manager opening another location’s, get “not found”', async () => {
    const staff = await createUser(bistro.tdb.db, { roles: [{ locationId: bistro.harborId, role: 'staff' }] });
    const { context, page } = await openDesktop(browser, bistro);
    await page.goto('/manage');
    await signIn(page, staff);
    await page.getByRole('heading', { level: 1, name: 'This page doesn’t exist' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Console' }).count()).toBe(0);
    await expectAccessible(page, 'console refused to staff');
    await context.close();

    const { context: other, page: managerPage } = await managerAtMenu();
    await managerPage.goto(`/manage/menu?location=${bistro.centraleId}`);
    await managerPage.getByRole('heading', { level: 1, name: 'This page doesn’t exist' }).waitFor();
    // An admin page, for a manager: not found either, and not in the navigation.
    await managerPage.goto('/manage/users');
    await managerPage.getByRole('heading', { level: 1, name: 'This page doesn’t exist' }).waitFor();
    await managerPage.goto('/manage/orders');
    await managerPage.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    expect(await managerPage.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
    await other.close();
  });
});
