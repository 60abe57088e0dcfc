import type { AppRouter, BistroClient, BistroClientOptions } from './client.js';
import type { TRPCLink } from '@trpc/client';
import { createClient, createLinks } from './create.js';

export * from './client.js';
export { ERROR_CODES, formatMoney, money, type BistroErrorCode, type Money } from '@bistro/domain';

/**
 * The typed Bistro SDK: every procedure is an async function with the router's input and
 * output types, e.g. `await bistro.menu.get.query({ locationSlug })`. Calls made in the same
 * tick travel in one HTTP request. A photo upload takes a `FormData`:
 * `bistro.menu.items.setPhoto.mutate(form)` with `itemId` and `photo` (a File or Blob).
 * Live feeds (`kitchen.onTickets`, `orders.onStatus`) are subscriptions over server-sent
 * events: `bistro.kitchen.onTickets.subscribe({ locationId }, { onData })`; after a dropped
 * connection the link reconnects on its own and resumes after the last event it got.
 */
export function createBistroClient(options: BistroClientOptions): BistroClient {
  // The runtime's own EventSource (browsers, Deno, Bun); Node's entry point (node.ts) brings one.
  return createClient(options, globalThis.EventSource);
}

/**
 * The links `createBistroClient` is built on (URL, superjson, batching, uploads, live feeds), for
 * a client made by another tRPC integration, e.g. `@trpc/tanstack-react-query`:
 * `createTRPCClient<AppRouter>({ links: createBistroLinks({ url }) })`.
 */
export function createBistroLinks(options: BistroClientOptions): TRPCLink<AppRouter>[] {
  return createLinks(options, globalThis.EventSource);
}
