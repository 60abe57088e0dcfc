/** Bistro itself, as `npm start` would run it against DATABASE_URL; reports its URL to the parent over IPC. */
import { useNamedStatements } from '@bistro/db';
import { createServer } from '@bistro/server';
import { benchConfig } from './shared.js';

// The menu.get "before-prepare" figure: the statement sent unnamed, planned on every call.
if (process.env.BENCH_UNNAMED_STATEMENTS === 'true') useNamedStatements(false);

const server = await createServer(
  benchConfig(process.env.DATABASE_URL, {
    // The ratio lines measure the stack doing the baseline's work: no cache in front of the SQL.
    MENU_CACHE: process.env.MENU_CACHE ?? 'false',
    // Jobs only where a bench measures them (order emails, the newsletter): every part shares one
    // database, and an instance with another part's key would take its jobs and fail to decrypt.
    WORKERS: process.env.BENCH_WORKERS ?? 'false',
    // The newsletter bench takes the pacing out of the way.
    ...(process.env.NEWSLETTER_RATE_PER_MINUTE ? { NEWSLETTER_RATE_PER_MINUTE: process.env.NEWSLETTER_RATE_PER_MINUTE } : {}),
    // A throwaway key unless the parent gives one (instances sharing a database share it).
    BISTRO_DATA_KEYS: process.env.BISTRO_DATA_KEYS,
    // Instances that share events (the kitchen latency bench) share a Redis; the others run alone.
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
    // The orders bench gives Bistro as many connections as its baseline has clients.
    ...(process.env.BENCH_DB_POOL_SIZE ? { DB_POOL_SIZE: process.env.BENCH_DB_POOL_SIZE } : {}),
    // The payments bench: the sandbox provider (refused in production), with a secret the bench signs webhooks with.
    ...(process.env.BENCH_SANDBOX_SECRET ? { NODE_ENV: 'development', PAYMENTS_PROVIDER: 'sandbox', SANDBOX_SECRET: process.env.BENCH_SANDBOX_SECRET } : {}),
    // The reports bench's observability line: metrics on (and tracing, when an endpoint is given).
    ...(process.env.METRICS_TOKEN ? { METRICS_TOKEN: process.env.METRICS_TOKEN } : {}),
    ...(process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? { OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  }),
);
process.send?.({ url: await server.start() });

async function stop(): Promise<void> {
  await server.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
