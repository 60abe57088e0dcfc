import { TRPCClientError } from '@trpc/client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, type BistroErrorCode } from '@bistro/client';
import { ERROR_MESSAGES, errorMessage, NETWORK_MESSAGE } from '../src/lib/messages.js';
import { STATUS_TEXT } from '../src/guest/status.js';

describe('the error-code → message map', () => {
  it('has a human message for every code the server can send, and nothing else', () => {
    expectTypeOf<keyof typeof ERROR_MESSAGES>().toEqualTypeOf<BistroErrorCode>();
    expect(Object.keys(ERROR_MESSAGES).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, message] of Object.entries(ERROR_MESSAGES)) {
      expect(message.length, code).toBeGreaterThan(10);
      // Written for a guest: no code names or stack talk.
      expect(message, code).not.toMatch(/[A-Z]{3,}_|undefined|null|Error/);
    }
  });

  it('reads the code from a refused call, and says “check your connection” when there was no answer', () => {
    const refused = new TRPCClientError('Crème brûlée is sold out', {
      result: { error: { code: -32009, message: 'x', data: { bistroCode: 'SOLD_OUT', code: 'CONFLICT', httpStatus: 409, fieldErrors: null } } },
    });
    expect(errorMessage(refused)).toBe(ERROR_MESSAGES.SOLD_OUT);
    const unknownCode = new TRPCClientError('x', { result: { error: { code: -32600, message: 'x', data: { bistroCode: 'FROM_THE_FUTURE' } } } });
    expect(errorMessage(unknownCode)).toBe(NETWORK_MESSAGE);
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(NETWORK_MESSAGE);
  });

  it('names every state of the order lifecycle for the tracking page', () => {
    expect(Object.keys(STATUS_TEXT).sort()).toEqual(['cancelled', 'completed', 'pending_payment', 'placed', 'preparing', 'ready']);
  });
});
