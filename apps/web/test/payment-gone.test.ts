import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, openPhone, startBistro, type Bistro } from './bistro.js';

/**
 * A payment page opened without its payment (another tab started it, or it is over): both
 * providers' pages say so in the same words (guest/PaymentGone) and lead to the order's tracking.
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

describe('a payment that can’t be continued here', () => {
  it.each(['sandbox', 'stripe'])('the %s page says so and links to the order’s tracking', async (provider) => {
    const { context, page } = await openPhone(browser, bistro);
    await page.goto(`/pay/${provider}?order=some-token`);
    await page.getByText('This payment can’t be continued here: it was started in another tab or has already finished.').waitFor();
    const follow = page.getByRole('link', { name: 'Follow your order' });
    const href = new URL((await follow.getAttribute('href'))!, bistro.url);
    expect(href.pathname).toBe('/track');
    expect(href.searchParams.get('order')).toBe('some-token');
    await expectAccessible(page, `${provider} payment gone`);
    // Without a token there is nothing to follow.
    await page.goto(`/pay/${provider}`);
    await page.getByText('This payment can’t be continued here', { exact: false }).waitFor();
    expect(await page.getByRole('link', { name: 'Follow your order' }).count()).toBe(0);
    await context.close();
  });
});
