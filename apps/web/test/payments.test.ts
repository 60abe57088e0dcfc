import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SandboxProvider } from '@bistro/api';
import { createUser } from '../../../packages/api/test/helpers.js';
import { expectAccessible, expectPhoneFriendly, launchBrowser, openPhone, pick, screenshots, startBistro, type Bistro } from './bistro.js';

/**
 * Paying online (issue 14) as a guest does, against the built-in sandbox provider: its webhooks
 * travel over real HTTP to the real server, which moves the order; the tracking page follows
 * over its live feed. Each sandbox test card is paid with end to end.
 */

let bistro: Bistro;
let browser: Browser;
let sandbox: SandboxProvider;

beforeAll(async () => {
  [bistro, browser] = await Promise.all([startBistro(), launchBrowser()]);
  const provider = bistro.server.payments?.provider;
  if (!(provider instanceof SandboxProvider)) throw new Error('the test server runs without the sandbox provider');
  sandbox = provider;
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
});

/** The reports page's way of writing seconds. */
const duration = (seconds: number | null) => (seconds === null ? '—' : seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`);
const usd = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'USD' }).format(minor / 100);

/** The guest puts `quantity` espressos in the cart and opens checkout with a name filled in. */
async function toCheckout(page: Page, name: string, quantity = 1): Promise<void> {
  await page.goto('/l/harbor-bistro');
  await page.getByRole('button', { name: /Espresso/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Espresso' });
  for (let i = 1; i < quantity; i++) await dialog.getByRole('button', { name: 'One more' }).or(dialog.getByRole('button', { name: /Increase/ })).first().click();
  await dialog.getByRole('button', { name: new RegExp(`^Add ${quantity} to order`) }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('link', { name: /View your order/ }).click();
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
}

/** Chooses online payment and continues to the sandbox's page. */
async function payOnline(page: Page): Promise<void> {
  await pick(page.getByRole('radio', { name: 'Pay online now by card' }));
  await page.getByRole('button', { name: /^Continue to payment · / }).click();
  await page.waitForURL(/\/pay\/sandbox\?order=/);
  await page.getByRole('heading', { level: 1, name: 'Pay by card' }).waitFor();
}

async function payWith(page: Page, card: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Card number' }).fill(card);
  await page.getByRole('button', { name: /^Pay / }).click();
}

async function orderOf(page: Page) {
  const token = new URL(page.url()).searchParams.get('order')!;
  return bistro.manager.orders.get.query({ trackingToken: token });
}

async function statusByName(name: string): Promise<string[]> {
  const rows = await bistro.tdb.db.selectFrom('orders').select(['status']).where('contact_name', '=', name).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.status);
}

describe('a guest pays online with each sandbox card', () => {
  it('the card that succeeds: the sandbox page, then the tracking page shows the order received, paid online', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await toCheckout(page, 'Paula Online', 2);
    // Online is offered beside the counter; choosing it changes what the button does.
    expect(await page.getByRole('radio', { name: 'Pay at the counter' }).isChecked()).toBe(true);
    await pick(page.getByRole('radio', { name: 'Pay online now by card' }));
    await page.getByText('The kitchen starts on your order once it is paid.').waitFor();
    const quote = await bistro.manager.orders.quote.query({ locationSlug: 'harbor-bistro', type: 'pickup', tip: { percent: 0 }, lines: [{ itemId: await espressoId(), quantity: 2, options: [] }] });
    const cont = page.getByRole('button', { name: `Continue to payment · ${usd(quote.totalMinor)}` });
    await cont.waitFor();
    await expectAccessible(page, 'checkout, paying online');
    await expectPhoneFriendly(page, 'checkout, paying online');
    await page.getByRole('heading', { name: 'Payment' }).scrollIntoViewIfNeeded();
    await screenshots(page, 'pay-1-checkout-payment-step', { fullPage: false });
    await cont.click();

    // The sandbox's own page: the amount, the card field and the test cards.
    await page.waitForURL(/\/pay\/sandbox\?order=/);
    await page.getByRole('heading', { level: 1, name: 'Pay by card' }).waitFor();
    await page.getByText(usd(quote.totalMinor)).first().waitFor();
    const pending = await orderOf(page);
    expect(pending.status).toBe('pending_payment');
    expect(pending.paymentMethod).toBe('online');
    // The kitchen doesn't see an unpaid order.
    const queue = await bistro.kitchen.kitchen.queue.query({ locationId: bistro.harborId });
    expect(queue.tickets.map((t) => t.orderId)).not.toContain(pending.id);
    // The cart is kept until the payment goes through.
    expect(await page.evaluate(() => localStorage.getItem('bistro.cart.harbor-bistro'))).not.toBeNull();
    // An empty card number is refused on the page, before any call.
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByText('Enter a card number').waitFor();
    await page.getByRole('button', { name: 'Use card 4242 4242 4242 4242' }).click();
    expect(await page.getByRole('textbox', { name: 'Card number' }).inputValue()).toBe('4242 4242 4242 4242');
    await expectAccessible(page, 'sandbox payment page');
    await expectPhoneFriendly(page, 'sandbox payment page');
    await screenshots(page, 'pay-2-sandbox-page');
    await page.getByRole('button', { name: /^Pay / }).click();

    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Status: Order received').waitFor();
    await page.getByText('Paid online.').waitFor();
    const paid = await orderOf(page);
    expect(paid.id).toBe(pending.id);
    expect(paid.status).toBe('placed');
    const money = await bistro.manager.orders.payments.query({ orderId: paid.id });
    expect(money).toMatchObject({ paid: true, capturedMinor: quote.totalMinor, netMinor: quote.totalMinor });
    expect(await page.evaluate(() => localStorage.getItem('bistro.cart.harbor-bistro'))).toBeNull();
    await expectAccessible(page, 'tracking, paid online');
    await context.close();
  });

  it('the declined card: a clear message, nothing sent to the kitchen; another card then pays', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await toCheckout(page, 'Dora Declined');
    await payOnline(page);
    await payWith(page, '4000 0000 0000 0002');
    await page.getByText('Your card was declined.').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Your card was declined.' }).textContent()).toContain('Try another card');
    // The declined payment cancelled its order (its stock went back); nothing reached the kitchen.
    await sandbox.settled();
    expect(await statusByName('Dora Declined')).toEqual(['cancelled']);
    await expectAccessible(page, 'sandbox page, declined');
    await screenshots(page, 'pay-3-declined', { fullPage: false });

    await payWith(page, '4242 4242 4242 4242');
    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Status: Order received').waitFor();
    const paid = await orderOf(page);
    expect(paid.status).toBe('placed');
    // Both orders were placed at the test's one instant: compared as a set.
    expect((await statusByName('Dora Declined')).sort()).toEqual(['cancelled', 'placed']);
    // Only the second order holds money.
    expect((await bistro.manager.orders.payments.query({ orderId: paid.id })).capturedMinor).toBe(paid.totalMinor);
    await context.close();
  });

  it('the card that asks for an extra confirmation step: the step, then the order is placed', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await toCheckout(page, 'Ravi Action');
    await payOnline(page);
    await payWith(page, '4000 0025 0000 3155');
    const step = page.getByRole('heading', { name: 'Confirm this payment' });
    await step.waitFor();
    // Focus moves to the step, so a keyboard user lands on it.
    expect(await step.evaluate((h) => h === document.activeElement)).toBe(true);
    await sandbox.settled();
    expect(await statusByName('Ravi Action')).toEqual(['pending_payment']);
    await expectAccessible(page, 'sandbox page, extra confirmation step');
    await screenshots(page, 'pay-4-confirmation-step', { fullPage: false });
    await page.getByRole('button', { name: 'Confirm payment' }).click();
    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Status: Order received').waitFor();
    expect((await orderOf(page)).status).toBe('placed');
    await context.close();
  });

  it('the card that pays late, by webhook only: “waiting for payment”, then placed live', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await toCheckout(page, 'Lena Late');
    await payOnline(page);
    // The provider's webhook is held back until the guest has seen the waiting state.
    const release = sandbox.holdWebhooks();
    await payWith(page, '4000 0000 0000 0077');
    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Status: Waiting for payment').waitFor();
    await page.getByText('Paying online: waiting for the payment to be confirmed.').waitFor();
    expect((await orderOf(page)).status).toBe('pending_payment');
    await expectAccessible(page, 'tracking, waiting for payment');
    await expectPhoneFriendly(page, 'tracking, waiting for payment');
    await screenshots(page, 'pay-5-waiting-for-payment');

    await release();
    await page.getByText('Status: Order received').waitFor();
    await page.getByText('Paid online.').waitFor();
    expect((await orderOf(page)).status).toBe('placed');
    await context.close();
  });
});

describe('discount codes at checkout', () => {
  it('a bad code shows its message; a good one shows the discount line in checkout and on the order', async () => {
    await bistro.manager.promos.create.mutate({ locationId: bistro.harborId, code: 'TENOFF', discount: { percentBp: 1000 } });
    await bistro.manager.promos.create.mutate({ locationId: bistro.harborId, code: 'BIGSPEND', discount: { amountMinor: 500 }, minSubtotalMinor: 100_000 });
    await bistro.manager.promos.create.mutate({ locationId: bistro.harborId, code: 'LASTYEAR', discount: { amountMinor: 100 }, validTo: '2025-12-31' });
    const { context, page } = await openPhone(browser, bistro);
    await toCheckout(page, 'Pia Promo', 3);
    const field = page.getByRole('textbox', { name: /Discount code/ });
    const refusals = [
      ['NOSUCHCODE', 'That code isn’t valid here.'],
      ['BIGSPEND', 'Your order is below that code’s minimum.'],
      ['LASTYEAR', 'That code isn’t valid at this time.'],
      ['x', 'Use 3 to 32 letters, digits, - or _'],
    ] as const;
    for (const [code, message] of refusals) {
      await field.fill(code);
      await page.getByRole('button', { name: 'Apply code' }).click();
      await page.getByText(message).waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
    }
    await expectAccessible(page, 'checkout, refused code');

    await field.fill('tenoff');
    await page.getByRole('button', { name: 'Apply code' }).click();
    const lines = [{ itemId: await espressoId(), quantity: 3, options: [] }];
    const quote = await bistro.manager.orders.quote.query({ locationSlug: 'harbor-bistro', type: 'pickup', tip: { percent: 0 }, lines, promoCode: 'TENOFF' });
    expect(quote.discountMinor).toBeGreaterThan(0);
    await page.getByText(`Code TENOFF applied: −${usd(quote.discountMinor)} off`).waitFor();
    const discountRow = page.getByRole('term').filter({ hasText: 'Discount (TENOFF)' });
    await discountRow.waitFor();
    await page.getByRole('definition').filter({ hasText: `−${usd(quote.discountMinor)}` }).first().waitFor();
    await page.getByRole('button', { name: `Place order · ${usd(quote.totalMinor)}` }).waitFor();
    await expectAccessible(page, 'checkout, code applied');
    await page.getByRole('heading', { name: 'Payment' }).scrollIntoViewIfNeeded();
    await screenshots(page, 'pay-6-code-applied', { fullPage: false });

    await payOnline(page);
    await page.getByText(usd(quote.totalMinor)).first().waitFor();
    await payWith(page, '4242 4242 4242 4242');
    await page.waitForURL(/\/track\?order=/);
    await page.getByText('Status: Order received').waitFor();
    await page.getByRole('term').filter({ hasText: 'Discount (TENOFF)' }).waitFor();
    const order = await orderOf(page);
    expect(order).toMatchObject({ promoCode: 'TENOFF', discountMinor: quote.discountMinor, totalMinor: quote.totalMinor, status: 'placed' });
    await context.close();
  });
});

describe('the manager’s promotions and reports', () => {
  it('a manager creates a code in the editor and edits it, a guest uses it, and the reports page shows that order’s sales', async () => {
    const boss = await createUser(bistro.tdb.db, { name: 'Mara Manager', roles: [{ locationId: bistro.harborId, role: 'manager' }] });
    const { context, page } = await openPhone(browser, bistro);

    // Signed out, the console's door sends to the sign-in page and back.
    await page.goto('/manage/promotions');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/manage/promotions');
    await page.getByRole('textbox', { name: 'Email' }).fill(boss.email);
    await page.getByLabel('Password').fill(boss.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/manage/promotions');
    await page.getByRole('heading', { level: 1, name: 'Promotions' }).waitFor();

    // The form checks with the domain's schema: nothing is sent until it holds.
    await page.getByRole('button', { name: 'New code' }).click();
    const dialog = page.getByRole('dialog', { name: 'New discount code' });
    await dialog.getByRole('button', { name: 'Create code' }).click();
    await dialog.getByText('Use 3 to 32 letters, digits, - or _').waitFor();
    await dialog.getByText('Enter a percentage, like 15 or 12.5').waitFor();
    await dialog.getByRole('textbox', { name: 'Code' }).fill('welcome5');
    await pick(dialog.getByRole('radio', { name: 'Fixed amount off' }));
    await dialog.getByRole('textbox', { name: 'Amount off (USD)' }).fill('5.00');
    await dialog.getByRole('textbox', { name: /Minimum subtotal/ }).fill('10');
    await dialog.getByLabel('Valid from').fill('2026-12-01');
    await dialog.getByLabel('Valid to').fill('2026-11-01');
    await dialog.getByRole('textbox', { name: /Uses in total/ }).fill('100');
    await dialog.getByRole('textbox', { name: /Uses per customer/ }).fill('1');
    await dialog.getByRole('button', { name: 'Create code' }).click();
    await dialog.getByText('Ends before it starts').waitFor();
    await dialog.getByLabel('Valid to').fill('2026-12-31');
    await expectAccessible(page, 'promotions, new code form');
    await dialog.getByRole('button', { name: 'Create code' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /WELCOME5/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(usd(500));
    expect(await row.textContent()).toContain('2026-12-01 to 2026-12-31');
    expect(await row.textContent()).toContain('0 of 100');

    // Edited: a 4.00 discount from now on.
    await page.getByRole('button', { name: 'Edit WELCOME5' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit WELCOME5' });
    expect(await edit.getByRole('textbox', { name: 'Amount off (USD)' }).inputValue()).toBe('5.00');
    await edit.getByRole('textbox', { name: 'Amount off (USD)' }).fill('4.00');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText(usd(400)).waitFor();
    await screenshots(page, 'pay-7-promotions');
    await expectAccessible(page, 'promotions');
    await expectPhoneFriendly(page, 'promotions');

    // What the reports said before the guest's order.
    const today = '2026-12-01';
    const range = { locationId: bistro.harborId, from: today, to: today };
    const before = await bistro.manager.reports.sales.query({ ...range, groupBy: 'item' });
    const espressosBefore = before.rows.find((r) => r.label === 'Espresso' && 'quantity' in r);

    // A guest uses the code, paying at the counter.
    const guest = await openPhone(browser, bistro);
    await toCheckout(guest.page, 'Gus Guest', 4);
    await guest.page.getByRole('textbox', { name: /Discount code/ }).fill('Welcome5');
    await guest.page.getByRole('button', { name: 'Apply code' }).click();
    await guest.page.getByText(`Code WELCOME5 applied: −${usd(400)} off`).waitFor();
    await guest.page.getByRole('button', { name: /^Place order · / }).click();
    await guest.page.waitForURL(/\/track\?order=/);
    await guest.page.getByText('Status: Order received').waitFor();
    const order = await orderOf(guest.page);
    expect(order).toMatchObject({ promoCode: 'WELCOME5', discountMinor: 400, paymentMethod: 'counter' });
    await guest.context.close();
    await page.reload();
    await page.getByRole('row', { name: /WELCOME5/ }).getByText('1 of 100').waitFor();
    // The kitchen makes it: a ticket placed and made ready, for the kitchen's figures.
    await bistro.kitchen.kitchen.bump.mutate({ orderId: order.id, from: 'placed' });
    await bistro.kitchen.kitchen.bump.mutate({ orderId: order.id, from: 'preparing' });
    const kitchenReport = await bistro.manager.reports.kitchen.query(range);
    expect(kitchenReport.byHour.length).toBeGreaterThan(0);

    // The reports page: today's figures are the ones before plus exactly this order's.
    await page.goto('/manage/reports');
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const sales = page.getByRole('region', { name: 'Sales' });
    const figure = (name: string) => sales.locator('dl > div').filter({ has: page.getByRole('term').getByText(name, { exact: true }) }).getByRole('definition');
    await figure('Orders').getByText(String(before.totals.orders + 1), { exact: true }).waitFor();
    expect(await figure('Gross').textContent()).toBe(usd(before.totals.grossMinor + order.subtotalMinor));
    expect(await figure('Discounts').textContent()).toBe(usd(before.totals.discountMinor + 400));
    expect(await figure('Net').textContent()).toBe(usd(before.totals.netMinor + order.subtotalMinor - 400));
    expect(await figure('Tax').textContent()).toBe(usd(before.totals.taxMinor + order.taxMinor));
    // Split by item: the espressos sold today, this order's four among them.
    await page.getByLabel('Split by').selectOption('item');
    const espressoRow = page.getByRole('table', { name: /Sales by item/ }).getByRole('row', { name: /Espresso/ });
    await espressoRow.getByRole('cell').nth(1).getByText(String((espressosBefore && 'quantity' in espressosBefore ? espressosBefore.quantity : 0) + 4), { exact: true }).waitFor();
    // The sales chart: titled, drawn (a bar for each row), its figures in the table under it.
    const salesChart = page.getByRole('figure', { name: /^Gross sales by item/ });
    const salesBars = salesChart.getByRole('img', { name: /^Gross sales by item.*The same figures are in the table below it\.$/ });
    await salesBars.locator('svg .recharts-bar-rectangle').first().waitFor();
    expect(await salesBars.locator('svg .recharts-bar-rectangle').count()).toBe(await salesChart.getByRole('table').getByRole('row').count() - 1);

    // The kitchen's prep times by hour: a chart and a table carrying the report's own figures.
    const kitchenSection = page.getByRole('region', { name: 'Kitchen' });
    const byHour = kitchenSection.getByRole('figure', { name: 'Prep times by hour placed' });
    // Drawn: an axis tick for each hour of the report (this ticket took no time on the test's fixed clock: its bars are flat).
    const hourChart = byHour.getByRole('img', { name: /^Prep times by hour placed: chart/ });
    for (const h of kitchenReport.byHour) await hourChart.locator('svg.recharts-surface').last().getByText(`${String(h.hour).padStart(2, '0')}:00`, { exact: true }).waitFor();
    const hourTable = byHour.getByRole('table', { name: 'Kitchen by hour' });
    for (const h of kitchenReport.byHour) {
      const cells = hourTable.getByRole('row', { name: new RegExp(`^${String(h.hour).padStart(2, '0')}:00`) }).getByRole('cell');
      expect(await cells.allTextContents()).toEqual([String(h.tickets), duration(h.medianSeconds), duration(h.p90Seconds), String(h.overPrepTime)]);
    }
    // The legend names both series and the prep time's line is labelled: nothing is told by colour alone.
    await byHour.getByText('90th percentile', { exact: true }).first().waitFor();
    await byHour.getByText(`Prep time ${kitchenReport.prepMinutes} min`).waitFor();
    await screenshots(page, 'pay-8-reports');
    await expectAccessible(page, 'reports');
    await expectPhoneFriendly(page, 'reports');

    // The CSV downloads carry the same order, for the signed-in manager.
    const href = await page.getByRole('link', { name: 'Every order (CSV)' }).getAttribute('href');
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const line = (await csv.text()).split('\r\n').find((l) => l.startsWith(order.number));
    expect(line).toContain(',400,');
    await context.close();
  });
});

let espresso: string | undefined;
async function espressoId(): Promise<string> {
  if (!espresso) {
    const menu = await bistro.manager.menu.get.query({ locationSlug: 'harbor-bistro' });
    espresso = menu.categories.flatMap((c) => c.items).find((i) => i.name === 'Espresso')!.id;
  }
  return espresso;
}
