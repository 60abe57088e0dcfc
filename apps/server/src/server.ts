import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { appRouter, backgroundWorkSettled, cachedMenuAnswer, createContext, menuEtag, type AppRouter } from '@bistro/api';
import { isDatabaseUnavailable, isMigrated } from '@bistro/db';
import { MAX_BATCH_SIZE } from '@bistro/domain';
import type { Config } from './config.js';
import { openDatabase, type OpenDatabase } from './database.js';
import { createServices, type RunningServices } from './services.js';
import { MAX_UPLOAD_BODY_BYTES, registerMedia, registerUploadLimit } from './media.js';
import { refusalOptions, registerRefusals } from './refusals.js';
import { registerWebApp } from './web.js';

export interface BistroServer {
  app: FastifyInstance;
  database: OpenDatabase;
  services: RunningServices;
  /** Starts listening; resolves to the base URL (`http://127.0.0.1:54321`). */
  start(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the pool. */
  stop(): Promise<void>;
  /** The base URL once started. */
  readonly url: string;
}

export interface ServerOptions {
  /** The clock procedures see; tests pass a fixed one. */
  now?: () => Date;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

function loggerOptions(config: Config, stream: ServerOptions['logStream']): FastifyServerOptions['logger'] {
  const base = {
    level: config.logLevel,
    // Credentials never reach the log, whatever a future log line includes.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    // Query strings carry procedure inputs (tracking tokens, emails): requests are logged by path only.
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: pathOf(req.url ?? ''), id: req.id }),
    },
  };
  if (stream) return { ...base, stream };
  if (config.logFormat === 'pretty') {
    return { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } };
  }
  return base;
}

export async function createServer(config: Config, options: ServerOptions = {}): Promise<BistroServer> {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    // Honour a caller's request id when it looks like one, so logs join up across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new OneLinePerRequest({ requestIdLogLabel: 'requestId' }),
    ...refusalOptions('/trpc'),
    // Batched GETs put every input in the path.
    routerOptions: { maxParamLength: 10_000 },
    return503OnClosing: true,
    // Fastify 5 leaves Node's limits off; a public server needs them. None of them cuts a live
    // feed: the request and headers timeouts end once the request has arrived (a feed's GET
    // arrives at once), and the feed pings every 15 s, well within the idle timeout.
    requestTimeout: config.timeouts.requestMs,
    connectionTimeout: config.timeouts.idleMs,
    keepAliveTimeout: config.timeouts.keepAliveMs,
    http: {
      headersTimeout: config.timeouts.headersMs,
      requestTimeout: config.timeouts.requestMs,
      // Node checks the two timeouts above on this interval (30 s by default).
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(config.timeouts.headersMs / 4))),
    },
    // A hop count trusts that many proxies in front of Bistro (the typings take it as a function).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  });

  if (config.maxConnectionsPerIp > 0) limitConnectionsPerIp(app.server, config.maxConnectionsPerIp);

  const services = createServices(config, app.log);
  let database: OpenDatabase;
  try {
    database = await openDatabase(config, app.log, services.passwords);
  } catch (error) {
    await services.close();
    await app.close();
    throw error;
  }

  // Browsers get the session in a cookie: HttpOnly, SameSite=Lax, and over https Secure with
  // the __Host- prefix (bound to this host, path /).
  const secure = config.publicUrl.startsWith('https://');
  const cookieName = secure ? '__Host-bistro_session' : 'bistro_session';
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;
  await app.register(fastifyCookie);

  let stopping: Promise<void> | undefined;
  // Live feeds (server-sent events) never finish on their own: on stop they are ended, so they
  // don't hold up shutdown, and their clients reconnect (to another instance) and resume.
  const liveStreams = new Set<FastifyRequest>();
  app.addHook('onRequest', async (req) => {
    if (!req.headers.accept?.includes('text/event-stream')) return;
    liveStreams.add(req);
    req.raw.once('close', () => liveStreams.delete(req));
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // A keep-alive connection would otherwise outlive the request and hold up shutdown.
    if (stopping) reply.header('connection', 'close');
  });
  // Revalidation: a GET whose ETag the client already holds gets 304 and no body. The tRPC
  // adapter hands Fastify a fetch Response, whose headers are applied after this hook.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' || !(payload instanceof Response) || payload.status !== 200) return payload;
    const etag = payload.headers.get('etag');
    if (etag === null || req.headers['if-none-match'] !== etag) return payload;
    await payload.body?.cancel();
    reply.code(304).header('etag', etag).header('cache-control', payload.headers.get('cache-control') ?? 'no-cache');
    return '';
  });

  registerRefusals(app, '/trpc');

  // A cached menu is answered here, before tRPC: its bytes are kept per menu version (and
  // open/closed), so the hottest read skips routing, validation and serialization. Alone or as a
  // batch of one (as the SDK sends it); anything else (not cached, a bad input, a longer batch)
  // goes on to tRPC, which answers it and fills the cache.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !req.url.startsWith('/trpc/menu.get?')) return;
    const query = new URLSearchParams(req.url.slice('/trpc/menu.get?'.length));
    const batch = query.get('batch');
    if (batch !== null && batch !== '1') return;
    // The process edge: the same clock createContext gives procedures (tests pass a fixed one).
    // eslint-disable-next-line no-restricted-syntax
    const answer = cachedMenuAnswer(services, query.get('input'), options.now?.() ?? new Date(), batch === '1');
    if (!answer) return;
    reply.header('etag', answer.etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === answer.etag) return reply.code(304).send('');
    return reply.type('application/json').send(answer.body);
  });

  registerMedia(app, services.media);
  if (!(await registerWebApp(app, config.webDir))) app.log.info({ webDir: config.webDir }, 'no web app build found; / serves nothing (npm start builds it)');
  registerUploadLimit(app, '/trpc');
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    try {
      const migrated = await withTimeout(isMigrated(database.db), 2_000);
      if (!migrated) return reply.code(503).send({ status: 'unavailable', reason: 'database not migrated' });
      return { status: 'ok' };
    } catch (error) {
      req.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      // Only a photo upload (multipart) is read this way; JSON bodies keep Fastify's own limit.
      maxBodySize: MAX_UPLOAD_BODY_BYTES,
      // Refused earlier with BATCH_TOO_LARGE (refusals.ts); tRPC's own check stays as a backstop.
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, res }) => {
        const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const cookie = req.cookies[cookieName];
        const fetchSite = req.headers['sec-fetch-site'];
        return createContext({
          db: database.db,
          log: req.log,
          requestId: req.id,
          services,
          ...(options.now ? { now: options.now } : {}),
          token: bearer ?? cookie ?? null,
          request: {
            ip: req.ip,
            userAgent: req.headers['user-agent'] ?? null,
            origin: req.headers.origin ?? null,
            fetchSite: typeof fetchSite === 'string' ? fetchSite : null,
            credential: bearer ? 'bearer' : cookie ? 'cookie' : null,
          },
          cookies: {
            set: (token, expiresAt) => void res.setCookie(cookieName, token, { ...cookieOptions, expires: expiresAt }),
            clear: () => void res.clearCookie(cookieName, cookieOptions),
          },
        });
      },
      // menu.get answers carry the menu's version as an ETag, so browsers and caches in front of
      // Bistro revalidate (If-None-Match → 304) instead of ever showing a stale price.
      responseMeta({ type, paths, errors, data }) {
        if (type !== 'query' || errors.length > 0 || paths?.length !== 1 || paths[0] !== 'menu.get') return {};
        const etag = menuEtagOf(data[0]);
        return etag ? { headers: { etag, 'cache-control': 'no-cache' } } : {};
      },
      onError({ error, path, req }) {
        if (error.code !== 'INTERNAL_SERVER_ERROR') return;
        // Answered 503 UNAVAILABLE by the error formatter: an outage, not a bug in the procedure.
        if (isDatabaseUnavailable(error)) req.log.warn({ err: error.cause ?? error, path }, 'database unavailable');
        else req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  let url = '';
  return {
    app,
    database,
    services,
    get url() {
      return url;
    },
    async start() {
      const address = await app.listen({ port: config.port, host: config.host });
      const { port } = app.server.address() as { port: number };
      url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
      app.log.info({ url, address }, `Bistro is listening on ${url}`);
      return url;
    },
    stop() {
      stopping ??= (async () => {
        app.log.info('shutting down: no new connections, finishing requests in flight');
        const timer = setTimeout(() => {
          app.log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still open after the shutdown timeout; closing their connections');
          app.server.closeAllConnections();
        }, config.shutdownTimeoutMs);
        try {
          const closing = app.close();
          // Closing the socket aborts the subscription's signal: its generator ends and
          // unsubscribes. Requests that end normally are left to finish.
          for (const req of liveStreams) req.raw.socket?.destroy();
          await closing;
        } finally {
          clearTimeout(timer);
          // Emails already being sent (password resets, invitations) go out before the pool closes.
          await Promise.race([backgroundWorkSettled(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
          await database.close();
          await services.close();
        }
        app.log.info('stopped');
      })();
      return stopping;
    },
  };
}

/** The ETag of a menu.get answer (see menuEtag). */
function menuEtagOf(response: unknown): string | undefined {
  const result = (response as { result?: { data?: unknown } } | undefined)?.result?.data;
  const output = (result as { json?: unknown } | undefined)?.json ?? result;
  const location = (output as { location?: { version?: unknown; isOpenNow?: unknown } } | undefined)?.location;
  return typeof location?.version === 'string' ? menuEtag({ version: location.version, isOpenNow: location.isOpenNow === true }) : undefined;
}

/** A request's path without its query string (which holds tRPC inputs), at most 200 characters. */
function pathOf(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/**
 * Closes a new connection at once when its address already holds `max` open ones, so one client
 * can't take every socket (slow bodies are cut by the timeouts; this bounds how many at a time).
 */
function limitConnectionsPerIp(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '';
    const count = (open.get(ip) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(ip, count);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left > 0) open.set(ip, left);
      else open.delete(ip);
    });
  });
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** One log line per request, on completion, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: req.method,
      url: pathOf(req.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
