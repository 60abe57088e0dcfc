import { z } from 'zod';
import { sendEmailTask } from '../emails/task.js';
import { releaseDueOrders } from '../kitchen/release.js';
import { expireUnpaidOrders } from '../payments/expire.js';
import { resendUnsentRefunds } from '../payments/money.js';
import { sendCampaignBatchTask } from '../newsletter/sending.js';
import type { Task, TaskContext } from './queue.js';
import { cleanUpExpired, sendLowStockDigests } from './scheduled.js';

/** Any task, whatever its payload (the registry's element type). */
export type AnyTask = Task<object>;

const noPayload = z.strictObject({});

/**
 * A task run on a cron schedule (UTC) with no payload. Its work reads the injected clock
 * (`ctx.now()`) and decides from the database what is due, so a missed or doubled run does no
 * harm and tests run it with any "now".
 */
export function scheduled(name: string, cron: string, run: (ctx: TaskContext) => Promise<void>): Task<Record<string, never>> {
  return { name, cron, parse: (data) => noPayload.parse(data ?? {}), options: { retryLimit: 2, expireInSeconds: 300 }, concurrency: 1, run: (ctx) => run(ctx) };
}

/**
 * Every background task. Adding one is one line here: a queue task (`enqueue(trx, task, data)`
 * from a procedure), or `scheduled('area.verb', '* * * * *', (ctx) => work(ctx.db, ctx.now()))`.
 */
export const TASKS: readonly AnyTask[] = [
  sendEmailTask,
  sendCampaignBatchTask,
  // Every 5 minutes: each location's digest goes out at the first run after 08:00 its time.
  scheduled('inventory.lowStockDigest', '*/5 * * * *', (ctx) => sendLowStockDigests(ctx, ctx.now()).then(() => undefined)),
  scheduled('maintenance.cleanUp', '17 * * * *', (ctx) => cleanUpExpired(ctx.db, ctx.now()).then(() => undefined)),
  // Every minute: online orders not paid within PAYMENT_TIMEOUT_MINUTES are cancelled, their stock returned.
  scheduled('payments.expireUnpaid', '* * * * *', async (ctx) => {
    const payments = ctx.services.payments;
    if (!payments) return;
    const expired = await expireUnpaidOrders(ctx, { timeoutMinutes: payments.timeoutMinutes });
    if (expired.length > 0) ctx.log.info({ count: expired.length }, 'payments: cancelled orders not paid in time');
  }),
  // Every minute: orders wanted later reach the kitchen at wanted-at minus the prep time.
  scheduled('kitchen.releaseDue', '* * * * *', async (ctx) => {
    const released = await releaseDueOrders(ctx);
    if (released > 0) ctx.log.info({ count: released }, 'kitchen: released orders wanted later');
  }),
  // Every minute: refunds that never reached their provider are asked again.
  scheduled('payments.resendRefunds', '* * * * *', async (ctx) => {
    const asked = await resendUnsentRefunds(ctx);
    if (asked > 0) ctx.log.info({ count: asked }, 'payments: asked the provider again for refunds it never took');
  }),
];
