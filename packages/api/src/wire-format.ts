import superjson from 'superjson';

/**
 * What procedures send, in superjson's wire format, without superjson's general walk when the
 * output is plain JSON plus Dates (menus, lists, orders: nearly everything). The same JSON and
 * the same annotations as superjson's (their order may differ, which its reader ignores);
 * anything else (bigint, Map, Set, undefined, NaN …) goes to superjson itself.
 */
/** Where a Date sits, as a chain of keys from the root (built lazily: only Dates turn it into a string). */
type Path = { key: string; parent: Path } | null;
type Dates = Path[];
const UNSUPPORTED = Symbol('unsupported');

function escapeKey(key: string): string {
  return key.replace(/\\/g, '\\\\').replace(/\./g, '\\.');
}

/** Copies `value` with Dates as ISO strings, noting their paths; UNSUPPORTED for anything superjson must handle. */
function encode(value: unknown, path: Path, dates: Dates, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
  if (typeof value !== 'object' || depth > 64) return UNSUPPORTED;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return UNSUPPORTED;
    dates.push(path);
    return value.toISOString();
  }
  const child = (key: string): Path => ({ key, parent: path });
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = encode(value[i], child(String(i)), dates, depth + 1);
      if (item === UNSUPPORTED) return UNSUPPORTED;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return UNSUPPORTED;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    // Keys superjson refuses (prototype pollution) stay its business.
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return UNSUPPORTED;
    const item = encode((value as Record<string, unknown>)[key], child(key), dates, depth + 1);
    if (item === UNSUPPORTED) return UNSUPPORTED;
    out[key] = item;
  }
  return out;
}

/** superjson's path notation: keys joined by dots, dots and backslashes in keys escaped. */
function pathString(path: Path): string {
  const keys: string[] = [];
  for (let p = path; p; p = p.parent) keys.push(escapeKey(p.key));
  return keys.reverse().join('.');
}

/** True when `value` survives JSON unchanged: nothing to copy, nothing to annotate. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

export function serializeOutput(value: unknown): ReturnType<typeof superjson.serialize> {
  if (isPlainJson(value)) return { json: value as never };
  const dates: Dates = [];
  const json = encode(value, null, dates, 0);
  if (json === UNSUPPORTED) return superjson.serialize(value);
  const values = dates.length === 1 && dates[0] === null ? ['Date'] : Object.fromEntries(dates.map((path) => [pathString(path), ['Date']]));
  return { json: json as never, meta: { values: values as never, v: 1 } };
}

/** tRPC's transformer: superjson for inputs, the fast path above for outputs. */
export const transformer = {
  input: superjson,
  output: {
    serialize: serializeOutput,
    deserialize: (value: Parameters<typeof superjson.deserialize>[0]) => superjson.deserialize(value),
  },
};
