import { describe, expect, it } from 'vitest';
import {
  kitchenBumpInput,
  kitchenOnTicketsInput,
  kitchenRejectInput,
  lastEventIdSchema,
  menuGetInput,
  orderCancelInput,
  orderOnStatusInput,
  ordersListMineInput,
  orderTrackInput,
  slugSchema,
} from '../src/index.js';
import { accepts, ID, problems } from './issues.js';

describe('live feeds resume from an event id', () => {
  it('of 1 to 18 digits, or none', () => {
    for (const ok of ['1', '123456789012345678', null, undefined]) expect(accepts(lastEventIdSchema, ok), String(ok)).toBe(true);
    for (const bad of ['', '1234567890123456789', '12a', 'a12', '-1']) expect(problems(lastEventIdSchema, bad), bad).toEqual([': Not an event id']);
    expect(accepts(kitchenOnTicketsInput, { locationId: ID, lastEventId: '7' })).toBe(true);
    expect(accepts(orderOnStatusInput, { trackingToken: 'abc', lastEventId: null })).toBe(true);
  });
});

describe('the kitchen', () => {
  it('bumps from a status the screen showed', () => {
    expect(accepts(kitchenBumpInput, { orderId: ID, from: 'placed' })).toBe(true);
    expect(accepts(kitchenBumpInput, { orderId: ID, from: 'cooking' })).toBe(false);
  });

  it('rejects with a trimmed reason of 1 to 300 characters', () => {
    expect(kitchenRejectInput.parse({ orderId: ID, reason: '  grill down ' })).toEqual({ orderId: ID, reason: 'grill down' });
    expect(accepts(kitchenRejectInput, { orderId: ID, reason: '   ' })).toBe(false);
    expect(accepts(kitchenRejectInput, { orderId: ID, reason: 'x'.repeat(300) })).toBe(true);
    expect(accepts(kitchenRejectInput, { orderId: ID, reason: 'x'.repeat(301) })).toBe(false);
  });
});

describe('a guest following or cancelling an order', () => {
  it('presents any short token (a wrong one is answered NOT_FOUND later, not here)', () => {
    expect(accepts(orderTrackInput, { trackingToken: 'x' })).toBe(true);
    expect(accepts(orderTrackInput, { trackingToken: '' })).toBe(false);
    expect(accepts(orderTrackInput, { trackingToken: 'x'.repeat(200) })).toBe(true);
    expect(accepts(orderTrackInput, { trackingToken: 'x'.repeat(201) })).toBe(false);
  });

  it('cancels by id or token, with an optional reason', () => {
    expect(orderCancelInput.parse({ orderId: ID, reason: ' late ' })).toEqual({ orderId: ID, reason: 'late' });
    expect(accepts(orderCancelInput, { trackingToken: 'abc' })).toBe(true);
    expect(accepts(orderCancelInput, { orderId: ID, trackingToken: 'abc' })).toBe(false);
    expect(accepts(ordersListMineInput, undefined)).toBe(true);
    expect(accepts(ordersListMineInput, { cursor: 'x'.repeat(201) })).toBe(false);
  });
});

describe('a location’s slug', () => {
  it('is lower-case words joined by single dashes', () => {
    for (const ok of ['harbor', 'harbor-bistro', 'b2', 'a-1-b']) expect(accepts(slugSchema, ok), ok).toBe(true);
    for (const bad of ['Harbor', 'harbor--bistro', '-harbor', 'harbor-', 'har bor', 'harbör']) {
      expect(problems(slugSchema, bad), bad).toEqual([': Use lower-case letters, digits and single dashes']);
    }
    expect(accepts(slugSchema, 'a'.repeat(64))).toBe(true);
    expect(accepts(slugSchema, 'a'.repeat(65))).toBe(false);
    expect(accepts(menuGetInput, { locationSlug: 'harbor', extra: 1 })).toBe(false);
  });
});
