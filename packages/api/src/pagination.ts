import { z } from 'zod';
import { BistroError } from './errors.js';

/**
 * Page cursors are opaque to callers: base64url of a small JSON array. What comes back is
 * decoded and checked against the shape the list wrote, so a forged or mangled cursor is
 * INVALID_INPUT on `cursor`, never a database error.
 */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badCursor();
  return parsed.data;
}

function badCursor(): BistroError {
  return new BistroError('INVALID_INPUT', 'Invalid input', { fieldErrors: { cursor: ['Not a valid cursor'] } });
}

/**
 * A timestamp to the microsecond, in UTC (`2026-11-25T12:00:00.123456Z`), as keyset cursors
 * carry it: microseconds, so rows made in the same millisecond are neither skipped nor repeated;
 * checked to be a real instant, so a forged one is refused here rather than by PostgreSQL.
 */
export const cursorInstantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .refine((s) => {
    const ms = `${s.slice(0, 23)}Z`;
    const date = new Date(ms);
    return !Number.isNaN(date.getTime()) && date.toISOString() === ms;
  });
