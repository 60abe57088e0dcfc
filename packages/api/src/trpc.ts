import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { bistroCodeForTrpcCode, type BistroErrorCode } from '@bistro/domain';
import type { Context } from './context.js';
import { BistroError } from './errors.js';

export interface BistroErrorData {
  /** tRPC's code: BAD_REQUEST, NOT_FOUND … */
  code: string;
  httpStatus: number;
  path?: string;
  /** Bistro's stable code; front ends switch on this. */
  bistroCode: BistroErrorCode;
  /** Validation failures by dotted field path (`lines.0.quantity`); null when none. */
  fieldErrors: Record<string, string[]> | null;
  /** For TOO_MANY_REQUESTS: how long to wait. */
  retryAfterSeconds?: number;
}

interface Issue {
  path?: readonly PropertyKey[] | readonly { key: PropertyKey }[];
  message: string;
  code?: string;
  keys?: string[];
}

function hasIssues(cause: unknown): cause is { issues: Issue[] } {
  return typeof cause === 'object' && cause !== null && Array.isArray((cause as { issues?: unknown }).issues);
}

/** Zod (or any Standard Schema) issues flattened to `{ "field.path": [messages] }`. */
function toFieldErrors(issues: Issue[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  const add = (path: string, message: string) => (fieldErrors[path] ??= []).push(message);
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) add(path ? `${path}.${key}` : key, 'Unknown field');
    } else {
      add(path, issue.message);
    }
  }
  return fieldErrors;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Never send stacks, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const validation = error.code === 'BAD_REQUEST' && hasIssues(error.cause) ? toFieldErrors(error.cause.issues) : null;
    const bistroCode = error instanceof BistroError ? error.bistroCode : bistroCodeForTrpcCode(error.code);
    let message = shape.message;
    if (validation) message = 'Invalid input';
    // An unexpected error's message may hold SQL or internals: the log has it, the caller does not.
    if (error.code === 'INTERNAL_SERVER_ERROR') message = 'Internal server error';
    const data: BistroErrorData = {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      bistroCode,
      fieldErrors: validation,
    };
    if (shape.data.path !== undefined) data.path = shape.data.path;
    if (error instanceof BistroError && error.retryAfterSeconds !== undefined) data.retryAfterSeconds = error.retryAfterSeconds;
    return { code: shape.code, message, data };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/** Anyone, signed in or not: public menus, locations. */
export const publicProcedure = t.procedure;
