import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { appRouter, backgroundWorkSettled, jobCounts, type Payments, cachedMenuAnswer, createContext, menuEtag, receiptHtml, type AppRouter, type Telemetry } from '@bistro/api';
import { startJobs } from './jobs.js';
import { connectionFailure, isDatabaseUnavailable, isMigrated } from '@bistro/db';
import { MAX_BATCH_SIZE } from '@bistro/domain';
import type { Config } from './config.js';
import { openDatabase, type OpenDatabase } from './database.js';
import { createServices, type RunningServices } from './services.js';
import { MAX_UPLOAD_BODY_BYTES, registerMedia, registerUploadLimit } from './media.js';
import { refusalOptions, registerRefusals } from './refusals.js';
import { createPayments, registerPaymentWebhooks } from './payments.js';
import { registerReportDownloads } from './report-downloads.js';
import { Metrics, metricsTokenMatches } from './metrics.js';
import { startTracing } from './tracing.js';
import { registerOidc } from './oidc.js';
import { registerRest } from './rest.js';
import { registerWebApp } from './web.js';
import { registerNewsletterUnsubscribe } from './newsletter.js';

export interface BistroServer {
  app: FastifyInstance;
  /** The payments provider, when one is configured (tests drive the sandbox through it). */
  payments: Payments | undefined;
  database: OpenDatabase;
  services: RunningServices;
  /** Starts listening; resolves to the base URL (`http://127.0.0.1:54321`). */
  start(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the pool. */
  stop(): Promise<void>;
  /** The base URL once started. */
  readonly url: string;
  /** `http://host:port/metrics` when METRICS_PORT is set and the server started; '' otherwise. */
  readonly metricsUrl: string;
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
  // Fastify 5 leaves Node's limits off; a public server needs them. None of them cuts a live
  // feed: the request and headers timeouts end once the request has arrived (a feed's GET
  // arrives at once), and the feed pings every 15 s, well within the idle timeout.
  const httpOptions = {
    headersTimeout: config.timeouts.headersMs,
    requestTimeout: config.timeouts.requestMs,
    // Node checks the two timeouts above on this interval (30 s by default).
    connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(config.timeouts.headersMs / 4))),
  };
  // The front door (see `door.answer` below): set once the services exist.
  const door: { answer?: (req: IncomingMessage, res: ServerResponse) => boolean } = {};
  const app = Fastify({
    // The HTTP/1 server Fastify would make, with Node's limits and timeouts set (above), and the
    // front door before Fastify's handler.
    serverFactory: (handler) => {
      const server = createHttpServer(httpOptions, (req, res) => {
        if (!door.answer?.(req, res)) handler(req, res);
      });
      server.keepAliveTimeout = config.timeouts.keepAliveMs;
      server.requestTimeout = config.timeouts.requestMs;
      server.setTimeout(config.timeouts.idleMs);
      return server;
    },
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
  // The process edge: procedures, jobs and payments share one clock (tests pass a fixed one).
  // eslint-disable-next-line no-restricted-syntax
  const clock = options.now ?? (() => new Date());
  // Payments (issue 14): the provider and its webhooks (raw body); expiry is a scheduled job.
  let url = '';
  const payments = createPayments(config, app.log, clock, () => url);
  if (payments) services.payments = payments;
  try {
    services.jobs = await startJobs(config, database, services, app.log, clock);
  } catch (error) {
    await database.close();
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

  /**
   * A request's context. `credentials: 'bearer'` (REST) reads only the Authorization header:
   * without cookies, no page of another site can act with a browser's session there (no CSRF).
   */
  const contextFor = (req: FastifyRequest, res: FastifyReply, credentials: 'any' | 'bearer') => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = credentials === 'any' ? req.cookies[cookieName] : undefined;
    const fetchSite = req.headers['sec-fetch-site'];
    return createContext({
      db: requestDb,
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
        set: (token: string, expiresAt: Date) => void res.setCookie(cookieName, token, { ...cookieOptions, expires: expiresAt }),
        clear: () => void res.clearCookie(cookieName, cookieOptions),
      },
    });
  };

  registerRefusals(app, '/trpc');

  /** The cached menu a `/trpc/menu.get?…` URL asks for (alone or as a batch of one), if the cache holds it. */
  const cachedMenuFor = (url: string) => {
    if (!url.startsWith('/trpc/menu.get?')) return undefined;
    const query = new URLSearchParams(url.slice('/trpc/menu.get?'.length));
    const batch = query.get('batch');
    if (batch !== null && batch !== '1') return undefined;
    // The process edge: the same clock createContext gives procedures (tests pass a fixed one).
    // eslint-disable-next-line no-restricted-syntax
    return cachedMenuAnswer(services, query.get('input'), options.now?.() ?? new Date(), batch === '1');
  };

  // A cached menu is answered before tRPC: its bytes are kept per menu version (and open/closed),
  // so the hottest read skips routing, validation and serialization. Alone or as a batch of one
  // (as the SDK sends it); anything else (not cached, a bad input, a longer batch) goes on to
  // tRPC, which answers it and fills the cache. Usually the front door below answers it before
  // Fastify; this hook does when the front door stands aside (tracing, shutting down).
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET') return;
    const answer = cachedMenuFor(req.url);
    if (!answer) return;
    reply.header('etag', answer.etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === answer.etag) return reply.code(304).send('');
    return reply.type('application/json').send(answer.body);
  });

  registerMedia(app, services.media);
  if (!(await registerWebApp(app, config.webDir))) app.log.info({ webDir: config.webDir }, 'no web app build found; / serves nothing (npm start builds it)');
  registerUploadLimit(app, '/trpc');
  await registerPaymentWebhooks(app, () => database.db, services, clock);
  await registerNewsletterUnsubscribe(app, () => database.db, clock);
  // The receipt (linked from the confirmation email): HTML, printable, no JavaScript. An unknown
  // or wrong token is the same 404 as a malformed one.
  app.get<{ Params: { token: string } }>('/r/:token', async (req, reply) => {
    const html = await receiptHtml({ db: database.db, services }, req.params.token);
    reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    if (html === null) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return reply.type('text/html; charset=utf-8').send(html);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  /**
   * Each dependency now: the database (reachable?), its migrations (all applied?) and Redis when
   * configured. Names and states only: never a URL, a host or an error message.
   */
  const checkDependencies = async (): Promise<DependencyChecks> => {
    const redis = services.redisUp ? ((await services.redisUp()) ? 'ok' : 'unreachable') : undefined;
    try {
      const ask = () => withTimeout(isMigrated(database.db), 2_000);
      // A pooled connection that died in an outage fails once and is dropped: asked again, like a
      // query procedure (retryLostQuery), so a database that is back is reported back.
      const migrated = await ask().catch((error: unknown) => {
        if (connectionFailure(error) === 'lost') return ask();
        throw error;
      });
      return { database: 'ok', migrations: migrated ? 'ok' : 'pending', ...(redis ? { redis } : {}) };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check: the database did not answer');
      return { database: 'unreachable', migrations: 'unknown', ...(redis ? { redis } : {}) };
    }
  };
  app.get('/readyz', async (_req, reply) => {
    const checks = await checkDependencies();
    const reason =
      checks.database !== 'ok' ? 'database unreachable' : checks.migrations !== 'ok' ? 'database not migrated' : checks.redis === 'unreachable' ? 'redis unreachable' : undefined;
    if (reason) return reply.code(503).send({ status: 'unavailable', reason, checks });
    return { status: 'ok', checks };
  });

  // Metrics only when someone is meant to read them: a token, or a port of their own.
  const metrics =
    config.metrics.token !== undefined || config.metrics.port !== undefined
      ? new Metrics({
          pool: () => database.pool,
          liveFeeds: () => liveStreams.size,
          // Task names are the fixed list in jobs/tasks.ts and states pg-boss's own: bounded labels.
          jobs: () => jobCounts(database.db),
          dependencies: async () => {
            const checks = await checkDependencies();
            return {
              database: checks.database === 'ok',
              migrations: checks.migrations === 'ok' ? true : checks.migrations === 'pending' ? false : undefined,
              redis: checks.redis === undefined ? undefined : checks.redis === 'ok',
            };
          },
        })
      : undefined;
  const tracing = await startTracing(config, app.log);
  if (metrics || tracing) {
    const trace: Telemetry['trace'] = tracing?.trace ?? ((_name, _requestId, run) => run());
    services.telemetry = metrics ? metrics.telemetry(trace) : { trace, procedureEnded: () => {} };
  }
  if (tracing) {
    // The request's span; its trace id joins the request's log lines (and the span carries the request id).
    const ends = new WeakMap<FastifyRequest, (route: string | undefined, statusCode: number) => void>();
    app.addHook('onRequest', async (req, reply) => {
      const started = tracing.startRequest(req.id, req.method);
      ends.set(req, (route, statusCode) => started.end(route, statusCode));
      req.log = reply.log = req.log.child({ traceId: started.traceId });
    });
    app.addHook('onResponse', async (req, reply) => ends.get(req)?.(req.routeOptions.url, reply.statusCode));
  }
  const requestDb = tracing ? database.db.withPlugin(tracing.sqlPlugin) : database.db;
  if (metrics) {
    metrics.probeBus(services.bus);
    app.addHook('onResponse', async (req, reply) => metrics.requestEnded(req.routeOptions.url, req.method, reply.statusCode));
  }
  // On the main port only with the token (401 otherwise); without a token, /metrics is not there.
  const metricsToken = config.metrics.token;
  if (metrics && metricsToken !== undefined) {
    app.get('/metrics', async (req, reply) => {
      if (!metricsTokenMatches(metricsToken, req.headers.authorization)) {
        return reply.code(401).send({ error: { bistroCode: 'UNAUTHORIZED', message: 'Send the metrics token as a bearer token' } });
      }
      const { contentType, body } = await metrics.metrics();
      return reply.type(contentType).send(body);
    });
  }
  let metricsServer: HttpServer | undefined;
  let metricsUrl = '';

  /**
   * The front door: a cached menu.get answered straight from node:http, before Fastify. It is
   * Friday night's hottest read (every guest's phone, every refresh) and costs nothing but its
   * bytes, so Fastify's routing and hooks would be most of its price. It keeps what they give it:
   * the request id (given or new) in a header and in the one log line, the same headers, body and
   * ETag/304 as the hook above (tested), and the request counted in the metrics. It stands aside
   * while tracing (a span per request) and once shutting down (Fastify answers 503 and closes
   * connections then).
   */
  const logRequests = ['trace', 'debug', 'info'].includes(app.log.level);
  door.answer = (req, res) => {
    if (req.method !== 'GET' || tracing || stopping || req.url === undefined) return false;
    const answer = cachedMenuFor(req.url);
    if (!answer) return false;
    const started = logRequests ? performance.now() : 0;
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const notModified = req.headers['if-none-match'] === answer.etag;
    const status = notModified ? 304 : 200;
    res.writeHead(status, {
      etag: answer.etag,
      'cache-control': 'no-cache',
      'content-type': 'application/json; charset=utf-8',
      'content-length': notModified ? 0 : answer.body.length,
      'x-request-id': requestId,
    });
    res.end(notModified ? undefined : answer.body);
    metrics?.requestEnded('/trpc/:path', 'GET', status);
    if (logRequests) app.log.info({ requestId, method: 'GET', url: '/trpc/menu.get', status, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request completed');
    return true;
  };

  registerReportDownloads(app, (req, res) => contextFor(req, res, 'any'), metrics);
  await registerRest(app, { createContext: (req, reply) => contextFor(req, reply, 'bearer'), publicUrl: config.publicUrl });
  if (config.oidc) {
    registerOidc(app, {
      oidc: config.oidc,
      publicUrl: config.publicUrl,
      createContext: (req, reply) => contextFor(req, reply, 'bearer'),
      setSession: (reply, token, expiresAt) => void reply.setCookie(cookieName, token, { ...cookieOptions, expires: expiresAt }),
    });
  }

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      // Only a photo upload (multipart) is read this way; JSON bodies keep Fastify's own limit.
      maxBodySize: MAX_UPLOAD_BODY_BYTES,
      // Refused earlier with BATCH_TOO_LARGE (refusals.ts); tRPC's own check stays as a backstop.
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, res }) => contextFor(req, res, 'any'),
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

  return {
    app,
    payments,
    database,
    services,
    get url() {
      return url;
    },
    get metricsUrl() {
      return metricsUrl;
    },
    async start() {
      const address = await app.listen({ port: config.port, host: config.host });
      const { port } = app.server.address() as { port: number };
      url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
      app.log.info({ url, address }, `Bistro is listening on ${url}`);
      if (payments) {
        app.log.info({ provider: payments.provider.name, timeoutMinutes: payments.timeoutMinutes }, `payments: online orders go through the ${payments.provider.name} provider`);
      }
      if (metrics && config.metrics.port !== undefined) {
        metricsServer = serveMetrics(metrics, config.metrics.token);
        await new Promise<void>((resolve, reject) => {
          metricsServer?.once('error', reject).listen(config.metrics.port, config.host, () => resolve());
        });
        const { port: metricsPort } = metricsServer.address() as { port: number };
        metricsUrl = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${metricsPort}/metrics`;
        app.log.info({ url: metricsUrl }, 'metrics are served on their own port');
      }
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
          await payments?.sandbox?.settled();
          // Running jobs get the shutdown timeout to finish; one still running is left to expire
          // and be taken over by another worker.
          await services.jobs?.stop(config.shutdownTimeoutMs);
          await database.close();
          await services.close();
          if (metricsServer) await new Promise((resolve) => metricsServer?.close(resolve));
          metrics?.close();
          await tracing?.shutdown();
        }
        app.log.info('stopped');
      })();
      return stopping;
    },
  };
}

export interface DependencyChecks {
  database: 'ok' | 'unreachable';
  migrations: 'ok' | 'pending' | 'unknown';
  /** Only when REDIS_URL is set. */
  redis?: 'ok' | 'unreachable';
}

/** /metrics alone on a port of its own (METRICS_PORT), still behind the token when one is set. */
function serveMetrics(metrics: Metrics, token: string | undefined): HttpServer {
  return createHttpServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (token !== undefined && !metricsTokenMatches(token, req.headers.authorization)) {
      res.writeHead(401).end();
      return;
    }
    metrics.metrics().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
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
