import { describe, expect, it } from 'vitest';
import { cartLineSchema, contactSchema, MAX_CART_LINES, MAX_LINE_QUANTITY, orderGetInput, placeInput, quoteInput, slotsInput, tipSchema } from '../src/index.js';
import { accepts, ID, problems } from './issues.js';

const line = { itemId: ID, quantity: 1 };
const cart = { locationSlug: 'harbor-bistro', type: 'pickup', lines: [line] };
const order = { ...cart, contact: { name: 'Ana' }, idempotencyKey: 'k'.repeat(16) };

describe('a cart', () => {
  it('a line takes 1 to 99 portions, options default to none, a note of at most 500 characters', () => {
    expect(cartLineSchema.parse(line)).toEqual({ ...line, options: [] });
    expect(MAX_LINE_QUANTITY).toBe(99);
    expect(accepts(cartLineSchema, { ...line, quantity: 99 })).toBe(true);
    expect(accepts(cartLineSchema, { ...line, quantity: 100 })).toBe(false);
    expect(accepts(cartLineSchema, { ...line, quantity: 0 })).toBe(false);
    expect(accepts(cartLineSchema, { ...line, note: 'x'.repeat(500) })).toBe(true);
    expect(accepts(cartLineSchema, { ...line, note: 'x'.repeat(501) })).toBe(false);
  });

  it('has 1 to 50 lines', () => {
    expect(MAX_CART_LINES).toBe(50);
    expect(accepts(quoteInput, { ...cart, lines: Array(50).fill(line) })).toBe(true);
    expect(accepts(quoteInput, { ...cart, lines: Array(51).fill(line) })).toBe(false);
    expect(accepts(quoteInput, { ...cart, lines: [] })).toBe(false);
  });

  it('dine-in needs a table, and only dine-in has one', () => {
    expect(problems(quoteInput, { ...cart, type: 'dine_in' })).toEqual(['table: A dine-in order needs a table']);
    expect(quoteInput.parse({ ...cart, type: 'dine_in', table: ' 12 ' })).toMatchObject({ table: '12' });
    expect(problems(quoteInput, { ...cart, table: '12' })).toEqual(['table: Only dine-in orders have a table']);
    expect(accepts(quoteInput, { ...cart, type: 'dine_in', table: '   ' })).toBe(false);
    expect(accepts(quoteInput, { ...cart, type: 'dine_in', table: 'x'.repeat(21) })).toBe(false);
  });

  it('a wanted-at time is a Date or an ISO string with its offset', () => {
    expect(quoteInput.parse({ ...cart, wantedAt: '2026-11-27T19:30:00+01:00' }).wantedAt).toEqual(new Date('2026-11-27T18:30:00Z'));
    const at = new Date('2026-11-27T18:30:00Z');
    expect(quoteInput.parse({ ...cart, wantedAt: at }).wantedAt).toEqual(at);
    expect(accepts(quoteInput, { ...cart, wantedAt: '2026-11-27T19:30:00' })).toBe(false);
  });

  it('a tip is a whole percentage up to 100 or an amount up to 10 000.00', () => {
    expect(accepts(tipSchema, { percent: 0 })).toBe(true);
    expect(accepts(tipSchema, { percent: 100 })).toBe(true);
    expect(accepts(tipSchema, { percent: 101 })).toBe(false);
    expect(accepts(tipSchema, { percent: 12.5 })).toBe(false);
    expect(accepts(tipSchema, { amountMinor: 1_000_000 })).toBe(true);
    expect(accepts(tipSchema, { amountMinor: 1_000_001 })).toBe(false);
    expect(accepts(tipSchema, { amountMinor: -1 })).toBe(false);
  });
});

describe('placing an order', () => {
  it('a delivery needs an address, and only a delivery takes one', () => {
    expect(problems(placeInput, { ...order, type: 'delivery' })).toEqual(['contact.address: A delivery needs an address']);
    expect(accepts(placeInput, { ...order, type: 'delivery', contact: { name: 'Ana', address: '1 Quay Street' } })).toBe(true);
    expect(problems(placeInput, { ...order, contact: { name: 'Ana', address: '1 Quay Street' } })).toEqual(['contact.address: Only deliveries take an address']);
    expect(problems(placeInput, { ...order, type: 'dine_in' })).toEqual(['table: A dine-in order needs a table']);
  });

  it('an idempotency key is 16 to 64 URL-safe characters', () => {
    expect(accepts(placeInput, { ...order, idempotencyKey: 'a'.repeat(64) })).toBe(true);
    expect(accepts(placeInput, { ...order, idempotencyKey: 'a'.repeat(65) })).toBe(false);
    expect(accepts(placeInput, { ...order, idempotencyKey: 'a'.repeat(15) })).toBe(false);
    expect(accepts(placeInput, { ...order, idempotencyKey: `${'a'.repeat(16)}!` })).toBe(false);
    expect(accepts(placeInput, { ...order, idempotencyKey: `!${'a'.repeat(16)}` })).toBe(false);
    expect(accepts(placeInput, { ...order, idempotencyKey: '0f8fad5b-d9cb-469f-a165-70867728950e' })).toBe(true);
  });

  it('a contact has a name, maybe a phone and an email', () => {
    expect(contactSchema.parse({ name: ' Ana ', phone: ' +351 912 345 678 ', email: 'Ana@Example.com' })).toEqual({ name: 'Ana', phone: '+351 912 345 678', email: 'ana@example.com' });
    for (const phone of ['(01) 23-45-67', '123456', '+12345678901234567890']) expect(accepts(contactSchema, { name: 'A', phone }), phone).toBe(true);
    for (const phone of ['12345', 'call me', '+123456789012345678901', '123456x', 'x123456', '++123456']) expect(problems(contactSchema, { name: 'A', phone }), phone).toEqual(['phone: Enter a phone number']);
    expect(accepts(contactSchema, { name: 'A', address: '1 Qu' })).toBe(false);
    expect(accepts(contactSchema, { name: 'A', address: 'x'.repeat(301) })).toBe(false);
  });
});

describe('finding an order', () => {
  it('by its id or its tracking token, as presented: printable ASCII, 1 to 200 characters', () => {
    const token = 'T'.repeat(42) + '-';
    expect(accepts(orderGetInput, { orderId: ID })).toBe(true);
    expect(accepts(orderGetInput, { trackingToken: token })).toBe(true);
    expect(accepts(orderGetInput, { orderId: 'not-an-id' })).toBe(false);
    expect(accepts(orderGetInput, { trackingToken: '' })).toBe(false);
    expect(accepts(orderGetInput, { trackingToken: 'x'.repeat(200) })).toBe(true);
    expect(accepts(orderGetInput, { trackingToken: 'x'.repeat(201) })).toBe(false);
    expect(accepts(orderGetInput, { trackingToken: `${token}\u0000` })).toBe(false);
    expect(accepts(orderGetInput, { orderId: ID, trackingToken: token })).toBe(false);
    expect(accepts(slotsInput, { locationSlug: 'harbor-bistro', date: '2026-11-27' })).toBe(true);
  });
});
