import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { receiveWebhook, SandboxProvider, StripeProvider, type Payments, type SandboxWebhook, type Services } from '@bistro/api';
import type { DB } from '@bistro/db';
import type { Config } from './config.js';

/** The payments provider the configuration names; undefined with PAYMENTS_PROVIDER=none (counter only). */
export function createPayments(config: Config, log: FastifyBaseLogger, now: () => Date, selfUrl: () => string): (Payments & { sandbox?: SandboxProvider }) | undefined {
  const p = config.payments;
  if (p.provider === 'none') return undefined;
  if (p.provider === 'stripe') return { provider: new StripeProvider(p.stripeSecretKey, p.stripeWebhookSecret), timeoutMinutes: p.timeoutMinutes, publishableKey: p.stripePublishableKey };
  const sandbox = new SandboxProvider({ secret: sandboxSecret(config, p.sandboxSecret, log), now, deliver: (webhook) => deliverToSelf(selfUrl(), webhook, log) });
  return { provider: sandbox, timeoutMinutes: p.timeoutMinutes, sandbox };
}

/**
 * SANDBOX_SECRET when set (several instances must share one); otherwise one generated into
 * DATA_DIR once and reused, like the development data key. It signs the sandbox's client secrets
 * and webhooks, so it is never logged.
 */
function sandboxSecret(config: Config, configured: string | undefined, log: FastifyBaseLogger): Buffer {
  if (configured) return Buffer.from(configured);
  const file = join(config.dataDir, 'sandbox-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    log.info({ file }, 'payments: the sandbox provider signs its webhooks with a secret generated into DATA_DIR (set SANDBOX_SECRET to share one across instances)');
  }
  return Buffer.from(readFileSync(file, 'utf8').trim());
}

/** The sandbox posts its webhooks over real HTTP to this instance, as a provider would, retrying a few times on a 5xx or a refused connection. */
async function deliverToSelf(baseUrl: string, webhook: SandboxWebhook, log: FastifyBaseLogger): Promise<void> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const response = await fetch(`${baseUrl}/webhooks/payments/sandbox`, { method: 'POST', headers: webhook.headers, body: webhook.body });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch (error) {
      if (attempt === 4) log.warn({ err: error }, 'payments: the sandbox could not deliver a webhook');
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

/**
 * POST /webhooks/payments/:provider, with the body kept as raw bytes (signatures are computed
 * over them): its own scope, so no other route's JSON parsing changes.
 */
export async function registerPaymentWebhooks(app: FastifyInstance, db: () => Kysely<DB>, services: Services, now: () => Date): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { provider: string } }>('/webhooks/payments/:provider', async (req, reply) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await receiveWebhook({ db: db(), services, now, log: req.log }, req.params.provider, { rawBody, headers: req.headers });
      return reply.code(answer.status).send(answer.body);
    });
  });
}
