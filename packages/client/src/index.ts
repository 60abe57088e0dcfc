import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@bistro/api';
import { isBistroErrorCode, type BistroErrorCode } from '@bistro/domain';

// Types only: the router's runtime (Kysely, pg, Fastify …) never reaches a front end's bundle.
export type { AppRouter, RouterInputs, RouterOutputs, BistroErrorData } from '@bistro/api';
export { ERROR_CODES, formatMoney, money, type BistroErrorCode, type Money } from '@bistro/domain';

type Headers = Record<string, string | string[] | undefined>;

export interface BistroClientOptions {
  /** Where Bistro runs, e.g. `http://localhost:3000` (the `/trpc` path is added). */
  url: string;
  /** Extra headers for every request, or a function called per request. */
  headers?: Headers | (() => Headers | Promise<Headers>);
  /** A fetch implementation, for runtimes without one or for tests. */
  fetch?: typeof globalThis.fetch;
}

/**
 * The typed Bistro SDK: every procedure is an async function with the router's input and
 * output types, e.g. `await bistro.menu.get.query({ locationSlug })`. Calls made in the same
 * tick travel in one HTTP request.
 */
export function createBistroClient(options: BistroClientOptions) {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const links: TRPCLink<AppRouter>[] = [
    httpBatchLink({
      url,
      transformer: superjson,
      // Long batches switch to POST rather than exceed what proxies accept in a URL.
      maxURLLength: 2000,
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
  ];
  return createTRPCClient<AppRouter>({ links });
}

export type BistroClient = ReturnType<typeof createBistroClient>;
export type BistroClientError = TRPCClientError<AppRouter>;

/** Narrows anything thrown by a call to Bistro's typed client error. */
export function isBistroClientError(error: unknown): error is BistroClientError {
  return error instanceof TRPCClientError;
}

/** The stable code of a failed call (`NOT_FOUND`, `INVALID_INPUT` …), or undefined for non-Bistro errors. */
export function bistroErrorCode(error: unknown): BistroErrorCode | undefined {
  if (!isBistroClientError(error)) return undefined;
  const code = error.data?.bistroCode;
  return isBistroErrorCode(code) ? code : undefined;
}
