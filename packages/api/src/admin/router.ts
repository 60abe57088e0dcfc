import type { TRPCRouterRecord } from '@trpc/server';
import { list as auditList } from './audit-list.js';
import { list as usersList } from './users-list.js';
import { setDisabled } from './users-set-disabled.js';
import { setRole } from './users-set-role.js';
import { list as jobsList } from './jobs-list.js';
import { retry as jobsRetry } from './jobs-retry.js';

/** Admins only: user roles and accounts, and the audit log. Anyone else gets NOT_FOUND. */
export const adminRouter = {
  users: { list: usersList, setRole, setDisabled } satisfies TRPCRouterRecord,
  audit: { list: auditList } satisfies TRPCRouterRecord,
  jobs: { list: jobsList, retry: jobsRetry } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
