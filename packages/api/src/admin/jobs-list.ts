import { sql, type Kysely } from 'kysely';
import { JOB_SCHEMA, type DB } from '@bistro/db';
import { adminJobsListInput, type JobState } from '@bistro/domain';
import { adminProcedure } from '../trpc.js';

interface JobRow {
  id: string;
  name: string;
  state: JobState;
  retryCount: number;
  retryLimit: number;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  output: unknown;
}

/**
 * Background jobs for admins, newest first: which failed and why (the last error kept with a
 * failed job), which wait to be retried. Payloads are not shown (they name ids only anyway).
 */
export const list = adminProcedure.input(adminJobsListInput).query(async ({ ctx, input }) => {
  const table = sql.table(`${JOB_SCHEMA}.job`);
  const { rows } = await sql<JobRow>`
    select id, name, state, retry_count as "retryCount", retry_limit as "retryLimit", created_on as "createdAt",
      started_on as "startedAt", completed_on as "completedAt", output
    from ${table}
    where name not like '\\_\\_%' escape '\\'
      ${input.state ? sql`and state = ${input.state}::${sql.raw(JOB_SCHEMA)}.job_state` : sql``}
      ${input.name ? sql`and name = ${input.name}` : sql``}
    order by created_on desc, id
    limit ${input.limit}`.execute(ctx.db);
  return {
    jobs: rows.map((row) => ({
      id: row.id,
      name: row.name,
      state: row.state,
      retryCount: row.retryCount,
      retryLimit: row.retryLimit,
      createdAt: new Date(row.createdAt),
      startedAt: row.startedAt === null ? null : new Date(row.startedAt),
      completedAt: row.completedAt === null ? null : new Date(row.completedAt),
      lastError: row.state === 'failed' || row.state === 'retry' ? lastError(row.output) : null,
    })),
  };
});

/** The message pg-boss kept from the error that failed the job (`output.message`), at most 500 characters. */
function lastError(output: unknown): string | null {
  if (typeof output !== 'object' || output === null) return null;
  const message = (output as { message?: unknown }).message;
  return typeof message === 'string' ? message.slice(0, 500) : null;
}

/**
 * How many jobs each task has in each state (created and retry: the queue's depth; active;
 * failed: kept with their error), for the metrics. Task names come from the fixed list in
 * jobs/tasks.ts and states are pg-boss's own, so the set is bounded.
 */
export async function jobCounts(db: Kysely<DB>): Promise<{ task: string; state: string; count: number }[]> {
  const { rows } = await sql<{ task: string; state: string; count: number }>`
    select name as task, state::text as state, count(*)::int as count
    from ${sql.table(`${JOB_SCHEMA}.job`)}
    where name not like '\\_\\_%' escape '\\'
    group by name, state`.execute(db);
  return rows;
}
