import type { EmailContent } from '../emails/layout.js';
import { campaignHtml, campaignText } from './render.js';

export interface CampaignForEmail {
  subject: string;
  bodyMarkdown: string;
}

/** The unsubscribe page (GET: the web app's page with a button) and the RFC 8058 one-click POST share this address. */
export function unsubscribeUrl(publicUrl: string, token: string): string {
  const url = new URL('/newsletter/unsubscribe', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * A campaign email: the Markdown as sanitised HTML and text, why the reader gets it, and a
 * visible unsubscribe link (`unsubscribe` null: a preview, whose reader is not a subscriber).
 */
export function campaignEmailContent(campaign: CampaignForEmail, location: { name: string; address: string }, unsubscribe: string | null): EmailContent {
  return {
    subject: campaign.subject,
    preview: campaign.subject,
    heading: campaign.subject,
    blocks: [
      { type: 'html', html: campaignHtml(campaign.bodyMarkdown), text: campaignText(campaign.bodyMarkdown) },
      unsubscribe
        ? { type: 'small', text: `You receive this because you subscribed to the ${location.name} newsletter. Unsubscribe with one click: ${unsubscribe}` }
        : { type: 'small', text: 'This is a preview. Each subscriber’s copy ends with their own one-click unsubscribe link.' },
    ],
    footer: `${location.name}\n${location.address}`,
  };
}

/** RFC 2369 and RFC 8058: mail clients show their own "unsubscribe" button, which POSTs to the https link. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
