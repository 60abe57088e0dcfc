import type { TRPCRouterRecord } from '@trpc/server';
import { create } from './create.js';
import { get } from './get.js';
import { list } from './list.js';
import { invite } from './staff-invite.js';
import { list as staffList } from './staff-list.js';
import { update } from './update.js';

export const locationsRouter = {
  list,
  get,
  create,
  update,
  staff: { list: staffList, invite } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
