import { createHash } from 'node:crypto';
import type { Kysely, QueryResult, RawBuilder } from 'kysely';
import pg from 'pg';

/**
 * Statements run as named prepared statements: PostgreSQL parses and plans them once per
 * connection (then reuses the plan, generic once it proves as good), instead of on every call.
 * Kysely hands pg plain SQL text, so the pool's clients look the text up here: a statement is
 * registered once (`nameStatement`) and every later run of the same text, from the pool or
 * inside a transaction, goes by its name. Meant for a few long, hot statements (the menu);
 * short ones gain little and each name costs a plan's memory on every connection.
 */
const names = new Map<string, string>();
let enabled = true;

/** Runs `text` by name from now on, on every pool made by `createPool`; returns the name. */
export function nameStatement(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `bistro_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a statement built with `sql` by name (see above): for hot statements whose text is the
 * same on every call, with everything that varies in parameters (arrays, JSON), never spliced in.
 */
export async function executeNamed<R>(db: Kysely<any>, query: RawBuilder<R>): Promise<QueryResult<R>> {
  const compiled = query.compile(db);
  // Each name costs a plan on every connection: a text that keeps changing (a caller splicing
  // values in) stops being named once MAX_NAMED texts are, instead of growing without end.
  if (names.has(compiled.sql) || names.size < MAX_NAMED) nameStatement(compiled.sql);
  return db.executeQuery<R>(compiled);
}

/** How many statement texts `executeNamed` names at most (today's callers have three). */
const MAX_NAMED = 64;

/** Off: every statement goes unnamed again (the bench measures what naming gains). */
export function useNamedStatements(on: boolean): void {
  enabled = on;
}

/** pg's client, sending registered statements by name. */
export class NamingClient extends pg.Client {
  // pg's overloads, collapsed: the arguments go through unchanged unless the text is registered.
  override query(config: any, values?: any, callback?: any): any {
    const name = enabled && typeof config === 'string' ? names.get(config) : undefined;
    if (name !== undefined && typeof values !== 'function') return super.query({ name, text: config, values }, callback);
    return super.query(config, values, callback);
  }
}
