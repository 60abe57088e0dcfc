import type { CampaignStatus } from '@bistro/domain';

/** The columns a campaign is answered with (never the whole row). */
export const campaignColumns = [
  'id',
  'location_id as locationId',
  'subject',
  'body_markdown as bodyMarkdown',
  'status',
  'version',
  'recipients',
  'sent_count as sent',
  'skipped_count as skipped',
  'failed_count as failed',
  'created_at as createdAt',
  'updated_at as updatedAt',
  'send_started_at as sendStartedAt',
  'sent_at as sentAt',
] as const;

export interface CampaignRow {
  id: string;
  locationId: string;
  subject: string;
  bodyMarkdown: string;
  status: CampaignStatus;
  version: number;
  recipients: number;
  sent: number;
  skipped: number;
  failed: number;
  createdAt: Date | string;
  updatedAt: Date | string;
  sendStartedAt: Date | string | null;
  sentAt: Date | string | null;
}

const date = (d: Date | string) => new Date(d);

export function campaignOutput(row: CampaignRow) {
  return {
    id: row.id,
    locationId: row.locationId,
    subject: row.subject,
    bodyMarkdown: row.bodyMarkdown,
    status: row.status,
    version: row.version,
    counts: {
      recipients: row.recipients,
      sent: row.sent,
      skipped: row.skipped,
      failed: row.failed,
      /** Still to send (or in flight). */
      pending: Math.max(0, row.recipients - row.sent - row.skipped - row.failed),
    },
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
    sendStartedAt: row.sendStartedAt === null ? null : date(row.sendStartedAt),
    sentAt: row.sentAt === null ? null : date(row.sentAt),
  };
}
