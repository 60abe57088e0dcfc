import { z } from 'zod';

/** A background job's state (pg-boss's): waiting, waiting to be retried, running, done, given up, cancelled. */
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** `admin.jobs.list`: the newest jobs first, optionally of one state and one queue. */
export const adminJobsListInput = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  /** A task's name, e.g. `email.send`. */
  name: z
    .string()
    .regex(/^[a-z][a-zA-Z]*(\.[a-z][a-zA-Z]*)+$/, 'A task name, like email.send')
    .max(100)
    .optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AdminJobsListInput = z.input<typeof adminJobsListInput>;

/** `admin.jobs.retry`: a failed job back into its queue. */
export const adminJobsRetryInput = z.strictObject({ id: z.uuid() });
