import { TRPCError } from '@trpc/server';
import { ERROR_CODES, type BistroErrorCode } from '@bistro/domain';

/**
 * A refusal with one of Bistro's stable codes. The error formatter puts the code in
 * `error.data.bistroCode`; the tRPC code (and HTTP status) follows from it.
 */
export class BistroError extends TRPCError {
  readonly bistroCode: BistroErrorCode;
  readonly retryAfterSeconds: number | undefined;
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(
    bistroCode: BistroErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number; fieldErrors?: Record<string, string[]> } = {},
  ) {
    super({ code: ERROR_CODES[bistroCode], message, cause: options.cause });
    // Kept as TRPCError's name: libraries that meet it across package copies (trpc-to-openapi,
    // serving /api/v1) recognise a tRPC error by its name, and would answer anything else as a 500.
    this.name = 'TRPCError';
    this.bistroCode = bistroCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.fieldErrors = options.fieldErrors;
  }
}

/** The answer for anything that does not exist or that the caller may not see. */
export function notFound(what: string): BistroError {
  return new BistroError('NOT_FOUND', `${what} not found`);
}
