import type { KyselyPlugin, Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { createCaller, createContext } from '../src/index.js';

const silent = { fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/** A caller as the server would build it, with a fixed clock. */
export function callerFor(db: Kysely<DB>, now = new Date()) {
  return createCaller(createContext({ db, log: silent, requestId: 'test', now: () => now }));
}

/** Counts the SQL statements a piece of work sends. */
export function countingStatements(db: Kysely<DB>): { db: Kysely<DB>; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      n += 1;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), count: () => n };
}
