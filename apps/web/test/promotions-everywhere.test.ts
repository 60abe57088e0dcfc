import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createUser } from '../../../packages/api/test/helpers.js';
import { expectAccessible, expectPhoneFriendly, launchBrowser, openPhone, pick, screenshots, startBistro, type Bistro } from './bistro.js';

/**
 * A discount code for every location (issue 14), made in the console by an admin: the form asks
 * for the currency of a fixed amount, the code prices carts where the location charges in it and
 * is refused (with its message) where it does not; a location's manager sees it but may not edit it.
 */

let bistro: Bistro;
let browser: Browser;

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

describe('a discount code for every location', () => {
  it('an admin makes one in euros: it applies at Bistro Centrale, Harbor (dollars) refuses it, Harbor’s manager sees it read-only', async () => {
    const admin = await createUser(bistro.tdb.db, { name: 'Ada Admin', isAdmin: true });
    const { context, page } = await openPhone(browser, bistro);
    await page.goto('/sign-in?next=/manage/promotions');
    await page.getByRole('textbox', { name: 'Email' }).fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/manage/promotions');
    await page.getByRole('heading', { level: 1, name: 'Promotions' }).waitFor();

    await page.getByRole('button', { name: 'New code' }).click();
    const dialog = page.getByRole('dialog', { name: 'New discount code' });
    await dialog.getByRole('textbox', { name: 'Code' }).fill('everywhere2');
    await pick(dialog.getByRole('radio', { name: 'All locations' }));
    await pick(dialog.getByRole('radio', { name: 'Fixed amount off' }));
    // Its currency is asked for (the location's by default) and checked by the domain's schema.
    const currency = dialog.getByRole('textbox', { name: 'Currency' });
    await currency.fill('euro');
    await dialog.getByRole('textbox', { name: /^Amount off/ }).fill('2.00');
    await dialog.getByRole('button', { name: 'Create code' }).click();
    await dialog.getByText('Expected an ISO 4217 currency code such as EUR').waitFor();
    await currency.fill('EUR');
    await dialog.getByRole('textbox', { name: 'Amount off (EUR)' }).waitFor();
    await expectAccessible(page, 'promotions, new code for every location');
    await screenshots(page, 'promo-everywhere-form');
    await dialog.getByRole('button', { name: 'Create code' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /EVERYWHERE2/ });
    await row.getByText('Every location').waitFor();
    expect(await row.textContent()).toContain('€2.00');
    // The admin may edit it; the form keeps its currency.
    await row.getByRole('button', { name: 'Edit EVERYWHERE2' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit EVERYWHERE2' });
    await edit.getByText('For every location.').waitFor();
    expect(await edit.getByRole('textbox', { name: 'Currency' }).inputValue()).toBe('EUR');
    await edit.getByRole('textbox', { name: 'Amount off (EUR)' }).fill('2.50');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('€2.50').waitFor();
    await screenshots(page, 'promo-everywhere-admin');
    await context.close();

    // Priced where the location charges in euros, refused with its code where it charges in dollars.
    const lines = async (slug: string) => {
      const menu = await bistro.manager.menu.get.query({ locationSlug: slug });
      const item = menu.categories.flatMap((c) => c.items).find((i) => i.available && i.optionGroups.length === 0)!;
      return [{ itemId: item.id, quantity: 2, options: [] }];
    };
    const centrale = await bistro.manager.orders.quote.query({ locationSlug: 'bistro-centrale', type: 'pickup', lines: await lines('bistro-centrale'), promoCode: 'everywhere2' });
    expect(centrale).toMatchObject({ currency: 'EUR', promoCode: 'EVERYWHERE2' });
    expect(centrale.discountMinor).toBe(Math.min(250, centrale.subtotalMinor));
    expect(centrale.discountMinor).toBeGreaterThan(0);
    await expect(bistro.manager.orders.quote.query({ locationSlug: 'harbor-bistro', type: 'pickup', lines: await lines('harbor-bistro'), promoCode: 'everywhere2' })).rejects.toMatchObject({
      data: { bistroCode: 'PROMO_CURRENCY_MISMATCH' },
    });

    // Harbor's manager sees the code among Harbor's (it is tried there) but may not change it.
    const boss = await createUser(bistro.tdb.db, { name: 'Hal Harbor', roles: [{ locationId: bistro.harborId, role: 'manager' }] });
    const manager = await openPhone(browser, bistro);
    await manager.page.goto('/sign-in?next=/manage/promotions');
    await manager.page.getByRole('textbox', { name: 'Email' }).fill(boss.email);
    await manager.page.getByLabel('Password').fill(boss.password);
    await manager.page.getByRole('button', { name: 'Sign in' }).click();
    await manager.page.waitForURL((url) => url.pathname === '/manage/promotions');
    const seen = manager.page.getByRole('row', { name: /EVERYWHERE2/ });
    await seen.getByText('Set by an admin').waitFor();
    expect(await seen.getByRole('button').count()).toBe(0);
    await expectAccessible(manager.page, 'promotions, a manager with a code for every location');
    await expectPhoneFriendly(manager.page, 'promotions, a manager with a code for every location');
    await screenshots(manager.page, 'promo-everywhere-manager');
    // The form offers a manager no choice of "All locations".
    await manager.page.getByRole('button', { name: 'New code' }).click();
    const form = manager.page.getByRole('dialog', { name: 'New discount code' });
    await form.getByRole('textbox', { name: 'Code' }).waitFor();
    expect(await form.getByRole('radio', { name: 'All locations' }).count()).toBe(0);
    await manager.context.close();
  });
});
