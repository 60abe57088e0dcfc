import { getTRPCErrorShape, getTRPCErrorFromUnknown, type AnyTRPCProcedure } from '@trpc/server';
import type { AccessLevel, ApiScope } from '@bistro/domain';
import { appRouter, type BistroErrorData } from '../src/index.js';

/** Every procedure of the app router by its dotted path, with the access level it declares. */
export function procedures(): Map<string, { access: AccessLevel | undefined; scope: ApiScope | 'any' | undefined; type: string }> {
  // Typed as the nested record, but at run time a flat record of path → procedure.
  const flat = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;
  return new Map(
    Object.entries(flat).map(([path, procedure]) => {
      const def = procedure._def as { meta?: { access?: AccessLevel; scope?: ApiScope | 'any' }; type: string };
      return [path, { access: def.meta?.access, scope: def.meta?.scope, type: def.type }];
    }),
  );
}

/**
 * Calls a procedure by its path, without the types: for tables of procedures, and for ones that
 * don't exist yet. Check `procedures().has(path)` first: a caller answers a missing path with
 * NOT_FOUND, which must never pass for an access refusal.
 */
export async function callPath(caller: object, path: string, input: unknown): Promise<unknown> {
  if (!procedures().has(path)) throw new Error(`No procedure ${path} in the app router`);
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  const result = await fn(input);
  // A subscription's middlewares (and so its access check) have run once it is returned.
  if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
    await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
  }
  return result;
}

/** What a client would see of an error: the formatted `data` (bistroCode, fieldErrors …), by the router's own formatter. */
export function errorData(error: unknown): BistroErrorData {
  const trpcError = getTRPCErrorFromUnknown(error);
  const shape = getTRPCErrorShape({ config: appRouter._def._config, error: trpcError, type: 'unknown', path: undefined, input: undefined, ctx: undefined });
  return shape.data;
}

export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; data: BistroErrorData };

/** Runs a call and captures its answer or its client-visible error. */
export async function outcome<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    return { ok: false, data: errorData(error) };
  }
}

/** The client-visible error of a call that must fail. */
export async function refusal(call: Promise<unknown>): Promise<BistroErrorData> {
  const result = await outcome(call);
  if (result.ok) throw new Error(`Expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.data;
}
