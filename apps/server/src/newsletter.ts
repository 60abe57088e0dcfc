import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { BistroError, unsubscribeByToken } from '@bistro/api';
import type { DB } from '@bistro/db';
import { tokenSchema } from '@bistro/domain';

/**
 * RFC 8058 one-click unsubscribe: a mail client's "Unsubscribe" button POSTs
 * `List-Unsubscribe=One-Click` to the https link of the `List-Unsubscribe` header, without
 * cookies or sign-in. 200 whether this unsubscribed them or they already were (idempotent);
 * 400 for a malformed or unknown token. A GET of the same address is the web app's page (which
 * asks before unsubscribing: link scanners follow GETs), so the path is not reserved in web.ts.
 */
export async function registerNewsletterUnsubscribe(app: FastifyInstance, db: () => Kysely<DB>, now: () => Date): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The body says only "List-Unsubscribe=One-Click" (form-encoded or multipart): read and ignored.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4 * 1024 }, (_req, body, done) => done(null, body));
    scope.post<{ Querystring: { token?: string } }>('/newsletter/unsubscribe', async (req, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const token = tokenSchema.safeParse(req.query.token);
      if (!token.success) return reply.code(400).type('text/plain; charset=utf-8').send('Not a valid unsubscribe link');
      try {
        await unsubscribeByToken(db(), token.data, now());
      } catch (error) {
        if (error instanceof BistroError && error.bistroCode === 'TOKEN_INVALID') return reply.code(400).type('text/plain; charset=utf-8').send('Not a valid unsubscribe link');
        throw error;
      }
      return reply.type('text/plain; charset=utf-8').send('Unsubscribed');
    });
  });
}
