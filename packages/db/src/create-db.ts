import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { NamingClient } from './named-statements.js';
import type { DB } from './schema.js';

export interface DbConfig {
  /** A PostgreSQL connection string. */
  url: string;
  /** Pool size. The embedded database serializes everything on one connection. */
  maxConnections?: number;
  /** Milliseconds to wait for a free connection (and for a new one to open) before failing. */
  connectionTimeoutMs?: number;
  /** Server-side statement timeout in milliseconds; 0 turns it off. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

export interface Database {
  db: Kysely<DB>;
  pool: pg.Pool;
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;
const INT8_ARRAY_OID = 1016;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value ${value} is outside JavaScript's safe integer range`);
  }
  return n;
}

/**
 * Type parsers for this pool only (not pg's global registry): `int8` (bigint columns,
 * `count(*)`, `sum(...)` of integers) always arrives as a number, never as a string, and a
 * value too large to be exact fails loudly instead of being rounded.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    // A calendar day stays 'YYYY-MM-DD'; as a Date it would move with the server's time zone.
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === INT8_ARRAY_OID) {
      const parseArray = pg.types.getTypeParser(INT8_ARRAY_OID as never, 'text') as (v: string) => (string | null)[];
      return (value: string) => parseArray(value).map((n) => (n === null ? null : parseInt8(n)));
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

export function createPool(config: DbConfig): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.maxConnections ?? 10,
    connectionTimeoutMillis: config.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: config.applicationName ?? 'bistro',
    types: typeParsers,
    // An OLTP workload: JIT compiling pays off for long analytic queries, not for statements of
    // milliseconds, yet the menu's cost estimate passed jit_above_cost and spent seconds compiling.
    options: '-c jit=off',
    Client: NamingClient,
    ...(config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {}),
  });
  // An idle client losing its connection (database restarted) must not crash the process;
  // the pool drops it and the next query opens a new one.
  pool.on('error', () => {});
  return pool;
}

/** Opens a pool to PostgreSQL and wraps it in Kysely. Call `close()` once, at shutdown. */
export function createDb(config: DbConfig): Database {
  const pool = createPool(config);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed: Promise<void> | undefined;
  return {
    db,
    pool,
    close() {
      closed ??= db.destroy();
      return closed;
    },
  };
}
