import type { TRPCRouterRecord } from '@trpc/server';
import { create } from './create.js';
import { list } from './list.js';
import { revoke } from './revoke.js';

/** API keys for machine clients: managers of a location (admins: any) create, list and revoke them. */
export const apiKeysRouter = { create, list, revoke } satisfies TRPCRouterRecord;
