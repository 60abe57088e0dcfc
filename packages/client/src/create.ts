import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, isNonJsonSerializable, splitLink, type TRPCLink } from '@trpc/client';
import superjson from 'superjson';
import { MAX_BATCH_SIZE } from '@bistro/domain';
import type { AppRouter, BistroClient, BistroClientOptions, EventSourceClass } from './client.js';

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
 * The links every Bistro client is made of: the one place that knows the URL, superjson,
 * batching, FormData uploads, menu.get's ETag and server-sent events. `createBistroClient` builds
 * its client on them, and a React app hands the same links to `@trpc/tanstack-react-query`.
 * The EventSource is the entry point's: `eventsource` in Node (node.ts), the browser's own
 * elsewhere (index.ts), so a browser bundle never carries the package.
 */
export function createLinks(options: BistroClientOptions, defaultEventSource: EventSourceClass | undefined): TRPCLink<AppRouter>[] {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const headers = requestHeaders(options);
  const shared = {
    url,
    transformer: superjson,
    ...(headers ? { headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const EventSource = options.EventSource ?? defaultEventSource;
  // The browser's EventSource takes no fetch (and sends cookies on its own); the `eventsource`
  // package takes one, through which the headers (the token too) are asked for again on every
  // (re)connection, so a token that changed is used.
  const sendsHeaders = EventSource !== undefined && EventSource !== globalThis.EventSource;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({
        url,
        transformer: superjson,
        ...(EventSource ? { EventSource } : {}),
        ...(sendsHeaders
          ? {
              eventSourceOptions: async () => {
                const extra = await flatHeaders(headers);
                return {
                  fetch: (input: string | URL | Request, init?: RequestInit) =>
                    fetchImpl(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...extra } }),
                };
              },
            }
          : {}),
      }),
      // A photo upload (FormData) goes alone, as multipart/form-data, and so do the procedures the
      // caller names in `alone` (menu.get's answer carries its ETag only when it travels alone, and
      // a browser then revalidates it: 304, no body). Everything else is JSON, batched.
      false: splitLink({
        condition: (op) => isNonJsonSerializable(op.input) || (options.alone?.includes(op.path) ?? false),
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
}

/** The client on `createLinks`' links (see there for the EventSource). */
export function createClient(options: BistroClientOptions, defaultEventSource: EventSourceClass | undefined): BistroClient {
  return createTRPCClient<AppRouter>({ links: createLinks(options, defaultEventSource) }) as BistroClient;
}
