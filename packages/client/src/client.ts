import { TRPCClientError, type httpSubscriptionLink, type TRPCClient, type TRPCProcedureOptions } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
// Bundled into the published declarations (scripts/build.ts): the router as a client sees it,
// with no server context, so a consumer needs neither @bistro/api nor its dependencies.
import type { BistroErrorShape, ClientRouter } from '@bistro/api';
import { isBistroErrorCode, type BistroErrorCode } from '@bistro/domain';

/** Bistro's router, as a client sees it: every procedure with its input and output types. */
export type AppRouter = ClientRouter;
/** `RouterInputs['menu']['get']`: the input of a procedure. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** `RouterOutputs['menu']['get']`: what a procedure answers (Dates are Dates: superjson carries them). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** The `data` of a refused call: `bistroCode`, `fieldErrors`, `retryAfterSeconds` … */
export type BistroErrorData = BistroErrorShape['data'];

type Headers = Record<string, string | string[] | undefined>;

/** An `EventSource` class: the browser's, or the `eventsource` package's (which can send headers). */
export type EventSourceClass = NonNullable<Parameters<typeof httpSubscriptionLink>[0]['EventSource']>;

export interface BistroClientOptions {
  /** Where Bistro runs, e.g. `http://localhost:3000` (the `/trpc` path is added). */
  url: string;
  /** Extra headers for every request, or a function called per request. */
  headers?: Headers | (() => Headers | Promise<Headers>);
  /** A fetch implementation, for runtimes without one or for tests. */
  fetch?: typeof globalThis.fetch;
  /**
   * A session token from `auth.signIn({ email, password, mode: 'token' })`, sent as
   * `Authorization: Bearer <token>` (it wins over an Authorization in `headers`). A function is
   * asked before every request, so a token kept elsewhere can change; null or undefined sends none.
   */
  token?: string | (() => string | null | undefined);
  /**
   * The `EventSource` of live feeds. In Node it is the `eventsource` package's, which sends the
   * token and headers. In a browser it is the browser's, which sends the session cookie but
   * cannot send headers: a browser app signed in with a token passes
   * `import { EventSource } from 'eventsource'` here.
   */
  EventSource?: EventSourceClass;
  /**
   * Procedures sent alone, never batched with others, e.g. `['menu.get']`: its answer carries an
   * ETag (so a browser revalidates it with a 304) only when it travels alone.
   */
  alone?: readonly string[];
}

/** `auth.signIn`, typed by its mode: with `mode: 'token'` the answer's `token` is a string. */
export interface SignIn {
  mutate(input: SignInInput & { mode: 'token' }, opts?: TRPCProcedureOptions): Promise<Extract<SignInOutput, { mode: 'token' }>>;
  mutate(input: SignInInput & { mode?: 'cookie' | undefined }, opts?: TRPCProcedureOptions): Promise<Extract<SignInOutput, { mode: 'cookie' }>>;
}
type SignInInput = RouterInputs['auth']['signIn'];
type SignInOutput = RouterOutputs['auth']['signIn'];

/**
 * The typed Bistro SDK (see createBistroClient). The `signIn` overloads come first, so they are
 * chosen over the router's own signature, which stays for a `mode` only known at run time.
 */
export type BistroClient = { auth: { signIn: SignIn } } & TRPCClient<AppRouter>;

export type BistroClientError = TRPCClientError<AppRouter>;

/** Narrows anything thrown by a call to Bistro's typed client error. */
export function isBistroClientError(error: unknown): error is BistroClientError {
  return error instanceof TRPCClientError;
}

/** The stable code of a failed call (`NOT_FOUND`, `INVALID_INPUT` …), or undefined for non-Bistro errors. */
export function bistroErrorCode(error: unknown): BistroErrorCode | undefined {
  if (!isBistroClientError(error)) return undefined;
  const code = error.data?.bistroCode;
  return isBistroErrorCode(code) ? code : undefined;
}

type Depth = [never, 0, 1, 2, 3, 4];
/**
 * The dotted paths the server names fields by, for an input type: `email`, `lines.${number}.quantity` …
 * (five levels deep at most; a FormData input's fields are not known to the types).
 */
export type InputPath<T, D extends number = 5> = [D] extends [never]
  ? never
  : T extends FormData
    ? string
    : T extends Date | Blob
      ? never
      : T extends readonly (infer Item)[]
        ? `${number}` | `${number}.${InputPath<NonNullable<Item>, Depth[D]>}`
        : T extends object
          ? { [K in keyof T & string]-?: K | `${K}.${InputPath<NonNullable<T[K]>, Depth[D]>}` }[keyof T & string]
          : never;

/** Field errors of a refused call, keyed by the input's paths: `{ email: ['Invalid email'] }`. */
export type FieldErrors<TInput> = { [P in InputPath<TInput>]?: string[] };

/**
 * The fields at fault of a refused call (`INVALID_INPUT`), keyed by the paths of the input it was
 * given, e.g. `bistroFieldErrors<RouterInputs['auth']['signUp']>(error).email`. Empty when none.
 */
export function bistroFieldErrors<TInput>(error: unknown): FieldErrors<TInput> {
  if (!isBistroClientError(error)) return {};
  return (error.data?.fieldErrors ?? {});
}
