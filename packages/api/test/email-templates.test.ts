import { describe, expect, it } from 'vitest';
import { accountEmailContent, type AccountEmail } from '../src/emails/account-emails.js';
import { renderHtml, renderText } from '../src/emails/layout.js';
import { orderEmailContent, type OrderEmailKind, type OrderForEmail } from '../src/emails/order-emails.js';

/**
 * Every email's text part, as a guest reads it, kept as a snapshot; and its HTML part checked
 * for anything an email client would block or fetch from elsewhere.
 */

const order: OrderForEmail = {
  id: '0b9a3c1e-6d7f-4b8a-9c2d-3e4f5a6b7c8d',
  number: '#A-042',
  status: 'placed',
  type: 'pickup',
  table: null,
  wantedAt: new Date('2026-12-04T18:30:00Z'),
  placedAt: new Date('2026-12-04T16:05:00Z'),
  location: { name: 'Harbor Bistro', address: '1 Quay Street\nPort Town', timeZone: 'America/New_York' },
  currency: 'USD',
  subtotalMinor: 2_950,
  taxMinor: 236,
  tipMinor: 300,
  totalMinor: 3_486,
  lines: [
    { name: 'Burger', quantity: 2, lineTotalMinor: 2_500, options: [{ name: 'Medium', groupName: 'Doneness', priceDeltaMinor: 0 }, { name: 'Cheese', groupName: 'Extras', priceDeltaMinor: 100 }], note: null },
    { name: 'Fries', quantity: 1, lineTotalMinor: 450, options: [], note: 'Extra crispy' },
  ],
  guestName: 'Ada',
  email: 'ada@example.com',
  reason: 'The fryer broke down',
};
const links = { tracking: 'http://bistro.test/track?order=TOKEN', receipt: 'http://bistro.test/r/TOKEN' };

const ACCOUNT: AccountEmail[] = [
  { template: 'verify_email', to: 'ada@example.com', token: 'VERIFY' },
  { template: 'already_registered', to: 'ada@example.com' },
  { template: 'password_reset', to: 'ada@example.com', token: 'RESET' },
  { template: 'invitation', to: 'ada@example.com', token: 'INVITE', locationName: 'Harbor Bistro', inviterName: 'Grace', role: 'staff' },
];

/** Anything that makes a mail client fetch something: images, style sheets, fonts, scripts, frames. */
function externalResources(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<(img|script|iframe|link|object|embed|video|audio|source)\b[^>]*>/gi)) found.push(m[0]);
  for (const m of html.matchAll(/url\(\s*['"]?(?!data:)[^)'"]+/gi)) found.push(m[0]);
  for (const m of html.matchAll(/@import\b[^;]*/gi)) found.push(m[0]);
  for (const m of html.matchAll(/\b(src|background)\s*=\s*["'][^"']+/gi)) found.push(m[0]);
  return found;
}

describe('order emails', () => {
  for (const kind of ['order_confirmation', 'order_ready', 'order_cancelled'] as const satisfies OrderEmailKind[]) {
    it(`${kind}: its text part, with the location's name, address, currency and time zone`, async () => {
      const content = orderEmailContent(kind, order, links);
      expect(`Subject: ${content.subject}\n\n${renderText(content)}`).toMatchSnapshot();
      const html = await renderHtml(content);
      expect(externalResources(html)).toEqual([]);
      expect(html).toContain('Harbor Bistro');
    });
  }

  it('shows times in the location’s zone and money in its currency', () => {
    const text = renderText(orderEmailContent('order_confirmation', order, links));
    // 18:30 UTC is 13:30 in New York in December.
    expect(text).toContain('13:30');
    expect(text).toContain('$34.86');
    expect(text).toContain('2 × Burger (Medium, Cheese)');
  });

  it('escapes what a guest or manager typed, in the HTML part', async () => {
    const html = await renderHtml(orderEmailContent('order_cancelled', { ...order, reason: '<script>alert(1)</script>', location: { ...order.location, name: 'Bob & <b>Co</b>' } }, links));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Bob &amp; &lt;b&gt;Co&lt;/b&gt;');
  });

  it('carries no links when the tracking token is gone', () => {
    expect(renderText(orderEmailContent('order_confirmation', order, null))).not.toContain('http');
  });
});

describe('account emails', () => {
  for (const email of ACCOUNT) {
    it(`${email.template}: its text part and a self-contained HTML part`, async () => {
      const content = accountEmailContent('http://bistro.test', email);
      expect(`Subject: ${content.subject}\n\n${renderText(content)}`).toMatchSnapshot();
      expect(externalResources(await renderHtml(content))).toEqual([]);
    });
  }
});
