import { describe, expect, it } from 'vitest';
import { bistroCodeForTrpcCode, ERROR_CODES, isBistroErrorCode } from '../src/index.js';

describe('error codes', () => {
  it.each([
    ['BAD_REQUEST', 'INVALID_INPUT'],
    ['PARSE_ERROR', 'INVALID_INPUT'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['UNAUTHORIZED', 'UNAUTHORIZED'],
    ['FORBIDDEN', 'FORBIDDEN_ORIGIN'],
    ['PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    ['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS'],
    ['METHOD_NOT_SUPPORTED', 'METHOD_NOT_SUPPORTED'],
    ['SERVICE_UNAVAILABLE', 'UNAVAILABLE'],
    ['INTERNAL_SERVER_ERROR', 'INTERNAL'],
    ['CONFLICT', 'INTERNAL'],
    ['SOMETHING_NEW', 'INTERNAL'],
  ])('a tRPC %s is reported as %s', (trpcCode, bistroCode) => {
    expect(bistroCodeForTrpcCode(trpcCode)).toBe(bistroCode);
  });

  it('maps every tRPC code it gives back to a Bistro code sent with that same status', () => {
    for (const trpcCode of ['BAD_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'TOO_MANY_REQUESTS', 'METHOD_NOT_SUPPORTED', 'SERVICE_UNAVAILABLE']) {
      expect(ERROR_CODES[bistroCodeForTrpcCode(trpcCode)]).toBe(trpcCode);
    }
  });

  it('recognises only its own codes', () => {
    expect(isBistroErrorCode('NOT_FOUND')).toBe(true);
    expect(isBistroErrorCode('SOLD_OUT')).toBe(true);
    expect(isBistroErrorCode('toString')).toBe(false);
    expect(isBistroErrorCode('__proto__')).toBe(false);
    expect(isBistroErrorCode('BAD_REQUEST')).toBe(false);
    expect(isBistroErrorCode(404)).toBe(false);
    expect(isBistroErrorCode(null)).toBe(false);
  });

  it('sends each refusal a restaurant’s guests meet with the status a client expects', () => {
    expect(ERROR_CODES).toMatchObject({
      INVALID_INPUT: 'BAD_REQUEST',
      NOT_FOUND: 'NOT_FOUND',
      SOLD_OUT: 'CONFLICT',
      SLOT_FULL: 'CONFLICT',
      LOCATION_CLOSED: 'CONFLICT',
      ORDER_TRANSITION_REFUSED: 'CONFLICT',
      STALE_VERSION: 'CONFLICT',
      FORBIDDEN_ORIGIN: 'FORBIDDEN',
      IDEMPOTENCY_KEY_REUSED: 'UNPROCESSABLE_CONTENT',
      INTERNAL: 'INTERNAL_SERVER_ERROR',
      PHOTO_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    });
  });
});
