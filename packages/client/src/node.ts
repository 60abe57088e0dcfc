import { EventSource } from 'eventsource';
import type { AppRouter, BistroClient, BistroClientOptions } from './client.js';
import type { TRPCLink } from '@trpc/client';
import { createClient, createLinks } from './create.js';

// Node's entry point (the `node` export condition): the same API as index.ts, with live feeds
// over the `eventsource` package, since Node has no EventSource and the package sends headers.
export * from './client.js';
export { ERROR_CODES, formatMoney, money, type BistroErrorCode, type Money } from '@bistro/domain';

/** See index.ts: the same client, whose live feeds use the `eventsource` package. */
export function createBistroClient(options: BistroClientOptions): BistroClient {
  return createClient(options, EventSource);
}

/**
 * The links `createBistroClient` is built on (URL, superjson, batching, uploads, live feeds), for
 * a client made by another tRPC integration, e.g. `@trpc/tanstack-react-query`:
 * `createTRPCClient<AppRouter>({ links: createBistroLinks({ url }) })`.
 */
export function createBistroLinks(options: BistroClientOptions): TRPCLink<AppRouter>[] {
  return createLinks(options, EventSource);
}
