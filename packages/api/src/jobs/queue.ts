import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { PgBoss, fromKysely, type Db, type Job, type JobResult, type QueueOptions } from 'pg-boss';
import { JOB_SCHEMA, type DB } from '@bistro/db';
import type { Logger, Services } from '../context.js';

/**
 * Background jobs on Bistro's own PostgreSQL, through pg-boss (see README, "Background jobs").
 *
 * Why pg-boss rather than graphile-worker: the embedded database of the two-command start is
 * PGlite behind ONE connection, and everything must share it. pg-boss runs every statement
 * through an adapter we give it (`executeSql`), needs no LISTEN connection (it polls; a job
 * enqueued here wakes this process's worker at once) and no session of its own, so the queue
 * rides the application's pool: one connection on PGlite, the configured pool on PostgreSQL,
 * the same code in both. graphile-worker holds a LISTEN connection and runs its own pool.
 */

/** What a task's handler gets: the database, the clock, the services (mailer, keys, settings). */
export interface TaskContext {
  db: Kysely<DB>;
  log: Logger;
  now: () => Date;
  services: Services;
  job: { id: string; name: string; retryCount: number };
}

export interface Task<Data extends object> {
  /** The queue's name, `area.verb`. */
  name: string;
  /** Checks a payload, in `enqueue` and again when it runs (a payload written by an older build). */
  parse(data: unknown): Data;
  /** Retries, backoff and how long a run may take before another worker takes it over. */
  options: QueueOptions;
  /** A cron expression in UTC (pg-boss's schedule): the task is enqueued at those minutes. */
  cron?: string;
  /** Jobs of one group run one at a time (pg-boss's group concurrency). Undefined: no group. */
  groupOf?(data: Data): string | undefined;
  /**
   * And in the order they were enqueued (an order's emails: the confirmation before the
   * cancellation), even when an earlier one is retried: a job whose group still has an earlier
   * job not completed waits (see JobQueue.runJob). Not for chains whose jobs enqueue the next
   * themselves (a campaign's batches): the next would always find its predecessor still running.
   */
  inOrder?: boolean;
  /** Jobs of this queue run at most this many at once per worker process (one fetch's batch). */
  concurrency?: number;
  run(ctx: TaskContext, data: Data): Promise<void>;
}

/** Retries with exponential backoff (1 s, 2 s, 4 s … up to 5 min, with jitter), then the job is kept failed. */
export const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 5,
  retryDelay: 1,
  retryBackoff: true,
  retryDelayMax: 300,
  // A worker that died mid-job: another takes the job over after this.
  expireInSeconds: 60,
  // Completed jobs are kept a day, failed ones a month (until an admin retries or they age out).
  deleteAfterSeconds: 24 * 3600,
  retentionSeconds: 30 * 24 * 3600,
};

/** The message a grouped job fails with while an earlier job of its group is not done (it is retried). */
export const WAITING_FOR_EARLIER = 'waiting for an earlier job of its group';

export interface JobQueueOptions {
  /**
   * The application's pool: on the embedded database, its single connection. Without it (tests
   * that only enqueue) statements go through `db`, which can't run the supervisor's batches.
   */
  pool?: pg.Pool;
  db: Kysely<DB>;
  log: Logger;
  tasks: readonly Task<object>[];
  /** Overrides every queue's options (tests: short expiry and retry delays). */
  queueOptions?: QueueOptions;
  /** How often an idle worker looks for jobs enqueued by another process (seconds, ≥ 0.5). */
  pollingIntervalSeconds?: number;
  /** How often expired jobs (a dead worker's) are handed back (seconds). */
  superviseIntervalSeconds?: number;
}

export interface WorkOptions {
  services: Services;
  now: () => Date;
  /** Cron schedules are kept by this process too (any number of processes may; pg-boss enqueues once). */
  schedule?: boolean;
}

/** The adapter pg-boss runs its SQL through: our pool (multi-statement texts return every statement's rows). */
function poolAdapter(pool: pg.Pool): Db {
  return {
    async executeSql(text, values) {
      type Result = pg.QueryResult<Record<string, unknown>>;
      // A text of several statements answers one result per statement (pg's simple protocol).
      const result: Result | Result[] = await (values?.length ? pool.query<Record<string, unknown>>(text, values) : pool.query<Record<string, unknown>>(text));
      const results: Result[] = Array.isArray(result) ? result : [result];
      return { rows: results.flatMap((r) => r.rows) };
    },
  };
}

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly tasks: Map<string, Task<object>>;
  private readonly workers = new Map<string, string>();
  private started: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: JobQueueOptions) {
    this.tasks = new Map(options.tasks.map((task) => [task.name, task]));
    this.boss = new PgBoss({
      db: this.adapter(),
      schema: JOB_SCHEMA,
      // The schema is installed by migrateToLatest; a newer pg-boss upgrades it here.
      migrate: true,
      createSchema: false,
      supervise: false,
      schedule: false,
      registerInstance: false,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 30,
    });
    this.boss.on('error', (error) => options.log.error({ err: error }, 'job queue error'));
  }

  /** Opens the queue (creates any missing queues); enough to enqueue. `work()` also runs the jobs. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      for (const task of this.tasks.values()) {
        await this.boss.createQueue(task.name, { ...DEFAULT_QUEUE_OPTIONS, ...task.options, ...this.options.queueOptions });
        if (this.options.queueOptions) await this.boss.updateQueue(task.name, this.options.queueOptions);
      }
    })();
    return this.started;
  }

  /**
   * Runs the jobs in this process: a worker per task, the supervisor that hands back a dead
   * worker's jobs, and (with `schedule`) the cron schedules.
   */
  async work(options: WorkOptions): Promise<void> {
    await this.start();
    // Supervising and scheduling are timers of their own; a second instance turns them on.
    if (!this.options.pool) throw new Error('JobQueue.work() needs the pool');
    const supervisor = new PgBoss({
      db: poolAdapter(this.options.pool),
      schema: JOB_SCHEMA,
      migrate: false,
      createSchema: false,
      supervise: true,
      schedule: options.schedule ?? true,
      registerInstance: false,
      superviseIntervalSeconds: this.options.superviseIntervalSeconds ?? 30,
    });
    supervisor.on('error', (error) => this.options.log.error({ err: error }, 'job supervisor error'));
    await supervisor.start();
    this.supervisor = supervisor;
    for (const task of this.tasks.values()) {
      if (task.cron && (options.schedule ?? true)) await supervisor.schedule(task.name, task.cron, {}, { tz: 'UTC' });
      // One worker per task fetching up to `concurrency` jobs at a time, each settled on its own;
      // while fetches come back full it fetches again at once (a backlog drains without polling).
      const id = await this.boss.work(
        task.name,
        {
          pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
          batchSize: task.concurrency ?? 2,
          burstWhenBatchFull: true,
          perJobResults: true,
          ...(task.groupOf ? { groupConcurrency: 1 } : {}),
        },
        (jobs: Job<unknown>[]) =>
          Promise.all(
            jobs.map(async (job): Promise<JobResult> => {
              try {
                await this.runJob(task, job, options);
                return { id: job.id, status: 'completed' };
              } catch (error) {
                // Kept with the job for admins (admin.jobs.list): the message only, which names no person.
                return { id: job.id, status: 'failed', output: { message: error instanceof Error ? error.message : String(error) } };
              }
            }),
          ),
      );
      this.workers.set(task.name, id);
    }
  }

  private supervisor: PgBoss | undefined;

  private adapter(): Db {
    return this.options.pool ? poolAdapter(this.options.pool) : fromKysely(this.options.db);
  }

  /**
   * A job of a group runs only once every earlier job of its group (enqueued before it) has
   * completed or failed for good. pg-boss's group concurrency alone does not keep the order: it
   * only counts *active* jobs, so a later job runs while an earlier one waits for its retry, and
   * two jobs of a group fetched in one batch run side by side. A job that finds an earlier one
   * still to run (created, waiting for its retry, or running) fails with WAITING_FOR_EARLIER and
   * is retried with the queue's backoff, and that try is given back (`keepWaiting`): waiting never
   * uses up its retries, so it runs once the earlier one is done, whether that one succeeded or
   * failed for good (the guest still hears that the order is cancelled). The query stays on
   * pg-boss's index of live jobs by (name, state).
   */
  private async earlierPending(name: string, group: string, id: string): Promise<boolean> {
    const job = sql.id(JOB_SCHEMA, 'job');
    const { rows } = await sql<{ waiting: boolean }>`
      select exists (
        select 1 from ${job} e, ${job} me
        where me.name = ${name} and me.id = ${id}
          and e.name = ${name} and e.group_id = ${group} and e.id <> me.id and e.created_on < me.created_on
          and e.state in ('created', 'retry', 'active')
      ) as waiting`.execute(this.options.db);
    return rows[0]?.waiting ?? false;
  }

  /** The try a job spent waiting for an earlier one is given back: its retry limit moves up by one. */
  private async keepWaiting(name: string, id: string): Promise<void> {
    const job = sql.id(JOB_SCHEMA, 'job');
    await sql`update ${job} set retry_limit = retry_limit + 1 where name = ${name} and id = ${id} and state = 'active'`.execute(this.options.db);
  }

  private async runJob(task: Task<object>, job: Job<unknown>, options: WorkOptions): Promise<void> {
    const log = this.options.log;
    const data = task.parse(job.data);
    const group = task.inOrder ? task.groupOf?.(data) : undefined;
    if (group && (await this.earlierPending(task.name, group, job.id))) {
      log.info({ job: job.name, jobId: job.id, retryCount: job.retryCount }, 'job waits for an earlier job of its group');
      await this.keepWaiting(task.name, job.id);
      throw new Error(WAITING_FOR_EARLIER);
    }
    try {
      await task.run(
        { db: this.options.db, log, now: options.now, services: options.services, job: { id: job.id, name: job.name, retryCount: job.retryCount } },
        data,
      );
    } catch (error) {
      // The message is kept with the failed job for admins; it must carry no personal data.
      log.warn({ err: error, job: job.name, jobId: job.id, retryCount: job.retryCount }, 'job failed');
      throw error;
    }
  }

  /**
   * Enqueues a job in `db`, the caller's transaction: it exists only if the change that caused it
   * commits (the outbox). Call `wake()` after the commit for it to run at once in this process.
   */
  async enqueue<Data extends object>(db: Kysely<DB>, task: Task<Data>, data: Data, options: { singletonKey?: string } = {}): Promise<void> {
    await this.start();
    const payload = task.parse(data);
    const group = task.groupOf?.(payload);
    await this.boss.send(task.name, payload, { db: fromKysely(db), ...options, ...(group ? { group: { id: group } } : {}) });
  }

  /** After the enqueuing transaction committed: this process's worker looks at once instead of at its next poll. */
  wake(task: Task<object>): void {
    const id = this.workers.get(task.name);
    if (id) this.boss.notifyWorker(id);
  }

  /** Puts a failed job back in its queue, to run at once with a fresh count of retries (`admin.jobs.retry`). */
  async retry(name: string, id: string): Promise<void> {
    await this.start();
    await this.boss.retry(name, id);
  }

  /** Names of the tasks this queue knows. */
  taskNames(): string[] {
    return [...this.tasks.keys()];
  }

  /**
   * Graceful shutdown: no new job is fetched, running ones get `timeoutMs` to finish; one still
   * running then is left active and expires (another worker takes it over).
   */
  async stop(timeoutMs = 8_000): Promise<void> {
    if (this.stopping || !this.started) return;
    this.stopping = true;
    await this.started.catch(() => {});
    await this.supervisor?.stop({ graceful: true, close: false, timeout: timeoutMs });
    await this.boss.stop({ graceful: true, close: false, timeout: timeoutMs });
  }
}
