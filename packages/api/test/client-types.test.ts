import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { describe, expectTypeOf, it } from 'vitest';
import type { AppRouter, ClientRouter, RouterInputs, RouterOutputs } from '../src/index.js';

// Checked by `tsc` (npm test runs the typecheck): the router @bistro/client publishes must be the
// server's router minus its context, so a client cannot drift from what the server accepts.
describe("the client's router type", () => {
  it('has the same inputs, outputs, error shape and transformer as the server router', () => {
    expectTypeOf<inferRouterInputs<ClientRouter>>().toEqualTypeOf<RouterInputs>();
    expectTypeOf<inferRouterOutputs<ClientRouter>>().toEqualTypeOf<RouterOutputs>();
    type Types<R extends { _def: { _config: { $types: object } } }> = R['_def']['_config']['$types'];
    expectTypeOf<Types<ClientRouter>['errorShape']>().toEqualTypeOf<Types<AppRouter>['errorShape']>();
    expectTypeOf<Types<ClientRouter>['transformer']>().toEqualTypeOf<Types<AppRouter>['transformer']>();
    expectTypeOf<ClientRouter['_def']['record']>().toEqualTypeOf<AppRouter['_def']['record']>();
  });

  it('names no server context', () => {
    expectTypeOf<Types<ClientRouter>['ctx']>().toEqualTypeOf<object>();
    type Types<R extends { _def: { _config: { $types: object } } }> = R['_def']['_config']['$types'];
  });
});
