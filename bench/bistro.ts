/** Bistro itself, as `npm start` would run it against DATABASE_URL; reports its URL to the parent over IPC. */
import { randomBytes } from 'node:crypto';
import { createServer, loadConfig } from '@bistro/server';

const server = await createServer(
  loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    NODE_ENV: 'production',
    // Production requires SMTP; nothing here sends email, so the address is never dialled.
    SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
    // The ratio lines measure the stack doing the baseline's work: no cache in front of the SQL.
    MENU_CACHE: process.env.MENU_CACHE ?? 'false',
    // Production needs a key for personal data at rest; a throwaway one suits a throwaway database.
    BISTRO_DATA_KEYS: process.env.BISTRO_DATA_KEYS ?? `k1:${randomBytes(32).toString('base64')}`,
    // Instances that share events (the kitchen latency bench) share a Redis; the others run alone.
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
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
