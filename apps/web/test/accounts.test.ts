import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectAccessible, expectPhoneFriendly, launchBrowser, openPhone, pick, screenshots, startBistro, type Bistro } from './bistro.js';

let bistro: Bistro;
let browser: Browser;
let smtp: SMTPServer;
/** Every email Bistro sent, as a real SMTP server in this process received it. */
const mails: { to: string; text: string }[] = [];
const waiters: (() => void)[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), text: parsed.text ?? '' });
          for (const wake of waiters.splice(0)) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  [bistro, browser] = await Promise.all([startBistro({ SMTP_URL: `smtp://127.0.0.1:${port}` }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

/** The first email to `to` (waiting for it as long as the test's timeout allows). */
async function mailTo(to: string): Promise<string> {
  for (;;) {
    const found = mails.find((m) => m.to === to);
    if (found) return found.text;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

const EMAIL = 'ines.moreau@example.com';
const PASSWORD = 'grilled-halibut-at-nine';

describe('a guest’s account', () => {
  it('signs up, confirms the email from the link Bistro sent, signs in, orders with prefilled details, cancels from “my orders” and signs out', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();

    // The domain's schema speaks before the server is asked.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('textbox', { name: 'Email' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectAccessible(page, 'sign-up with errors');
    await expectPhoneFriendly(page, 'sign-up');

    await page.getByRole('textbox', { name: 'Name' }).fill('Inès Moreau');
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    await screenshots(page, '8-sign-up');

    // The link in the email lands on the app, which confirms the address.
    const text = await mailTo(EMAIL);
    const link = /https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(text)?.[0];
    expect(link?.startsWith(`${bistro.url}/verify-email?token=`)).toBe(true);
    await page.goto(link!);
    await page.getByText('Your email is confirmed').waitFor();
    const verified = await bistro.tdb.db.selectFrom('users').select('email_verified_at').where('email', '=', EMAIL).executeTakeFirstOrThrow();
    expect(verified.email_verified_at).not.toBeNull();
    await expectAccessible(page, 'email confirmed');

    // A second visit of the same link is refused with a clear message.
    const again = await context.newPage();
    await again.goto(link!);
    await again.getByText('This link has already been used.').waitFor();
    await again.close();

    // Sign in (an HttpOnly cookie): the header says who is signed in.
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /Signed in as Inès Moreau/ }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'bistro_session')?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain('bistro_session');

    // Her details prefill checkout; dine-in is offered to a signed-in customer.
    await page.goto('/l/harbor-bistro');
    await page.getByRole('button', { name: /Espresso/ }).click();
    await page.getByRole('dialog', { name: 'Espresso' }).getByRole('button', { name: /^Add 1 to order/ }).click();
    await page.getByRole('link', { name: /View your order/ }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    expect(await page.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Inès Moreau');
    expect(await page.getByRole('textbox', { name: /Email/ }).inputValue()).toBe(EMAIL);
    await pick(page.getByRole('radio', { name: 'Dine in' }));
    await page.getByRole('textbox', { name: 'Table number' }).fill('12');
    await page.getByRole('button', { name: /^Place order · / }).click();
    await page.waitForURL(/\/track\?order=/);
    await page.getByText(/Dine in, table 12/).waitFor();

    // My orders: the order, cancellable while the kitchen has not started it.
    await page.getByRole('link', { name: /Signed in as/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Your orders' }).waitFor();
    const cancel = page.getByRole('button', { name: /^Cancel order #/ });
    await cancel.waitFor();
    await expectAccessible(page, 'my orders');
    await expectPhoneFriendly(page, 'my orders');
    await screenshots(page, '9-my-orders');
    await cancel.click();
    const confirm = page.getByRole('dialog', { name: /^Cancel order #/ });
    await confirm.waitFor();
    expect(await confirm.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await expectAccessible(page, 'cancel dialog');
    await confirm.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText(/^Cancelled · 1 item/).waitFor();
    expect(await page.getByRole('button', { name: /^Cancel order #/ }).count()).toBe(0);
    const row = await bistro.tdb.db.selectFrom('orders').select(['status', 'type', 'table_label']).where('contact_name', '=', 'Inès Moreau').executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'cancelled', type: 'dine_in', table_label: '12' });

    // Sign out: the header offers to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The header's link (the orders page may show its own for a moment, before the navigation home).
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('link', { name: /Signed in as/ }).count()).toBe(0);
    await context.close();
  });

  it('resets a forgotten password from the emailed link, then signs in with the new one', async () => {
    const { context, page } = await openPhone(browser, bistro);
    await page.goto('/forgot-password');
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText(`If an account uses ${EMAIL}`).waitFor();
    let text: string;
    for (;;) {
      text = mails.filter((m) => m.to === EMAIL).map((m) => m.text).find((t) => t.includes('/reset-password?token=')) ?? '';
      if (text) break;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    const link = /https?:\/\/\S+\/reset-password\?token=[\w-]+/.exec(text)![0];
    await page.goto(link);
    await page.getByLabel('New password').fill('a-new-password-for-ines-7');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await expectAccessible(page, 'password reset');
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByLabel('Password').fill('a-new-password-for-ines-7');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /Signed in as Inès Moreau/ }).waitFor();
    await context.close();
  });
});
