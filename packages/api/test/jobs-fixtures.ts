import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { DB } from '@bistro/db';
import type { TestDatabase } from '@bistro/db/testing';
import { JobQueue, TASKS, type Services } from '../src/index.js';
import { silent } from './helpers.js';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, unknown>;
  /** The headers as they were sent, one `Name: value` line each (mailparser folds List-* headers into `list`). */
  headerLines: string[];
  /** performance.now() when it was accepted (the bench's commit-to-SMTP latency). */
  acceptedAt: number;
}

/**
 * A real SMTP server in the test process (the `smtp-server` package). A message counts as
 * received once it is accepted (250). `hold()` makes the next message wait, unanswered, until
 * `release()`; `refuse(n)` answers the next n messages 451 (try again later).
 */
export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer;
  private holding = false;
  private holdWhenReceived: number | undefined;
  private refusals = 0;
  private held: { release: (accept: boolean) => void } | undefined;
  private heldWaiters: (() => void)[] = [];
  private mailWaiters: { count: number; resolve: () => void }[] = [];
  url = '';

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => void this.onData(stream, session.envelope.rcptTo.map((r) => r.address), callback),
    });
  }

  private async onData(stream: SMTPServerDataStream, to: string[], callback: (error?: Error | null) => void): Promise<void> {
    try {
      const parsed = await simpleParser(stream);
      if (this.refusals > 0) {
        this.refusals -= 1;
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        return;
      }
      if (this.holding || this.holdWhenReceived === this.received.length) {
        this.holding = false;
        this.holdWhenReceived = undefined;
        const accept = await new Promise<boolean>((resolve) => {
          this.held = { release: resolve };
          for (const w of this.heldWaiters.splice(0)) w();
        });
        this.held = undefined;
        if (!accept) return callback(Object.assign(new Error('Dropped'), { responseCode: 421 }));
      }
      this.received.push({
        to,
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : '',
        messageId: parsed.messageId ?? '',
        headers: parsed.headers,
        // Unfolded (RFC 5322): a long header arrives split over lines.
        headerLines: parsed.headerLines.map((h) => h.line.replace(/\r?\n(?=[ \t])/g, '')),
        acceptedAt: performance.now(),
      });
      callback();
      for (const w of this.mailWaiters.filter((w) => this.received.length >= w.count)) {
        this.mailWaiters.splice(this.mailWaiters.indexOf(w), 1);
        w.resolve();
      }
    } catch (error) {
      callback(error as Error);
    }
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  hold(): void {
    this.holding = true;
  }

  /** Holds the message that arrives once `count` messages in all were accepted (the count+1-th), like `hold()`. */
  holdAfter(count: number): void {
    this.holdWhenReceived = count;
  }

  /** Resolves once a held message has arrived whole and waits for its answer. */
  whenHeld(): Promise<void> {
    if (this.held) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Answers the held message: accepted (250) or not (421). */
  release(accept = true): void {
    this.held?.release(accept);
  }

  refuse(n: number): void {
    this.refusals = n;
  }

  /** Resolves once `count` messages in all were accepted. */
  untilReceived(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.mailWaiters.push({ count, resolve }));
  }

  close(): Promise<void> {
    this.release(false);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Short expiry and retry delays, so a dead worker's job and a retry come round within a test. */
export const FAST_QUEUES = { expireInSeconds: 2, retryDelay: 1, retryBackoff: true, retryLimit: 2 } as const;

/** A worker on the test database, as the server runs it (the pool, the supervisor, the schedules off). */
export async function startWorker(tdb: TestDatabase, services: Services, now: () => Date): Promise<JobQueue> {
  const jobs = new JobQueue({ pool: tdb.pool, db: tdb.db, log: silent, tasks: TASKS, queueOptions: FAST_QUEUES, pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 });
  await jobs.work({ services: { ...services, jobs }, now, schedule: false });
  return jobs;
}

export interface StoredJob {
  id: string;
  name: string;
  state: string;
  retryCount: number;
  data: unknown;
  output: unknown;
}

export async function storedJobs(db: Kysely<DB>, name = 'email.send'): Promise<StoredJob[]> {
  const { rows } = await sql<StoredJob>`select id, name, state, retry_count as "retryCount", data, output from pgboss.job where name = ${name} order by created_on`.execute(db);
  return rows;
}

/** Waits (polling the table, bounded by the test's timeout) until every job of `name` is completed or failed. */
export async function settled(db: Kysely<DB>, name = 'email.send'): Promise<StoredJob[]> {
  for (;;) {
    const jobs = await storedJobs(db, name);
    if (jobs.every((j) => j.state === 'completed' || j.state === 'failed' || j.state === 'cancelled')) return jobs;
    await sleep(100);
  }
}
