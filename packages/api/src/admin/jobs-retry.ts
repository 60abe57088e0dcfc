import { sql } from 'kysely';
import { JOB_SCHEMA } from '@bistro/db';
import { adminJobsRetryInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { notFound } from '../errors.js';
import { adminProcedure } from '../trpc.js';

/**
 * Puts a failed job back into its queue: it runs again at once, with its retries counted
 * afresh. Only a failed job can be retried; any other id (unknown, or a job that is not failed)
 * is NOT_FOUND. An email job retried after all still sends its email once (email_deliveries).
 */
export const retry = adminProcedure.input(adminJobsRetryInput).mutation(async ({ ctx, input }) => {
  if (!ctx.services.jobs) throw new Error('The job queue is not configured');
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(`${JOB_SCHEMA}.job`)} where id = ${input.id} and state = 'failed'`.execute(ctx.db);
  const job = rows[0];
  if (!job) throw notFound('Failed job');
  await ctx.services.jobs.retry(job.name, input.id);
  await recordAudit(ctx.db, ctx, { action: 'job.retried', targetType: 'job', targetId: input.id, details: { name: job.name } });
  return { id: input.id, name: job.name };
});
