import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getErrorShape, transformTRPCResponse } from '@trpc/server';
import { appRouter, BistroError } from '@bistro/api';
import { isDatabaseUnavailable } from '@bistro/db';
import { bistroCodeForTrpcCode, MAX_BATCH_SIZE, type BistroErrorCode } from '@bistro/domain';

/** Methods the tRPC route answers: queries and subscriptions are GET, mutations POST (HEAD is GET without a body). */
const TRPC_METHODS = ['GET', 'HEAD', 'POST'];

/** HTTP statuses Fastify (or Node) refuses a request with, as tRPC's code names. */
const TRPC_CODE_FOR_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * What the caller is told, per code: a fixed sentence, never the framework's message (which
 * may quote the request: its path, its content type).
 */
const MESSAGES: Partial<Record<BistroErrorCode, string>> = {
  INVALID_INPUT: 'The request is malformed',
  NOT_FOUND: 'Not found',
  METHOD_NOT_SUPPORTED: 'This method is not supported here: use GET for queries and subscriptions, POST for mutations',
  PAYLOAD_TOO_LARGE: 'The request body is larger than the server accepts',
  UNSUPPORTED_MEDIA_TYPE: 'Send application/json (or multipart/form-data for a photo)',
  REQUEST_TIMEOUT: 'The request took too long to arrive',
  TOO_MANY_REQUESTS: 'Too many requests',
  UNAVAILABLE: 'The service is unavailable; try again shortly',
  INTERNAL: 'Internal server error',
};

function isTrpc(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
}

/** The procedure path(s) of a tRPC URL, decoded as tRPC decodes them; '' when there are none or they don't decode. */
function procedurePath(url: string, prefix: string): string {
  const raw = url.slice(prefix.length + 1).split('?', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

/**
 * Sends a refusal in Bistro's error shape: on the tRPC route in tRPC's envelope, exactly as the
 * error formatter shapes a procedure's errors (so `bistroErrorCode()` reads it), elsewhere as
 * `{ error: { bistroCode, message } }`. The status follows from the code. The path is not echoed.
 */
export function sendRefusal(reply: FastifyReply, prefix: string, error: BistroError): FastifyReply {
  const config = appRouter._def._config;
  const shape = getErrorShape({ config, error, type: 'unknown', path: undefined, input: undefined, ctx: undefined });
  const body = isTrpc(reply.request.url, prefix)
    ? transformTRPCResponse(config, { error: shape })
    : { error: { bistroCode: error.bistroCode, message: error.message } };
  return reply.code(shape.data.httpStatus).type('application/json').send(JSON.stringify(body));
}

function refusal(code: BistroErrorCode, message = MESSAGES[code] ?? 'The request was refused'): BistroError {
  return new BistroError(code, message);
}

/**
 * One place that answers what never reaches a procedure, in Bistro's shape: Fastify's own
 * refusals (a body over the limit, a content type it has no parser for, a malformed length),
 * unknown routes, a method the tRPC route does not serve, a batch over MAX_BATCH_SIZE, and
 * anything thrown outside tRPC (logged; INTERNAL, or UNAVAILABLE when the database is down).
 * Call before registering routes and plugins, so they inherit it.
 */
export function registerRefusals(app: FastifyInstance, prefix: string): void {
  app.setErrorHandler((error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      if (isDatabaseUnavailable(error)) {
        req.log.warn({ err: error }, 'database unavailable');
        return sendRefusal(reply, prefix, refusal('UNAVAILABLE'));
      }
      req.log.error({ err: error }, 'request failed');
      return sendRefusal(reply, prefix, refusal('INTERNAL'));
    }
    const trpcCode = TRPC_CODE_FOR_STATUS[status] ?? 'BAD_REQUEST';
    return sendRefusal(reply, prefix, refusal(bistroCodeForTrpcCode(trpcCode)));
  });

  app.setNotFoundHandler((req, reply) => {
    if (isTrpc(req.url, prefix) && !TRPC_METHODS.includes(req.method)) return sendRefusal(reply, prefix, methodNotSupported(reply));
    return sendRefusal(reply, prefix, refusal('NOT_FOUND', isTrpc(req.url, prefix) ? 'No such procedure' : 'Not found'));
  });

  app.addHook('onRequest', async (req, reply) => {
    if (!isTrpc(req.url, prefix)) return;
    if (!TRPC_METHODS.includes(req.method)) return sendRefusal(reply, prefix, methodNotSupported(reply));
    // Before anything is read or run: an over-long batch is refused whole.
    const tooLong = overLongBatch(req.url, prefix);
    if (tooLong) return sendRefusal(reply, prefix, tooLong);
  });
}

/** BATCH_TOO_LARGE for a tRPC batch of more than MAX_BATCH_SIZE calls. */
function overLongBatch(url: string, prefix: string): BistroError | undefined {
  const query = url.indexOf('?');
  if (query === -1 || new URLSearchParams(url.slice(query + 1)).get('batch') !== '1') return undefined;
  const calls = procedurePath(url, prefix).split(',').length;
  if (calls <= MAX_BATCH_SIZE) return undefined;
  return refusal('BATCH_TOO_LARGE', `A batch may carry at most ${MAX_BATCH_SIZE} calls; this one carries ${calls}. Send them in several requests.`);
}

/**
 * Fastify options for what is refused before any route or hook: `frameworkErrors` (a URL that
 * doesn't decode, a path segment over the router's length limit, which would otherwise be
 * echoed back) and `clientErrorHandler` (see answerClientError).
 */
export function refusalOptions(prefix: string) {
  return {
    frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        // No procedure has a name that long: it is a batch over the limit, or nothing at all.
        const trpc = isTrpc(req.url, prefix);
        return sendRefusal(reply, prefix, (trpc && overLongBatch(req.url, prefix)) || refusal('NOT_FOUND', trpc ? 'No such procedure' : 'Not found'));
      }
      if (error.code === 'FST_ERR_BAD_URL') return sendRefusal(reply, prefix, refusal('INVALID_INPUT', 'The URL is malformed'));
      req.log.error({ err: error }, 'request failed');
      return sendRefusal(reply, prefix, refusal('INTERNAL'));
    },
    clientErrorHandler: answerClientError,
  };
}

function methodNotSupported(reply: FastifyReply): BistroError {
  reply.header('allow', TRPC_METHODS.join(', '));
  return refusal('METHOD_NOT_SUPPORTED');
}

/**
 * Answers a request Node could not even parse (Fastify's `clientErrorHandler`): one that took
 * too long to arrive (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS), headers over Node's size limit,
 * or malformed HTTP. Plain JSON in Bistro's shape, and the connection is closed.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, bistroCode, message]: [number, BistroErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', MESSAGES.REQUEST_TIMEOUT!]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'PAYLOAD_TOO_LARGE', "The request's URL or headers are larger than the server accepts"]
        : [400, 'INVALID_INPUT', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { bistroCode, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
