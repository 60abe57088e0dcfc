import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { generateOpenApiDocument, type OpenAPIObject, type OpenApiMeta } from 'trpc-to-openapi';
import { ERROR_CODES, type BistroErrorCode } from '@bistro/domain';
import { appRouter } from './root.js';
import type { RestRoute } from './trpc.js';

/** Bistro's own copy of the route type stops compiling when trpc-to-openapi reads routes differently. */
const sameRoute: RestRoute extends NonNullable<OpenApiMeta['openapi']> ? true : false = true;
void sameRoute;

/** Where the REST surface lives; its procedures carry their paths under it in `meta.openapi`. */
export const REST_PREFIX = '/api/v1';

/** The HTTP status each Bistro code is sent with (the same as on /trpc). */
export function httpStatusOf(code: BistroErrorCode): number {
  return getHTTPStatusCodeFromError(new TRPCError({ code: ERROR_CODES[code] }));
}

/** Every Bistro code, grouped by the HTTP status it is sent with. */
function codesByStatus(): Map<number, BistroErrorCode[]> {
  const byStatus = new Map<number, BistroErrorCode[]>();
  for (const code of Object.keys(ERROR_CODES) as BistroErrorCode[]) {
    const status = httpStatusOf(code);
    const codes = byStatus.get(status);
    if (codes) codes.push(code);
    else byStatus.set(status, [code]);
  }
  return byStatus;
}

/** The body of every REST refusal: the same stable code as tRPC's `error.data.bistroCode`. */
type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const errorSchema: SchemaObject = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['bistroCode', 'message'],
      additionalProperties: false,
      properties: {
        bistroCode: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'Switch on this, never on the message.' },
        message: { type: 'string' },
        fieldErrors: {
          type: ['object', 'null'],
          additionalProperties: { type: 'array', items: { type: 'string' } },
          description: 'Validation failures by dotted field path (`lines.0.quantity`).',
        },
        retryAfterSeconds: { type: 'integer', description: 'For TOO_MANY_REQUESTS: how long to wait.' },
      },
    },
  },
};

/** Statuses every operation may answer whatever it does (a bad input, an outage, a fault, a throttle). */
const ALWAYS = [400, 429, 500, 503];

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the procedures that carry a REST route:
 * their input and output schemas are the ones tRPC validates with. Every operation lists its
 * refusals with the Bistro codes each status carries (all in `components.schemas.Error`).
 */
export function openApiDocument(baseUrl: string): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: 'Bistro REST API',
    version: '1',
    baseUrl: `${baseUrl}${REST_PREFIX}`,
    description:
      'The REST face of the Bistro procedures. Money is integer minor units of the location currency. ' +
      'Refusals carry a stable `error.bistroCode` (the same as over tRPC). Machine clients send an API key as `Authorization: Bearer bistro_live_…`.',
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A session token (auth.signIn with mode token) or an API key (bistro_live_…)' } },
  });
  const byStatus = codesByStatus();
  // trpc-to-openapi's own error schemas describe its body, not the one Bistro sends: replaced by `Error`.
  const schemas = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith('error.')));
  document.components = { ...document.components, schemas: { ...schemas, Error: errorSchema } };
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const secured = (operation.security?.length ?? 0) > 0;
      const statuses = new Set([...ALWAYS, ...(secured ? [401, 404] : [404, 409])]);
      if (method !== 'get') for (const s of [409, 413, 415, 422]) statuses.add(s);
      const responses: Record<string, unknown> = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        // trpc-to-openapi's own error entries describe its body, not Bistro's: replaced below.
        if (!status.startsWith('2')) continue;
        responses[status] = response;
      }
      for (const status of [...statuses].sort()) {
        const codes = byStatus.get(status) ?? [];
        responses[String(status)] = {
          description: `Refused; error.bistroCode is one of: ${codes.join(', ')}`,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      operation.responses = responses;
    }
  }
  return document;
}
