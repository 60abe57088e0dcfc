import { z } from 'zod';
import type { EmailContent } from './layout.js';

/** An account email as enqueued (sealed in the job): the address and the single-use link's secret. */
export const accountEmailSchema = z.discriminatedUnion('template', [
  z.strictObject({ template: z.literal('verify_email'), to: z.string(), token: z.string() }),
  z.strictObject({ template: z.literal('already_registered'), to: z.string() }),
  z.strictObject({ template: z.literal('password_reset'), to: z.string(), token: z.string() }),
  z.strictObject({
    template: z.literal('invitation'),
    to: z.string(),
    token: z.string(),
    locationName: z.string(),
    inviterName: z.string(),
    role: z.string(),
  }),
  // Double opt-in: the link that confirms a newsletter subscription (`listName`: the location's, or Bistro's).
  z.strictObject({ template: z.literal('newsletter_confirm'), to: z.string(), token: z.string(), listName: z.string() }),
]);
export type AccountEmail = z.infer<typeof accountEmailSchema>;

/** A link into the web app: `${PUBLIC_URL}${path}?token=…`. */
export function tokenLink(publicUrl: string, path: string, token: string): string {
  const url = new URL(path, publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

const FOOTER = 'Bistro';

export function accountEmailContent(publicUrl: string, email: AccountEmail): EmailContent {
  switch (email.template) {
    case 'verify_email':
      return {
        subject: 'Confirm your email for Bistro',
        preview: 'Confirm this email address for your Bistro account',
        heading: 'Confirm your email',
        blocks: [
          { type: 'text', text: 'Confirm this email address for your Bistro account by opening:' },
          { type: 'link', label: 'Confirm my email', href: tokenLink(publicUrl, '/verify-email', email.token) },
          { type: 'small', text: 'The link works once, for 48 hours. If you did not sign up, ignore this message.' },
        ],
        footer: FOOTER,
      };
    case 'already_registered':
      return {
        subject: 'Someone tried to sign up to Bistro with your email',
        preview: 'This address already has a Bistro account',
        heading: 'You already have an account',
        blocks: [
          { type: 'text', text: 'Someone (perhaps you) tried to create a Bistro account with this address, which already has one.' },
          { type: 'link', label: 'Reset your password', href: new URL('/reset-password', publicUrl).toString() },
          { type: 'small', text: 'If you did not forget your password, ignore this message.' },
        ],
        footer: FOOTER,
      };
    case 'password_reset':
      return {
        subject: 'Reset your Bistro password',
        preview: 'Choose a new password for your Bistro account',
        heading: 'Reset your password',
        blocks: [
          { type: 'text', text: 'Someone (perhaps you) asked to reset the password of the Bistro account for this address. Choose a new password by opening:' },
          { type: 'link', label: 'Choose a new password', href: tokenLink(publicUrl, '/reset-password', email.token) },
          { type: 'small', text: 'The link works once, for 1 hour, and signs you out on every device. If you did not ask, ignore this message: your password stays as it is.' },
        ],
        footer: FOOTER,
      };
    case 'invitation':
      return {
        subject: `You are invited to join ${email.locationName} on Bistro`,
        preview: `${email.inviterName} invited you to join ${email.locationName}`,
        heading: `Join ${email.locationName}`,
        blocks: [
          { type: 'text', text: `${email.inviterName} invited you to join ${email.locationName} on Bistro as ${email.role}. Accept (and create your account if you have none yet) by opening:` },
          { type: 'link', label: 'Accept the invitation', href: tokenLink(publicUrl, '/accept-invitation', email.token) },
          { type: 'small', text: 'The link works once, for 7 days. If you did not expect this, ignore this message.' },
        ],
        footer: FOOTER,
      };
    case 'newsletter_confirm':
      return {
        subject: `Confirm your subscription to the ${email.listName} newsletter`,
        preview: `One click to start receiving the ${email.listName} newsletter`,
        heading: 'Confirm your subscription',
        blocks: [
          { type: 'text', text: `Someone (perhaps you) asked to receive the ${email.listName} newsletter at this address. Confirm by opening:` },
          { type: 'link', label: 'Confirm my subscription', href: tokenLink(publicUrl, '/newsletter/confirm', email.token) },
          { type: 'small', text: 'The link works once, for 48 hours. If you did not ask, ignore this message: you will receive nothing.' },
        ],
        footer: FOOTER,
      };
  }
}
