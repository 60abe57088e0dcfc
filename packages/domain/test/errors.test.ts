import { describe, expect, it } from 'vitest';
import { bistroCodeForTrpcCode, ERROR_CODES, isBistroErrorCode, TRPC_ERROR_CODE_NAMES } from '../src/index.js';

describe('error codes', () => {
  it('gives every tRPC error a Bistro code', () => {
    expect(bistroCodeForTrpcCode('BAD_REQUEST')).toBe('INVALID_INPUT');
    expect(bistroCodeForTrpcCode('PARSE_ERROR')).toBe('INVALID_INPUT');
    expect(bistroCodeForTrpcCode('NOT_FOUND')).toBe('NOT_FOUND');
    expect(bistroCodeForTrpcCode('SOMETHING_NEW')).toBe('INTERNAL');
    expect(bistroCodeForTrpcCode('toString')).toBe('INTERNAL');
  });

  it("labels only the server's own faults INTERNAL, and sends each code with a status of its kind", () => {
    const sameKind: Record<string, string> = {
      PARSE_ERROR: 'BAD_REQUEST',
      NOT_IMPLEMENTED: 'INTERNAL_SERVER_ERROR',
      BAD_GATEWAY: 'SERVICE_UNAVAILABLE',
      GATEWAY_TIMEOUT: 'SERVICE_UNAVAILABLE',
      PAYMENT_REQUIRED: 'FORBIDDEN',
      PRECONDITION_REQUIRED: 'PRECONDITION_FAILED',
    };
    for (const trpcCode of TRPC_ERROR_CODE_NAMES) {
      const bistroCode = bistroCodeForTrpcCode(trpcCode);
      expect(isBistroErrorCode(bistroCode), trpcCode).toBe(true);
      expect(ERROR_CODES[bistroCode], trpcCode).toBe(sameKind[trpcCode] ?? trpcCode);
    }
    const internal = TRPC_ERROR_CODE_NAMES.filter((c) => bistroCodeForTrpcCode(c) === 'INTERNAL');
    expect(internal).toEqual(['INTERNAL_SERVER_ERROR', 'NOT_IMPLEMENTED']);
    expect(bistroCodeForTrpcCode('UNSUPPORTED_MEDIA_TYPE')).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(bistroCodeForTrpcCode('METHOD_NOT_SUPPORTED')).toBe('METHOD_NOT_SUPPORTED');
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
