import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { createMailer, DataKeys, InProcessBus, Limiter, MenuCache, Passwords, SessionCache, type Bus, type MediaStorage, type Services } from '@bistro/api';
import type { Config } from './config.js';
import { createMediaStorage, S3MediaStorage } from './media.js';
import { RedisBus } from './redis-bus.js';

export interface RunningServices extends Services {
  bus: Bus;
  media: MediaStorage;
  /** Whether Redis answers a PING now; undefined without REDIS_URL. */
  redisUp: (() => Promise<boolean>) | undefined;
  close(): Promise<void>;
}

/** The long-lived helpers every request shares: the bus and menu cache, hashing, throttling (Redis if configured), email. */
export function createServices(config: Config, log: FastifyBaseLogger): RunningServices {
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        // Fail fast rather than queue: the limiter falls back to memory while Redis is away.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
      })
    : undefined;
  redis?.on('error', (error: Error) => log.warn({ err: error }, 'redis error'));
  const bus = config.redisUrl ? new RedisBus(config.redisUrl, log) : new InProcessBus();
  const media = createMediaStorage(config);
  if (!config.smtpUrl) log.info('SMTP_URL is not set: emails are printed to this log instead of sent');
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log });
  return {
    bus,
    dataKeys: loadDataKeys(config, log),
    sessionCache: new SessionCache(bus),
    ...(config.menuCache ? { menuCache: new MenuCache(bus) } : {}),
    passwords: new Passwords(),
    limiter: new Limiter(redis),
    mailer,
    settings: { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins },
    newsletter: { ratePerMinute: config.newsletterRatePerMinute },
    media,
    redisUp: redis
      ? async () => {
          try {
            return (await Promise.race([redis.ping(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref())])) === 'PONG';
          } catch {
            return false;
          }
        }
      : undefined,
    async close() {
      // Called once the jobs and requests are done: no email is left in flight.
      await mailer.close?.();
      if (media instanceof S3MediaStorage) await media.close();
      if (bus instanceof RedisBus) await bus.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * BISTRO_DATA_KEYS when set. Outside production a key is generated once into DATA_DIR and
 * reused, so development data stays readable across restarts; production refuses to start
 * without one (config.ts).
 */
function loadDataKeys(config: Config, log: FastifyBaseLogger): DataKeys {
  if (config.dataKeys) return DataKeys.parse(config.dataKeys);
  const file = join(config.dataDir, 'data-keys');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${DataKeys.generateSpec('dev1')}\n`, { mode: 0o600 });
    log.warn({ file }, 'BISTRO_DATA_KEYS is not set: generated a development key for personal data (never use this in production)');
  }
  return DataKeys.parse(readFileSync(file, 'utf8').trim());
}
