import type { FastifyBaseLogger } from 'fastify';
import { JobQueue, TASKS, type Services } from '@bistro/api';
import type { Config } from './config.js';
import type { OpenDatabase } from './database.js';

/**
 * The job queue on the server's own database and pool (on the embedded database, its single
 * connection). With WORKERS (the default) this process also runs the jobs and the schedules;
 * without, it only enqueues them for `npm run worker`.
 */
export async function startJobs(config: Config, database: OpenDatabase, services: Services, log: FastifyBaseLogger, now: () => Date): Promise<JobQueue> {
  const jobs = new JobQueue({ pool: database.pool, db: database.db, log, tasks: TASKS });
  await jobs.start();
  if (config.workers) {
    await jobs.work({ services: { ...services, jobs }, now });
    log.info({ tasks: jobs.taskNames() }, 'background jobs run in this process (WORKERS=true)');
  } else {
    log.info('WORKERS=false: background jobs are only enqueued here; run them with `npm run worker`');
  }
  return jobs;
}
