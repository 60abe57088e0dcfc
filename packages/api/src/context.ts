import type { Kysely } from 'kysely';
import type { BaseLogger } from 'pino';
import type { DB } from '@bistro/db';

/** A pino-compatible logger; on the server it is the request's child logger, carrying its id. */
export type Logger = Pick<BaseLogger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'>;

/** What every procedure gets: the database, a logger bound to the request id, and a clock. */
export interface Context {
  db: Kysely<DB>;
  log: Logger;
  requestId: string;
  /** The current instant; tests pass a fixed one to check opening hours. */
  now: () => Date;
}

export interface ContextOptions {
  db: Kysely<DB>;
  log: Logger;
  requestId: string;
  now?: () => Date;
}

export function createContext({ db, log, requestId, now }: ContextOptions): Context {
  return { db, log, requestId, now: now ?? (() => new Date()) };
}
