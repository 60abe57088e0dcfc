/**
 * One idempotency key per checkout attempt: the same order, sent again (a double click, a retry
 * after a dropped connection, even after a reload), carries the same key, so Bistro places it
 * once. A changed order is a new attempt with a new key (the server refuses a key reused for a
 * different request). Kept in sessionStorage: per tab, gone with it.
 */
const STORAGE_KEY = 'bistro.checkout.attempt';

export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function randomKey(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_');
}

function session(): KeyStorage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

let memory: { fingerprint: string; key: string } | undefined;

/** The key for this order (`fingerprint`: the order without its key): the previous one if it is the same order. */
export function attemptKey(fingerprint: string, storage: KeyStorage | undefined = session()): string {
  let stored = memory;
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (raw) stored = JSON.parse(raw) as typeof stored;
  } catch {
    // Unreadable: a new attempt.
  }
  if (stored && stored.fingerprint === fingerprint && typeof stored.key === 'string') return stored.key;
  const next = { fingerprint, key: randomKey() };
  memory = next;
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Kept in memory for this page.
  }
  return next.key;
}

/** The attempt succeeded: the next order is a new attempt. */
export function finishAttempt(storage: KeyStorage | undefined = session()): void {
  memory = undefined;
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing kept.
  }
}
