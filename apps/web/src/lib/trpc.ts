import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { bistroErrorCode, createBistroLinks, type AppRouter } from '@bistro/client';

/**
 * The app's one tRPC client, on the same links as every Bistro client (@bistro/client's
 * createBistroLinks: URL, superjson, batching, live feeds). The page's own origin is Bistro:
 * Fastify serves the app, and Vite's dev server proxies /trpc. menu.get travels alone, so its
 * answer carries the ETag the browser revalidates.
 */
export function createClient(origin: string) {
  return createTRPCClient<AppRouter>({ links: createBistroLinks({ url: origin, alone: ['menu.get'] }) });
}

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Codes a retry would not change: the answer stays the same, so it is shown at once. */
const FINAL = new Set(['NOT_FOUND', 'INVALID_INPUT', 'UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_REQUESTS', 'PROMO_INVALID', 'PROMO_EXPIRED', 'PROMO_EXHAUSTED', 'PROMO_MINIMUM_NOT_MET', 'PROMO_CURRENCY_MISMATCH']);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => failures < 2 && !FINAL.has(bistroErrorCode(error) ?? ''),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
