import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Bus, Telemetry } from '@bistro/api';

/**
 * Bistro's Prometheus metrics, in a registry of its own per server (two servers in one process,
 * as in tests, never share counters). Every label is bounded: procedure paths (only the router's
 * own reach the middleware), Bistro codes (a fixed list), route patterns (never URLs), the
 * dependency names. Never an id, a slug or a user.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'procedure' | 'type' | 'code'>;
  private readonly latency: Histogram<'procedure'>;
  private readonly errors: Counter<'bistro_code'>;
  private readonly http: Counter<'route' | 'method' | 'status'>;
  private readonly busLag: Histogram;
  private probeTimer: NodeJS.Timeout | undefined;
  private unsubscribeProbe: (() => void) | undefined;

  constructor(sources: {
    pool: () => pg.Pool | undefined;
    liveFeeds: () => number;
    /** Each dependency: true when it answers now (asked at scrape time, with a short timeout). */
    dependencies: () => Promise<Record<string, boolean | undefined>>;
    /** Background jobs by task and state (created, retry, active, completed, failed …), read at scrape time. */
    jobs?: () => Promise<{ task: string; state: string; count: number }[]>;
  }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.calls = new Counter({
      name: 'bistro_procedure_calls_total',
      help: 'tRPC procedure calls by procedure, type and answer (OK or the Bistro code)',
      labelNames: ['procedure', 'type', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: 'bistro_procedure_duration_seconds',
      help: 'Time from a procedure call reaching its middlewares to its answer',
      labelNames: ['procedure'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({ name: 'bistro_errors_total', help: 'Refused or failed calls by Bistro code', labelNames: ['bistro_code'], registers });
    this.http = new Counter({
      name: 'bistro_http_requests_total',
      help: 'HTTP requests by route pattern, method and status class',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    new Gauge({
      name: 'bistro_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting: callers queued for a connection)',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sources.pool();
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'bistro_live_feed_subscribers',
      help: 'Open live feeds (kitchen tickets and order status, server-sent events)',
      registers,
      collect() {
        this.set(sources.liveFeeds());
      },
    });
    new Gauge({
      name: 'bistro_dependency_up',
      help: 'Whether a dependency answers now: 1 up, 0 down (database, migrations, redis when configured)',
      labelNames: ['dependency'],
      registers,
      async collect() {
        for (const [dependency, up] of Object.entries(await sources.dependencies())) {
          if (up !== undefined) this.set({ dependency }, up ? 1 : 0);
        }
      },
    });
    this.busLag = new Histogram({
      name: 'bistro_bus_deliver_lag_seconds',
      help: 'Publish-to-deliver time of a probe message sent through the bus (Redis pub/sub when configured) every 15 s',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    new Gauge({
      name: 'bistro_jobs',
      help: 'Background jobs by task and state: the queue depth (created, retry), running (active) and failed jobs kept',
      labelNames: ['task', 'state'],
      registers,
      async collect() {
        if (!sources.jobs) return;
        this.reset();
        // The database may be down (bistro_dependency_up says so): then the scrape goes on without these.
        const counts = await sources.jobs().catch(() => []);
        for (const { task, state, count } of counts) this.set({ task, state }, count);
      },
    });
  }

  /** The telemetry procedures report to (tracing wraps each call when it is on). */
  telemetry(trace: Telemetry['trace']): Telemetry {
    return {
      trace,
      procedureEnded: ({ path, type, code, seconds }) => {
        this.calls.inc({ procedure: path, type, code });
        this.latency.observe({ procedure: path }, seconds);
        if (code !== 'OK') this.errors.inc({ bistro_code: code });
      },
    };
  }

  /** A finished HTTP request; `route` is the route pattern Fastify matched (or `unmatched`). */
  requestEnded(route: string | undefined, method: string, statusCode: number): void {
    this.http.inc({ route: route ?? 'unmatched', method, status: `${Math.floor(statusCode / 100)}xx` });
  }

  /** An error answered outside tRPC (CSV downloads), by its Bistro code. */
  errorAnswered(code: string): void {
    this.errors.inc({ bistro_code: code });
  }

  /**
   * Sends a probe through the bus now and every 15 s and times its delivery back to this
   * instance: the same path (Redis pub/sub) a kitchen screen's doorbell takes, on one clock.
   */
  probeBus(bus: Bus): void {
    const topic = `metrics:probe:${randomUUID()}`;
    this.unsubscribeProbe = bus.subscribe(
      topic,
      (message) => {
        const sent = Number(message);
        if (Number.isFinite(sent)) this.busLag.observe((performance.now() - sent) / 1000);
      },
      () => bus.publish(topic, String(performance.now())),
    );
    this.probeTimer = setInterval(() => bus.publish(topic, String(performance.now())), 15_000).unref();
  }

  async metrics(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    clearInterval(this.probeTimer);
    this.unsubscribeProbe?.();
    this.registry.clear();
  }
}

/** Compares a presented bearer token with METRICS_TOKEN in constant time (hashes first: equal lengths). */
export function metricsTokenMatches(expected: string, authorization: string | undefined): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
