import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { createMailer, Limiter, Passwords, type Services } from '@bistro/api';
import type { Config } from './config.js';

export interface RunningServices extends Services {
  close(): Promise<void>;
}

/** The long-lived helpers every request shares: hashing, throttling (Redis if configured), email. */
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
  if (!config.smtpUrl) log.info('SMTP_URL is not set: emails are printed to this log instead of sent');
  return {
    passwords: new Passwords(),
    limiter: new Limiter(redis),
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log }),
    settings: { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins },
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
