import { z } from 'zod';
import { emailSchema, tokenSchema } from './auth.js';
import { multiLineText, singleLineText } from './text.js';

/** The newsletter (DOMAIN.md: campaign): double opt-in subscriptions, and campaigns a manager sends. */

/** pending: asked, not yet confirmed by the emailed link; confirmed: receives campaigns; unsubscribed: receives nothing. */
export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** draft: editable; sending: the queue is sending it; sent: every recipient was handled. */
export const CAMPAIGN_STATUSES = ['draft', 'sending', 'sent'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * One recipient of one campaign: pending → sending (claimed by one run) → sent; skipped (they
 * unsubscribed meanwhile); failed (refused on every try, or in flight when its worker died: at
 * most once means it is never sent a second time).
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'skipped', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** How long a confirmation link works. */
export const NEWSLETTER_CONFIRM_TTL_MS = 48 * 60 * 60 * 1000;

export const CAMPAIGN_SUBJECT_MAX = 150;
export const CAMPAIGN_BODY_MAX = 50_000;

/** `locationId` absent: every location's newsletter. */
export const newsletterSubscribeInput = z.strictObject({ email: emailSchema, locationId: z.uuid().optional() });
export type NewsletterSubscribeInput = z.infer<typeof newsletterSubscribeInput>;
export const newsletterTokenInput = z.strictObject({ token: tokenSchema });
/** The signed-in customer's choice for one list (a location's, or every location's when `locationId` is absent). */
export const newsletterSetMineInput = z.strictObject({ locationId: z.uuid().optional(), subscribed: z.boolean() });
export type NewsletterSetMineInput = z.infer<typeof newsletterSetMineInput>;

export const campaignSubjectSchema = singleLineText({ max: CAMPAIGN_SUBJECT_MAX });
/** Markdown; rendered to sanitised HTML (no scripts, styles, images from elsewhere) and to text when sent. */
export const campaignBodySchema = multiLineText({ max: CAMPAIGN_BODY_MAX });

export const campaignCreateInput = z.strictObject({ locationId: z.uuid(), subject: campaignSubjectSchema, bodyMarkdown: campaignBodySchema });
export type CampaignCreateInput = z.infer<typeof campaignCreateInput>;
/** `version` is the one the editor read: a stale one is refused (STALE_VERSION), nothing changed. */
export const campaignUpdateInput = z.strictObject({
  campaignId: z.uuid(),
  version: z.number().int().min(1),
  subject: campaignSubjectSchema.optional(),
  bodyMarkdown: campaignBodySchema.optional(),
});
export type CampaignUpdateInput = z.infer<typeof campaignUpdateInput>;
export const campaignListInput = z.strictObject({ locationId: z.uuid() });
export const campaignIdInput = z.strictObject({ campaignId: z.uuid() });
