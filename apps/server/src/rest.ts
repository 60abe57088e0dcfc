import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyApiReference from '@scalar/fastify-api-reference';
import { fastifyTRPCOpenApiPlugin } from 'trpc-to-openapi';
import { appRouter, httpStatusOf, openApiDocument, REST_PREFIX, type Context } from '@bistro/api';
import { isDatabaseUnavailable } from '@bistro/db';
import { bistroCodeForTrpcCode, isBistroErrorCode } from '@bistro/domain';

export interface RestOptions {
  /** The request's context, as /trpc builds it; REST reads only a bearer credential (no cookies, so no CSRF). */
  createContext(req: FastifyRequest, reply: FastifyReply): Promise<Context>;
  /** Where users reach Bistro; the document's server URL. */
  publicUrl: string;
}

/** trpc-to-openapi's error body: tRPC's formatted shape (our formatter's `data`), plus its own fields. */
interface OpenApiErrorBody {
  message?: unknown;
  code?: unknown;
  data?: { bistroCode?: unknown; fieldErrors?: unknown; retryAfterSeconds?: unknown };
}

/**
 * A REST refusal in Bistro's shape outside /trpc, `{ error: { bistroCode, message, fieldErrors } }`,
 * from the body trpc-to-openapi sends (whose `data` our error formatter wrote, so the code is the
 * very one tRPC sends). Zod's raw issues are dropped: `fieldErrors` says the same by path.
 */
function reshapeError(payload: string): { status: number; body: string } | undefined {
  let body: OpenApiErrorBody;
  try {
    body = JSON.parse(payload) as OpenApiErrorBody;
  } catch {
    return undefined;
  }
  const data = body.data ?? {};
  const bistroCode = isBistroErrorCode(data.bistroCode) ? data.bistroCode : bistroCodeForTrpcCode(typeof body.code === 'string' ? body.code : '');
  const fieldErrors = typeof data.fieldErrors === 'object' ? data.fieldErrors : null;
  const error: Record<string, unknown> = {
    bistroCode,
    message: bistroCode === 'INVALID_INPUT' && fieldErrors ? 'Invalid input' : typeof body.message === 'string' ? body.message : 'The request was refused',
    fieldErrors,
  };
  if (typeof data.retryAfterSeconds === 'number') error['retryAfterSeconds'] = data.retryAfterSeconds;
  // The status follows from the code, as on /trpc (an outage is 503 there, not trpc-to-openapi's 500).
  return { status: httpStatusOf(bistroCode), body: JSON.stringify({ error }) };
}

/**
 * The REST surface: /api/v1/… generated from the procedures that carry `meta.openapi` (the same
 * input schema, middleware and handler as over tRPC), its OpenAPI 3.1 document at
 * /api/v1/openapi.json, and a reference UI (Scalar, served from this server) at /docs.
 */
export async function registerRest(app: FastifyInstance, options: RestOptions): Promise<void> {
  const document = openApiDocument(options.publicUrl);
  const json = JSON.stringify(document);
  app.get(`${REST_PREFIX}/openapi.json`, async (_req, reply) => reply.type('application/json').header('cache-control', 'no-cache').send(json));

  await app.register(async (rest) => {
    rest.addHook('onSend', async (_req, reply, payload) => {
      if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
      const refusal = reshapeError(payload);
      if (!refusal) return payload;
      reply.code(refusal.status);
      return refusal.body;
    });
    await rest.register(fastifyTRPCOpenApiPlugin, {
      basePath: REST_PREFIX,
      router: appRouter,
      createContext: ({ req, res }: { req: FastifyRequest; res: FastifyReply }) => options.createContext(req, res),
      onError({ error, path, req }: { error: { code: string; cause?: unknown }; path?: string; req: FastifyRequest }) {
        if (error.code !== 'INTERNAL_SERVER_ERROR') return;
        if (isDatabaseUnavailable(error)) req.log.warn({ err: error.cause ?? error, path }, 'database unavailable');
        else req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    });
  });

  await app.register(fastifyApiReference, {
    routePrefix: '/docs',
    configuration: { url: `${REST_PREFIX}/openapi.json`, title: 'Bistro REST API' },
  });
}
