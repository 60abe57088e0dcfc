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
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

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
  // A client losing its connection (the database restarted, failed over, or ended it) emits
  // 'error' on itself, and an 'error' nobody listens to ends the process. The pool listens only
  // while a client is idle (and then drops it); this listener covers a client that is checked
  // out, in a transaction or between two queries.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    watchForLostConnection(client);
  });
  // A client whose query failed because its connection was lost is not lent again: the server's
  // "terminating connection" reaches the query before the socket's end reaches the client, and
  // under load the pool would hand it straight to the next caller, whose query would fail too.
  // Ending it on release makes the pool discard it.
  pool.on('release', (_error: Error | undefined, client: pg.PoolClient) => {
    if (lostConnection.has(client)) client.end().catch(() => {});
  });
  pool.on('error', () => {});
  return pool;
}

const lostConnection = new WeakSet<pg.ClientBase>();

/** Notes a client whose query failed with a lost connection (in `lostConnection`); the caller still gets the error. */
function watchForLostConnection(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (connectionFailure(error) === 'lost') lostConnection.add(client);
      });
    }
    return result;
  };
}

/**
 * How an error relates to the database connection: `lost` when an open connection was ended
 * (a restart, a failover, `pg_terminate_backend`, a network cut), `unreachable` when no
 * connection could be had (refused, timed out, the server starting up or full), undefined when
 * the database answered and refused the statement itself. Looks through `cause` chains (tRPC
 * and Kysely wrap errors) and AggregateErrors (a host with several addresses).
 */
export function connectionFailure(error: unknown): 'lost' | 'unreachable' | undefined {
  const seen = new Set<unknown>();
  const look = (e: unknown): 'lost' | 'unreachable' | undefined => {
    if (typeof e !== 'object' || e === null || seen.has(e) || seen.size > 10) return undefined;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') {
      if (LOST_SQLSTATE.test(code) || LOST_SOCKET.has(code)) return 'lost';
      if (UNREACHABLE_SQLSTATE.test(code) || UNREACHABLE_SOCKET.has(code)) return 'unreachable';
    }
    if (typeof message === 'string') {
      if (LOST_MESSAGE.test(message)) return 'lost';
      if (UNREACHABLE_MESSAGE.test(message)) return 'unreachable';
    }
    return look(cause) ?? (Array.isArray(errors) ? errors.map(look).find(Boolean) : undefined);
  };
  return look(error);
}

/** Whether the database could not be reached or dropped the connection: the request may succeed once it is back. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return connectionFailure(error) !== undefined;
}

// SQLSTATE class 08 (connection exception) and the server ending sessions (57P01 admin
// shutdown, 57P02 crash shutdown); 57P03 (starting up) and 53300 (too many connections) refuse new ones.
const LOST_SQLSTATE = /^(08...|57P0[12])$/;
const UNREACHABLE_SQLSTATE = /^(57P03|53300)$/;
// pg's and pg-pool's own messages (they carry no code).
const LOST_MESSAGE = /^(Connection terminated unexpectedly|Client has encountered a connection error and is not queryable)$/;
const UNREACHABLE_MESSAGE = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/;
const LOST_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNREACHABLE_SOCKET = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

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
