import type { TRPC_ERROR_CODE_NUMBER, TRPCBuiltRouter, TRPCDecorateCreateRouterOptions } from '@trpc/server';
import type { appRecord } from './root.js';
import type { BistroErrorData, Meta } from './trpc.js';

/**
 * The router as a client sees it: the same procedures with the same inputs and outputs, the
 * error shape and the transformer, but none of the server's context (Kysely, pino, Redis, the
 * mailer …). `@bistro/client` bundles the declarations reachable from here into one
 * self-contained `.d.ts` (packages/client/scripts/build.ts), so a front end needs neither this
 * package nor its dependencies, and its editor checks calls against prebuilt types.
 *
 * Only `appRecord` is reached, never `appRouter` (whose type carries the context); a type test
 * (test/client-types.test.ts) proves both routers give the same inputs, outputs and errors.
 */
export type ClientRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: Meta;
    errorShape: BistroErrorShape;
    transformer: true;
  },
  TRPCDecorateCreateRouterOptions<typeof appRecord>
>;

/** What a refused call carries: tRPC's code and message, and Bistro's data (`bistroCode`, `fieldErrors` …). */
export interface BistroErrorShape {
  code: TRPC_ERROR_CODE_NUMBER;
  message: string;
  data: BistroErrorData;
}
