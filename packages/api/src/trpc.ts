import { initTRPC, type TRPC_ERROR_CODE_KEY, type TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { z } from 'zod';
import { connectionFailure, isDatabaseUnavailable } from '@bistro/db';
import { bistroCodeForTrpcCode, type AccessLevel, type ApiScope, type BistroErrorCode, type LocationRole, type TrpcErrorCodeName } from '@bistro/domain';
import type { Context } from './context.js';
import { BistroError, notFound } from './errors.js';
import { transformer } from './wire-format.js';

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

/**
 * Zod (or any Standard Schema) issues flattened to `{ "field.path": [messages] }`. Paths come
 * from the caller's own keys (`constructor`, `__proto__` …), so they are gathered in a Map and
 * become own properties only at the end: no key can reach `Object.prototype`.
 */
function toFieldErrors(issues: Issue[]): Record<string, string[]> {
  const fieldErrors = new Map<string, string[]>();
  const add = (path: string, message: string) => {
    const messages = fieldErrors.get(path);
    if (messages) messages.push(message);
    else fieldErrors.set(path, [message]);
  };
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) add(path ? `${path}.${key}` : key, 'Unknown field');
    } else {
      add(path, issue.message);
    }
  }
  return Object.fromEntries(fieldErrors);
}

/**
 * Every procedure declares who may call it; the access matrix test reads this from the router.
 * Procedures served over REST also carry their route (`openapi`: method and path under /api/v1).
 * `access` is optional only so a procedure can add its route with `.meta()`: the builders below
 * always set it, and the access matrix refuses a procedure without one.
 */
export type Meta = {
  access?: AccessLevel;
  /**
   * What an API key must hold to call this procedure; `any` lets every key call it (public
   * reads). A procedure without one can't be called with a key at all.
   */
  scope?: ApiScope | 'any';
  /** Its route under /api/v1 (rest.ts). */
  openapi?: RestRoute;
};

/**
 * A procedure's REST route, as trpc-to-openapi reads it (rest.ts proves the two agree), written
 * out here so the client's types never reach the server's libraries.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: `/${string}`;
  summary?: string;
  tags?: string[];
  /** False: callable without credentials (the document lists no security for it). */
  protect?: boolean;
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer,
  // Live feeds (kitchen tickets, order status) over server-sent events. A comment every 15 s
  // keeps proxies from closing a quiet stream; a client that hears nothing for 40 s reconnects
  // (resuming from its last event id), and a stream is recycled after an hour so credentials
  // are checked again and connections spread over instances.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
    maxDurationMs: 60 * 60_000,
  },
  // Never send stacks, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    // The database dropped the connection or can't be reached: not a fault of this request, and
    // it may succeed when tried again (a live feed's client reconnects on this code by itself).
    if (error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(error)) {
      const data: BistroErrorData = { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, bistroCode: 'UNAVAILABLE', fieldErrors: null };
      if (shape.data.path !== undefined) data.path = shape.data.path;
      return { code: TRPC_ERROR_CODES_BY_KEY.SERVICE_UNAVAILABLE, message: 'The database is unavailable; try again shortly', data };
    }
    const validation =
      error.code === 'BAD_REQUEST' && hasIssues(error.cause)
        ? toFieldErrors(error.cause.issues)
        : error instanceof BistroError
          ? (error.fieldErrors ?? null)
          : null;
    const bistroCode = bistroCodeOf(error);
    let message = shape.message;
    if (validation && !(error instanceof BistroError)) message = 'Invalid input';
    // An unexpected error's message may hold SQL or internals: the log has it, the caller does not.
    if (error.code === 'INTERNAL_SERVER_ERROR') message = 'Internal server error';
    // tRPC's own message quotes the content type the caller sent.
    if (error.code === 'UNSUPPORTED_MEDIA_TYPE') message = 'Send application/json (or multipart/form-data for a photo)';
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

/** The Bistro code a caller sees for an error (the formatter's answer; metrics count errors by it). */
export function bistroCodeOf(error: TRPCError): BistroErrorCode {
  if (error.code === 'INTERNAL_SERVER_ERROR' && isDatabaseUnavailable(error)) return 'UNAVAILABLE';
  return error instanceof BistroError ? error.bistroCode : bistroCodeForTrpcCode(error.code);
}

/** The domain keeps its own copy of tRPC's error code names: this stops compiling when the two differ. */
const sameCodeNames: [TRPC_ERROR_CODE_KEY, TrpcErrorCodeName] extends [TrpcErrorCodeName, TRPC_ERROR_CODE_KEY] ? true : false = true;
void sameCodeNames;

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * A mutation that carries the session cookie must come from an allowed origin: SameSite=Lax
 * already stops most cross-site requests, and this closes the rest (CSRF). Bearer tokens are
 * never sent by a browser on its own, so they need no check.
 */
const originGuard = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.request.credential === 'cookie') {
    const { origin, fetchSite } = ctx.request;
    const allowed = origin ? ctx.services.settings.allowedOrigins.includes(origin) : fetchSite !== 'cross-site';
    if (!allowed) throw new BistroError('FORBIDDEN_ORIGIN', 'This origin may not change anything with this session');
  }
  return next();
});

/**
 * A query that lost its database connection (a restart, a failover, an idle-session killer) is
 * run once more: queries only read, and the pool has dropped the dead connection by then. A
 * database that can't be reached at all is not retried (the caller gets UNAVAILABLE at once).
 */
const retryLostQuery = t.middleware(async ({ type, next }) => {
  const result = await next();
  if (type !== 'query' || result.ok || connectionFailure(result.error) !== 'lost') return result;
  return next();
});

/**
 * Every call is measured when the server asks for it (`services.telemetry`: metrics, and a trace
 * span when tracing is on): its procedure path (bounded: only the router's own paths get here),
 * its answer's Bistro code and how long it took. Without telemetry it costs one property read.
 */
const observe = t.middleware(async ({ ctx, path, type, next }) => {
  const telemetry = ctx.services.telemetry;
  if (!telemetry) return next();
  const started = performance.now();
  const result = await telemetry.trace(`trpc ${path}`, ctx.requestId, () => next());
  telemetry.procedureEnded({ path, type, code: result.ok ? 'OK' : bistroCodeOf(result.error), seconds: (performance.now() - started) / 1000 });
  return result;
});

/**
 * API keys: a key sent but not valid (unknown, revoked, expired) is refused whatever the
 * procedure, rather than served as a guest; a valid key reaches only procedures whose `scope`
 * it holds (or `any`), and each of its calls counts against its own rate limit. Checked before
 * anything is looked up, so a key can't probe what it may not use.
 */
const keyGuard = t.middleware(async ({ ctx, meta, next }) => {
  if (ctx.apiKeyRejected) throw new BistroError('API_KEY_INVALID', 'This API key is not valid: unknown, revoked or expired');
  const key = ctx.auth?.apiKey;
  if (!key) return next();
  const scope = meta?.scope;
  if (!scope) throw new BistroError('SCOPE_MISSING', 'API keys may not call this procedure');
  if (scope !== 'any' && !key.scopes.includes(scope)) throw new BistroError('SCOPE_MISSING', `This API key lacks the ${scope} scope`);
  await ctx.services.limiter.hit('apiKey', key.id);
  return next();
});

const base = t.procedure.use(observe).use(keyGuard).use(retryLostQuery).use(originGuard);

/** Anyone, signed in or not: public menus, locations, sign-in. */
export const publicProcedure = base.meta({ access: 'public' });

/** A signed-in caller; `ctx.auth` is set. Anyone else gets UNAUTHORIZED. */
export const authedProcedure = base.meta({ access: 'authed' }).use(({ ctx, next }) => {
  if (!ctx.auth) throw new BistroError('UNAUTHORIZED', 'Sign in first');
  return next({ ctx: { auth: ctx.auth } });
});

const RANK: Record<LocationRole, number> = { staff: 1, manager: 2 };

/** The caller's role at a location (admins count as managers everywhere), or null. */
export function roleAt(auth: Context['auth'], locationId: string): LocationRole | null {
  if (!auth) return null;
  if (auth.user.isAdmin) return 'manager';
  return auth.roles.find((r) => r.locationId === locationId)?.role ?? null;
}

/**
 * The input keys a location-scoped procedure may name its subject by, and how each leads to
 * the location. The first key present in the input decides.
 */
const LOCATION_KEYS = ['locationId', 'itemId', 'categoryId', 'optionGroupId', 'optionId', 'ingredientId', 'orderId', 'promoId', 'apiKeyId', 'stationId', 'campaignId'] as const;
type LocationKey = (typeof LOCATION_KEYS)[number];
const uuid = z.uuid();

/** The location a subject belongs to; null: it belongs to every location (a promo code for all); undefined: no such thing. */
async function locationOf(db: Context['db'], key: LocationKey, id: string): Promise<string | null | undefined> {
  switch (key) {
    case 'locationId':
      return (await db.selectFrom('locations').select('id').where('id', '=', id).executeTakeFirst())?.id;
    case 'itemId':
      return (await db.selectFrom('menu_items').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'categoryId':
      return (await db.selectFrom('menu_categories').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'optionGroupId':
      return (await db.selectFrom('option_groups').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'optionId':
      return (
        await db
          .selectFrom('options as o')
          .innerJoin('option_groups as g', 'g.id', 'o.option_group_id')
          .select('g.location_id')
          .where('o.id', '=', id)
          .executeTakeFirst()
      )?.location_id;
    case 'ingredientId':
      return (await db.selectFrom('ingredients').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'orderId':
      return (await db.selectFrom('orders').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'promoId':
      // A code for every location has none (null): only admins reach it (everywhereProcedure).
      return (await db.selectFrom('promo_codes').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'apiKeyId':
      return (await db.selectFrom('api_keys').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'stationId':
      return (await db.selectFrom('stations').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
    case 'campaignId':
      return (await db.selectFrom('newsletter_campaigns').select('location_id').where('id', '=', id).executeTakeFirst())?.location_id;
  }
}

const SUBJECT_NAMES: Record<LocationKey, string> = {
  locationId: 'Location',
  itemId: 'Item',
  categoryId: 'Category',
  optionGroupId: 'Option group',
  optionId: 'Option',
  ingredientId: 'Ingredient',
  orderId: 'Order',
  promoId: 'Discount code',
  apiKeyId: 'API key',
  stationId: 'Station',
  campaignId: 'Campaign',
};

/**
 * The subject a location-scoped call names (the first of LOCATION_KEYS in its input) and where
 * it belongs: a location's id, null for every location (`locationId: null` where `everywhere`
 * allows it, or a thing that belongs to all), undefined when there is no such thing.
 */
async function subjectOf(
  db: Context['db'],
  raw: unknown,
  everywhere: boolean,
): Promise<{ key: LocationKey; locationId: string | null | undefined }> {
  // A photo upload arrives as FormData (multipart), anything else as a plain object.
  const field: (k: LocationKey) => unknown =
    raw instanceof FormData
      ? (k) => raw.get(k) ?? undefined
      : typeof raw === 'object' && raw !== null
        ? (k) => (raw as Record<string, unknown>)[k]
        : () => undefined;
  const key = LOCATION_KEYS.find((k) => field(k) !== undefined);
  if (!key) {
    throw new BistroError('INVALID_INPUT', 'Invalid input', { fieldErrors: { locationId: ['Expected a location id'] } });
  }
  if (everywhere && key === 'locationId' && field(key) === null) return { key, locationId: null };
  const id = uuid.safeParse(field(key));
  if (!id.success) throw new BistroError('INVALID_INPUT', 'Invalid input', { fieldErrors: { [key]: ['Expected an id'] } });
  // Admins skip nothing: the thing must still exist.
  return { key, locationId: await locationOf(db, key, id.data) };
}

/**
 * A procedure of one location, found from the input: `locationId`, or the id of something that
 * belongs to a location (`itemId`, `categoryId`, `optionGroupId`, `optionId`, `ingredientId`, `orderId`, `apiKeyId`, `stationId`).
 * A caller without the role there gets NOT_FOUND, the same answer as for something that does
 * not exist, so ids can't be probed. `ctx.locationId` is the resolved location.
 */
function locationProcedure(role: LocationRole) {
  return authedProcedure.meta({ access: role }).use(async ({ ctx, getRawInput, next }) => {
    const { key, locationId } = await subjectOf(ctx.db, await getRawInput(), false);
    const held = locationId ? roleAt(ctx.auth, locationId) : null;
    if (!locationId || !held || RANK[held] < RANK[role]) throw notFound(SUBJECT_NAMES[key]);
    return next({ ctx: { locationId, role: held } });
  });
}

/** Staff (or manager) of the location in the input. */
export const staffProcedure = locationProcedure('staff');
/** Manager of the location in the input. */
export const managerProcedure = locationProcedure('manager');

/**
 * Manager of the location in the input, or, when the input names every location (`locationId:
 * null`, or a promo code that belongs to all of them), an admin: `ctx.locationId` is then null.
 * Anyone else gets NOT_FOUND, as for a location they don't manage.
 */
export const everywhereProcedure = authedProcedure.meta({ access: 'manager' }).use(async ({ ctx, getRawInput, next }) => {
  const { key, locationId } = await subjectOf(ctx.db, await getRawInput(), true);
  const held: LocationRole | null = locationId === null ? (ctx.auth.user.isAdmin ? 'manager' : null) : locationId ? roleAt(ctx.auth, locationId) : null;
  if (locationId === undefined || !held || RANK[held] < RANK.manager) throw notFound(SUBJECT_NAMES[key]);
  const scope: string | null = locationId;
  return next({ ctx: { locationId: scope, role: held } });
});

/** Admins only. Anyone else signed in gets NOT_FOUND: admin procedures don't exist for them. */
export const adminProcedure = authedProcedure.meta({ access: 'admin' }).use(({ ctx, next }) => {
  if (!ctx.auth.user.isAdmin) throw new BistroError('NOT_FOUND', 'Not found');
  return next();
});
