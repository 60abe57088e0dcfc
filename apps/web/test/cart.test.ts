import { describe, expect, it } from 'vitest';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@bistro/domain';
import { countPortions, createCartStore, type CartStorage } from '../src/lib/cart.js';
import { attemptKey, finishAttempt } from '../src/lib/idempotency.js';

/** A Storage as the browser's localStorage behaves: strings in, strings out. */
function memoryStorage(initial: Record<string, string> = {}): CartStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, String(value)),
    removeItem: (key) => void data.delete(key),
  };
}

const soup = { itemId: '00000000-0000-4000-8000-000000000001', name: 'Soup', optionNames: [], options: [], quantity: 1 };
const burger = (options: string[]) => ({ itemId: '00000000-0000-4000-8000-000000000002', name: 'Burger', optionNames: options, options, quantity: 1 });

describe('the cart store', () => {
  it('adds the same dish with the same choices to one line, and other choices to another', () => {
    const store = createCartStore(memoryStorage());
    store.add('harbor', soup);
    store.add('harbor', { ...soup, quantity: 2 });
    store.add('harbor', burger(['a', 'b']));
    store.add('harbor', burger(['b', 'a']));
    store.add('harbor', burger(['a']));
    store.add('harbor', { ...soup, note: 'no salt' });
    const lines = store.get('harbor').lines;
    expect(lines.map((l) => [l.name, l.quantity, l.options.join(','), l.note ?? ''])).toEqual([
      ['Soup', 3, '', ''],
      ['Burger', 2, 'a,b', ''],
      ['Burger', 1, 'a', ''],
      ['Soup', 1, '', 'no salt'],
    ]);
    expect(countPortions(store.get('harbor'))).toBe(7);
    // Carts are per location.
    expect(store.get('centrale').lines).toEqual([]);
  });

  it('keeps quantities between 1 and the most a line may hold; zero removes the line', () => {
    const store = createCartStore(memoryStorage());
    store.add('harbor', { ...soup, quantity: MAX_LINE_QUANTITY - 1 });
    store.add('harbor', { ...soup, quantity: 5 });
    const [line] = store.get('harbor').lines;
    expect(line!.quantity).toBe(MAX_LINE_QUANTITY);
    store.setQuantity('harbor', line!.key, 1);
    expect(store.get('harbor').lines[0]!.quantity).toBe(1);
    store.setQuantity('harbor', line!.key, 0);
    expect(store.get('harbor').lines).toEqual([]);
  });

  it('survives a reload (a new store on the same storage) and forgets an emptied cart', () => {
    const storage = memoryStorage();
    const before = createCartStore(storage);
    before.add('harbor', soup);
    before.add('harbor', burger(['a']));
    const after = createCartStore(storage);
    expect(after.get('harbor')).toEqual(before.get('harbor'));
    after.clear('harbor');
    expect(storage.data.has('bistro.cart.harbor')).toBe(false);
  });

  it('drops what it cannot trust from storage: malformed JSON, foreign shapes, impossible quantities, too many lines', () => {
    const good = { key: 'k', itemId: soup.itemId, name: 'Soup', optionNames: [], quantity: 2, options: [] };
    const many = Array.from({ length: MAX_CART_LINES + 5 }, (_, i) => ({ ...good, key: `k${i}` }));
    const storage = memoryStorage({
      'bistro.cart.a': '{not json',
      'bistro.cart.b': JSON.stringify({ lines: [good, { ...good, quantity: 0 }, { ...good, quantity: 1.5 }, { ...good, quantity: 100 }, { ...good, options: [1] }, null, 'x'] }),
      'bistro.cart.c': JSON.stringify({ lines: many }),
      'bistro.cart.d': JSON.stringify([good]),
    });
    const store = createCartStore(storage);
    expect(store.get('a').lines).toEqual([]);
    expect(store.get('b').lines).toEqual([good]);
    expect(store.get('c').lines).toHaveLength(MAX_CART_LINES);
    expect(store.get('d').lines).toEqual([]);
  });

  it('tells subscribers of every change, and of another tab’s change to a cart', () => {
    const storage = memoryStorage();
    const store = createCartStore(storage);
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.add('harbor', soup);
    expect(calls).toBe(1);
    const snapshot = store.get('harbor');
    // Same object while unchanged (React's useSyncExternalStore relies on it).
    expect(store.get('harbor')).toBe(snapshot);
    // Another tab writes the cart: the storage event's key names it.
    storage.setItem('bistro.cart.harbor', JSON.stringify({ lines: [] }));
    store.reload('unrelated-key');
    expect(calls).toBe(1);
    store.reload('bistro.cart.harbor');
    expect(calls).toBe(2);
    expect(store.get('harbor').lines).toEqual([]);
    stop();
    store.add('harbor', soup);
    expect(calls).toBe(2);
  });

  it('keeps the cart in memory when storage refuses (private browsing, a full quota)', () => {
    const refusing: CartStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = createCartStore(refusing);
    store.add('harbor', soup);
    expect(store.get('harbor').lines).toHaveLength(1);
  });
});

describe('one idempotency key per checkout attempt', () => {
  it('is the same key for the same order (a retry, a double click, a reload), a new one for a changed order or after success', () => {
    const storage = memoryStorage();
    const first = attemptKey('order A', storage);
    expect(first).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(attemptKey('order A', storage)).toBe(first);
    const changed = attemptKey('order A with a tip', storage);
    expect(changed).not.toBe(first);
    expect(attemptKey('order A with a tip', storage)).toBe(changed);
    finishAttempt(storage);
    expect(attemptKey('order A with a tip', storage)).not.toBe(changed);
  });
});
