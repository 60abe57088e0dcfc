import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { createMailer, InProcessBus, Limiter, MenuCache, Passwords, type Bus, type MediaStorage, type Services } from '@bistro/api';
import type { Config } from './config.js';
import { createMediaStorage, S3MediaStorage } from './media.js';
import { RedisBus } from './redis-bus.js';

export interface RunningServices extends Services {
  bus: Bus;
  media: MediaStorage;
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
  return {
    bus,
    ...(config.menuCache ? { menuCache: new MenuCache(bus) } : {}),
    passwords: new Passwords(),
    limiter: new Limiter(redis),
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log }),
    settings: { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins },
    media,
    async close() {
      if (media instanceof S3MediaStorage) await media.close();
      if (bus instanceof RedisBus) await bus.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
