import { useCallback, useSyncExternalStore } from 'react';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@bistro/domain';

/**
 * The guest's cart: what the server does not know yet. One cart per location, kept in
 * localStorage so it survives a reload; no prices (the server quotes them), only what to order.
 */
export interface CartLine {
  /** Identifies the line in the cart (lines of the same dish with other choices differ). */
  key: string;
  itemId: string;
  /** The dish's and choices' names when added, to show the line before the quote arrives. */
  name: string;
  optionNames: string[];
  quantity: number;
  /** Chosen option ids, nested choices included. */
  options: string[];
  note?: string;
}

export interface Cart {
  lines: CartLine[];
}

/** What the store needs of `localStorage` (the browser's; the unit tests hand it another Storage). */
export type CartStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const EMPTY: Cart = { lines: [] };
const PREFIX = 'bistro.cart.';

function lineKey(itemId: string, options: readonly string[], note: string | undefined): string {
  return `${itemId}|${[...options].sort().join(',')}|${note ?? ''}`;
}

function isLine(value: unknown): value is CartLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.key === 'string' &&
    typeof v.itemId === 'string' &&
    typeof v.name === 'string' &&
    Array.isArray(v.optionNames) &&
    v.optionNames.every((n) => typeof n === 'string') &&
    typeof v.quantity === 'number' &&
    Number.isInteger(v.quantity) &&
    v.quantity >= 1 &&
    v.quantity <= MAX_LINE_QUANTITY &&
    Array.isArray(v.options) &&
    v.options.every((o) => typeof o === 'string') &&
    (v.note === undefined || typeof v.note === 'string')
  );
}

/** A cart read back from storage: anything malformed (an old format, a hand edit) is dropped, never trusted. */
function parse(raw: string | null): Cart {
  if (!raw) return EMPTY;
  try {
    const value: unknown = JSON.parse(raw);
    const lines = (value as { lines?: unknown } | null)?.lines;
    if (!Array.isArray(lines)) return EMPTY;
    return { lines: lines.filter(isLine).slice(0, MAX_CART_LINES) };
  } catch {
    return EMPTY;
  }
}

export type NewLine = Omit<CartLine, 'key'>;

export interface CartStore {
  get(slug: string): Cart;
  /** Adds a line; the same dish with the same choices and note adds to that line's quantity. */
  add(slug: string, line: NewLine): void;
  setQuantity(slug: string, key: string, quantity: number): void;
  remove(slug: string, key: string): void;
  clear(slug: string): void;
  subscribe: (listener: () => void) => () => void;
  /** Another tab changed a cart (the `storage` event): read it again. */
  reload(storageKey: string | null): void;
}

export function createCartStore(storage: CartStorage | undefined): CartStore {
  const listeners = new Set<() => void>();
  // One object per cart until it changes, as useSyncExternalStore wants.
  const snapshots = new Map<string, Cart>();

  const get = (slug: string): Cart => {
    let cart = snapshots.get(slug);
    if (!cart) {
      let raw: string | null = null;
      try {
        raw = storage?.getItem(PREFIX + slug) ?? null;
      } catch {
        // Storage refused (private mode, quota): the cart lives in memory for this visit.
      }
      cart = parse(raw);
      snapshots.set(slug, cart);
    }
    return cart;
  };
  const write = (slug: string, cart: Cart) => {
    snapshots.set(slug, cart);
    try {
      if (cart.lines.length === 0) storage?.removeItem(PREFIX + slug);
      else storage?.setItem(PREFIX + slug, JSON.stringify(cart));
    } catch {
      // As above: kept in memory.
    }
    for (const listener of listeners) listener();
  };

  return {
    get,
    add(slug, line) {
      const key = lineKey(line.itemId, line.options, line.note);
      const lines = get(slug).lines;
      const same = lines.find((l) => l.key === key);
      if (same) {
        const quantity = Math.min(MAX_LINE_QUANTITY, same.quantity + line.quantity);
        write(slug, { lines: lines.map((l) => (l.key === key ? { ...l, quantity } : l)) });
      } else if (lines.length < MAX_CART_LINES) {
        write(slug, { lines: [...lines, { ...line, key }] });
      }
    },
    setQuantity(slug, key, quantity) {
      if (quantity < 1) {
        write(slug, { lines: get(slug).lines.filter((l) => l.key !== key) });
        return;
      }
      const q = Math.min(MAX_LINE_QUANTITY, Math.floor(quantity));
      write(slug, { lines: get(slug).lines.map((l) => (l.key === key ? { ...l, quantity: q } : l)) });
    },
    remove(slug, key) {
      write(slug, { lines: get(slug).lines.filter((l) => l.key !== key) });
    },
    clear(slug) {
      write(slug, EMPTY);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    reload(storageKey) {
      if (storageKey === null) snapshots.clear();
      else if (storageKey.startsWith(PREFIX)) snapshots.delete(storageKey.slice(PREFIX.length));
      else return;
      for (const listener of listeners) listener();
    },
  };
}

function browserStorage(): CartStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export const cartStore = createCartStore(browserStorage());
if (typeof window !== 'undefined') window.addEventListener('storage', (event) => cartStore.reload(event.key));

/** The cart of one location, re-rendering when it changes (in this tab or another). */
export function useCart(slug: string): Cart {
  const getSnapshot = useCallback(() => cartStore.get(slug), [slug]);
  return useSyncExternalStore(cartStore.subscribe, getSnapshot, getSnapshot);
}

/** How many portions a cart holds. */
export function countPortions(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}
