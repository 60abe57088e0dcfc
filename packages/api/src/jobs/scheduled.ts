import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { localWeekdayAndMinute } from '@bistro/domain';
import type { Services } from '../context.js';
import { enqueueDigestEmail, emailsEnqueued } from '../emails/task.js';
import { lowStockInventory } from '../emails/digest-email.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Idempotency keys are kept this long (the contract promises at least 24 h), then cleaned up. */
export const KEY_RETENTION_MS = 48 * HOUR_MS;
/** A used or expired single-use link keeps answering TOKEN_USED / TOKEN_EXPIRED this long, then is forgotten (TOKEN_INVALID). */
export const TOKEN_RETENTION_MS = 7 * DAY_MS;
/** Sent emails' keys (which stop a retried job from sending twice) are kept this long. */
export const DELIVERY_RETENTION_MS = 30 * DAY_MS;

/** The low-stock digest goes out at 08:00 local time, or at the first run after it until noon (a worker that was down at 08:00). */
export const DIGEST_MINUTE = 8 * 60;
export const DIGEST_UNTIL_MINUTE = 12 * 60;

/**
 * Forgets what has served its time, by `now` (the injected clock): idempotency keys past their
 * retention, single-use tokens (account and newsletter links) a week after they expired or were used, sent emails' keys after
 * a month. Answers how many rows of each went.
 */
export async function cleanUpExpired(db: Kysely<DB>, now: Date): Promise<{ idempotencyKeys: number; tokens: number; deliveries: number }> {
  const keys = await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now.getTime() - KEY_RETENTION_MS)).executeTakeFirst();
  const tokenCutoff = new Date(now.getTime() - TOKEN_RETENTION_MS);
  const tokens = await db
    .deleteFrom('auth_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', tokenCutoff), eb('used_at', '<', tokenCutoff)]))
    .executeTakeFirst();
  // The newsletter's confirmation links, on the same terms.
  const newsletterTokens = await db
    .deleteFrom('newsletter_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', tokenCutoff), eb('used_at', '<', tokenCutoff)]))
    .executeTakeFirst();
  const deliveries = await db.deleteFrom('email_deliveries').where('sent_at', '<', new Date(now.getTime() - DELIVERY_RETENTION_MS)).executeTakeFirst();
  return { idempotencyKeys: Number(keys.numDeletedRows), tokens: Number(tokens.numDeletedRows) + Number(newsletterTokens.numDeletedRows), deliveries: Number(deliveries.numDeletedRows) };
}

/**
 * The morning digest: for each location where it is between 08:00 and noon (in the location's
 * own time zone) and today's digest is not yet out, claims the day and, if anything is at or below
 * its threshold, enqueues an email to each of the location's managers, in one transaction. The
 * task runs every few minutes; a run that finds the day claimed does nothing. Answers the
 * locations whose digest was sent.
 */
export async function sendLowStockDigests(ctx: { db: Kysely<DB>; services: Services }, now: Date): Promise<string[]> {
  const locations = await ctx.db.selectFrom('locations').select(['id', 'time_zone as timeZone']).orderBy('id').execute();
  const sent: string[] = [];
  for (const location of locations) {
    const { date, minute } = localWeekdayAndMinute(location.timeZone, now);
    if (minute < DIGEST_MINUTE || minute >= DIGEST_UNTIL_MINUTE) continue;
    const emailed = await ctx.db.transaction().execute(async (trx) => {
      const { low, managers } = await lowStockInventory(trx, location.id);
      const claimed = await trx
        .insertInto('low_stock_digests')
        .values({ location_id: location.id, local_date: date, ingredients: low.length, created_at: now })
        .onConflict((oc) => oc.columns(['location_id', 'local_date']).doNothing())
        .returning('location_id')
        .executeTakeFirst();
      if (!claimed || low.length === 0) return false;
      for (const manager of managers) await enqueueDigestEmail(ctx, trx, { locationId: location.id, userId: manager.id, localDate: date });
      return managers.length > 0;
    });
    if (emailed) sent.push(location.id);
  }
  if (sent.length) emailsEnqueued(ctx);
  return sent;
}
