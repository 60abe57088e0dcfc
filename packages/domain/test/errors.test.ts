import { describe, expect, it } from 'vitest';
import { bistroCodeForTrpcCode, ERROR_CODES, isBistroErrorCode } from '../src/index.js';

describe('error codes', () => {
  it('gives every tRPC error a Bistro code', () => {
    expect(bistroCodeForTrpcCode('BAD_REQUEST')).toBe('INVALID_INPUT');
    expect(bistroCodeForTrpcCode('PARSE_ERROR')).toBe('INVALID_INPUT');
    expect(bistroCodeForTrpcCode('NOT_FOUND')).toBe('NOT_FOUND');
    expect(bistroCodeForTrpcCode('SOMETHING_NEW')).toBe('INTERNAL');
  });

  it('recognises only its own codes', () => {
    expect(isBistroErrorCode('NOT_FOUND')).toBe(true);
    expect(isBistroErrorCode('toString')).toBe(false);
    expect(Object.values(ERROR_CODES)).toContain('INTERNAL_SERVER_ERROR');
  });
});
