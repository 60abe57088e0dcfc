import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createBistroClient } from '@bistro/client';
import { createUser } from '../../../packages/api/test/helpers.js';
import { expectAccessible, expectPhoneFriendly, launchBrowser, openPhone, screenshots, startBistro, type Bistro } from './bistro.js';

let bistro: Bistro;
let browser: Browser;
let smtp: SMTPServer;
/** Every email Bistro sent, as a real SMTP server in this process received it. */
const mails: { to: string; subject: string; text: string }[] = [];
const waiters: (() => void)[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: parsed.subject ?? '', text: parsed.text ?? '' });
          for (const wake of waiters.splice(0)) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  [bistro, browser] = await Promise.all([startBistro({ SMTP_URL: `smtp://127.0.0.1:${port}`, NEWSLETTER_RATE_PER_MINUTE: '6000' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await bistro?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

/** The first email to `to` whose subject matches (waiting for it as long as the test's timeout allows). */
async function mailTo(to: string, subject: RegExp): Promise<string> {
  for (;;) {
    const found = mails.find((m) => m.to === to && subject.test(m.subject));
    if (found) return found.text;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

const EMAIL = 'noor.haddad@example.com';

describe('the newsletter', () => {
  it('a guest subscribes from the restaurants page, confirms from the email, receives a campaign and unsubscribes from its link', async () => {
    const { page } = await openPhone(browser, bistro);
    await page.goto('/');
    const signup = page.getByRole('region', { name: 'The Bistro newsletter' });
    await signup.getByRole('button', { name: 'Subscribe' }).click();
    await signup.getByRole('textbox', { name: 'Email' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectAccessible(page, 'newsletter sign-up with an error');
    await signup.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await signup.getByRole('button', { name: 'Subscribe' }).click();
    await signup.getByText(`we sent a link to ${EMAIL}`).waitFor();
    await expectAccessible(page, 'newsletter sign-up sent');
    await expectPhoneFriendly(page, 'newsletter sign-up');
    await signup.scrollIntoViewIfNeeded();
    await screenshots(page, 'newsletter-1-signup', { fullPage: false });

    // The link in the confirmation email lands on the app, which confirms the subscription.
    const confirmation = await mailTo(EMAIL, /^Confirm your subscription/);
    const link = /https?:\/\/\S+\/newsletter\/confirm\?token=[\w-]+/.exec(confirmation)?.[0];
    expect(link?.startsWith(`${bistro.url}/newsletter/confirm?token=`)).toBe(true);
    await page.goto(link!);
    await page.getByText('You are subscribed to the Bistro newsletter').waitFor();
    await expectAccessible(page, 'subscription confirmed');
    await screenshots(page, 'newsletter-2-confirmed');

    // Harbor Bistro's manager sends a campaign; it reaches her with its unsubscribe link.
    const draft = await bistro.manager.newsletter.campaigns.create.mutate({ locationId: bistro.harborId, subject: 'Oyster week', bodyMarkdown: 'Fresh **oysters** all week.' });
    await bistro.manager.newsletter.campaigns.send.mutate({ campaignId: draft.id });
    const campaign = await mailTo(EMAIL, /^Oyster week$/);
    expect(campaign).toContain('Fresh oysters all week.');
    const unsubscribe = /https?:\/\/\S+\/newsletter\/unsubscribe\?token=[\w-]+/.exec(campaign)?.[0];
    expect(unsubscribe?.startsWith(`${bistro.url}/newsletter/unsubscribe?token=`)).toBe(true);

    // Opening the link changes nothing until she presses the button.
    await page.goto(unsubscribe!);
    await page.getByRole('heading', { level: 1, name: 'Unsubscribe from the newsletter' }).waitFor();
    const status = async () => (await bistro.tdb.db.selectFrom('newsletter_subscribers').select('status').executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('confirmed');
    await expectAccessible(page, 'unsubscribe page');
    await expectPhoneFriendly(page, 'unsubscribe page');
    await screenshots(page, 'newsletter-3-unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('You are unsubscribed').waitFor();
    expect(await status()).toBe('unsubscribed');
    await expectAccessible(page, 'unsubscribed');
    await screenshots(page, 'newsletter-4-unsubscribed');
  });

  it('a manager writes a campaign, previews it to themself, sends it and sees it sent', async () => {
    // A confirmed subscriber to send to: subscribed and confirmed as a guest would, over the API.
    const reader = 'omar.benali@example.com';
    const guest = createBistroClient({ url: bistro.url });
    await guest.newsletter.subscribe.mutate({ email: reader, locationId: bistro.harborId });
    const token = /\/newsletter\/confirm\?token=([\w-]+)/.exec(await mailTo(reader, /^Confirm your subscription/))![1]!;
    await guest.newsletter.confirm.mutate({ token });

    const manager = await createUser(bistro.tdb.db, { name: 'Marta Quay', roles: [{ locationId: bistro.harborId, role: 'manager' }] });
    const { page } = await openPhone(browser, bistro);
    await page.goto('/sign-in?next=%2Fmanage%2Fnewsletter');
    await page.getByRole('textbox', { name: 'Email' }).fill(manager.email);
    await page.getByLabel('Password').fill(manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Newsletter' }).waitFor();
    await page.getByText('1 confirmed subscriber would receive it.').waitFor();

    // The domain's schema speaks before the server is asked.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('textbox', { name: 'Subject' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectAccessible(page, 'campaign editor with errors');

    await page.getByRole('textbox', { name: 'Subject' }).fill('Winter hours');
    await page.getByRole('textbox', { name: 'Message' }).fill('We open at **noon** from Monday.\n\n- Soup of the day\n- [Book a table](https://harbor.example/book)');
    await page.getByRole('button', { name: 'Preview to me' }).click();
    await page.getByText(`Preview sent to ${manager.email}.`).waitFor();
    expect(await mailTo(manager.email, /^\[Preview\] Winter hours$/)).toContain('We open at noon from Monday.');
    await screenshots(page, 'newsletter-5-editor');
    await expectAccessible(page, 'campaign editor, preview sent');
    await expectPhoneFriendly(page, 'campaign editor');

    await page.getByRole('button', { name: 'Send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this campaign?' });
    await dialog.getByText('goes to 1 confirmed subscriber').waitFor();
    await expectAccessible(page, 'send confirmation');
    await dialog.getByRole('button', { name: 'Send now' }).click();
    expect(await mailTo(reader, /^Winter hours$/)).toContain('Book a table (https://harbor.example/book)');
    await page.getByText(/^1 of 1 sent · finished /).waitFor();
    await expectAccessible(page, 'campaign sent');
    await screenshots(page, 'newsletter-6-sent');
  });
});
