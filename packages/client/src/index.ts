import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  isNonJsonSerializable,
  splitLink,
  TRPCClientError,
  type TRPCLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '@bistro/api';
import { isBistroErrorCode, MAX_BATCH_SIZE, type BistroErrorCode } from '@bistro/domain';

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
  /**
   * A session token from `auth.signIn({ email, password, mode: 'token' })`, sent as
   * `Authorization: Bearer <token>` (it wins over an Authorization in `headers`). A function is
   * asked before every request, so a token kept elsewhere can change; null or undefined sends none.
   */
  token?: string | (() => string | null | undefined);
}

/** The headers of one request: the caller's, plus the bearer token when there is one. */
function requestHeaders(options: BistroClientOptions): BistroClientOptions['headers'] {
  const { headers, token } = options;
  if (token === undefined) return headers;
  return async () => {
    const given = (typeof headers === 'function' ? await headers() : headers) ?? {};
    const current = typeof token === 'function' ? token() : token;
    if (!current) return given;
    const rest = Object.fromEntries(Object.entries(given).filter(([name]) => name.toLowerCase() !== 'authorization'));
    return { ...rest, authorization: `Bearer ${current}` };
  };
}

/** The headers of a request as plain strings (what an EventSource's fetch takes). */
async function flatHeaders(headers: BistroClientOptions['headers']): Promise<Record<string, string>> {
  const given = (typeof headers === 'function' ? await headers() : headers) ?? {};
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * The typed Bistro SDK: every procedure is an async function with the router's input and
 * output types, e.g. `await bistro.menu.get.query({ locationSlug })`. Calls made in the same
 * tick travel in one HTTP request. A photo upload takes a `FormData`:
 * `bistro.menu.items.setPhoto.mutate(form)` with `itemId` and `photo` (a File or Blob).
 * Live feeds (`kitchen.onTickets`, `orders.onStatus`) are subscriptions over server-sent
 * events: `bistro.kitchen.onTickets.subscribe({ locationId }, { onData })`; after a dropped
 * connection the link reconnects on its own and resumes after the last event it got.
 */
export function createBistroClient(options: BistroClientOptions): TRPCClient<AppRouter> {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const headers = requestHeaders(options);
  const shared = {
    url,
    transformer: superjson,
    ...(headers ? { headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const links: TRPCLink<AppRouter>[] = [
    splitLink({
      condition: (op) => op.type === 'subscription',
      // The `eventsource` package rather than a global EventSource: Node has none, and a
      // browser's can't send the bearer token. Headers (the token too) are asked for again on
      // every (re)connection, so a token that changed is used.
      true: httpSubscriptionLink({
        url,
        transformer: superjson,
        EventSource,
        eventSourceOptions: async () => {
          const extra = await flatHeaders(headers);
          return {
            fetch: (input, init) => fetchImpl(input, { ...init, headers: { ...init?.headers, ...extra } }),
          };
        },
      }),
      // A photo upload (FormData) goes alone, as multipart/form-data; everything else is JSON, batched.
      false: splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink(shared),
        false: httpBatchLink({
          ...shared,
          // Long batches switch to POST rather than exceed what proxies accept in a URL.
          maxURLLength: 2000,
          // The server refuses a longer batch (BATCH_TOO_LARGE); more calls at once go in several.
          maxItems: MAX_BATCH_SIZE,
        }),
      }),
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
