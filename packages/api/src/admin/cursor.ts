import type { z } from 'zod';
import { BistroError } from '../errors.js';

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
