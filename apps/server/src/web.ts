import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths the web app never answers: the API, photos and the health checks keep their own answers (404s included). */
const RESERVED = /^\/(trpc|media|healthz|readyz|metrics|api|docs|webhooks|reports|r|auth)(\/|\?|$)/;

/**
 * Serves the guest's web app (apps/web's build) at `/`: hashed assets under /assets/ are
 * cached for a year (`immutable`: a new build has new names), index.html is revalidated every
 * time (`no-cache`), and a browser navigating to any other path (a page of the app: /l/…,
 * /track?order=…, /verify-email?token=…) gets index.html, so links and reloads work. Beyond `/`
 * (the app for any client) only navigations get it (Accept: text/html): an API client asking for
 * an unknown path still gets Bistro's NOT_FOUND. Precompressed `.gz` files are sent to browsers that accept gzip.
 * Returns false (and serves nothing) when the folder holds no build.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<boolean> {
  const indexPath = join(webDir, 'index.html');
  if (!existsSync(indexPath)) return false;
  const indexHtml = readFileSync(indexPath);

  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    // Files are routed one by one at start-up (the build does not change while serving), so the
    // fallback below owns every other path.
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
    // The Vite manifest is a build file, not part of the site.
    allowedPath: (path) => !path.startsWith('/.vite/'),
  });

  const index = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  const sendIndex = (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?', 1)[0] ?? '/';
    if (RESERVED.test(path) || !req.headers.accept?.includes('text/html')) return reply.callNotFound();
    return index(reply);
  };
  // The front door is the app for everyone (a plain `curl localhost:3000` too); deeper paths only for browsers.
  app.get('/', (_req, reply) => index(reply));
  app.get('/*', sendIndex);
  return true;
}
