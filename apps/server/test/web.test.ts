import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

// A build as apps/web's Vite writes it: index.html, hashed assets (with .gz beside them), a manifest.
const dir = mkdtempSync(join(tmpdir(), 'bistro-web-'));
const INDEX = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-Ab12Cd34.js"></script></body></html>';
const SCRIPT = `console.log(${JSON.stringify('bistro '.repeat(200))});`;
mkdirSync(join(dir, 'assets'));
mkdirSync(join(dir, '.vite'));
writeFileSync(join(dir, 'index.html'), INDEX);
writeFileSync(join(dir, 'assets/index-Ab12Cd34.js'), SCRIPT);
writeFileSync(join(dir, 'assets/index-Ab12Cd34.js.gz'), gzipSync(SCRIPT));
writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(dir, '.vite/manifest.json'), '{"secret-ish":"build detail"}');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ WEB_DIR: dir, LOG_LEVEL: process.env.DEBUG_WEB ? 'error' : 'silent', LOG_FORMAT: 'json' });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const page = (path: string) => fetch(`${t.url}${path}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });

describe('the web app served at /', () => {
  it('serves index.html at / and for any page of the app, never cached without revalidation', async () => {
    for (const path of ['/', '/l/bistro-centrale', '/track?order=abc', '/verify-email?token=x', '/account/orders']) {
      const response = await page(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
      expect(await response.text(), path).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable for a year, gzipped for browsers that take it', async () => {
    const plain = await fetch(`${t.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);
    // fetch decodes gzip itself: the header and the smaller length prove the .gz was sent.
    const zipped = await fetch(`${t.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(SCRIPT.length);
    expect(await zipped.text()).toBe(SCRIPT);
    // Files outside /assets/ have stable names: revalidated.
    expect((await fetch(`${t.url}/favicon.svg`)).headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves /trpc, /media, /healthz and /readyz alone, their 404s included', async () => {
    expect(await (await page('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await page('/readyz')).status).toBe(200);
    const locations = await fetch(`${t.url}/trpc/locations.list`);
    expect(locations.status).toBe(200);
    for (const path of ['/trpc/no.such.procedure', '/trpc', '/media/missing.webp', '/media/', '/healthz/extra']) {
      const response = await page(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
      const body = await response.text();
      expect(body, path).not.toContain('<!doctype');
      if (!path.startsWith('/media')) expect(body, path).toContain('"bistroCode":"NOT_FOUND"');
    }
  });

  it('answers an API client (not a browser navigation) at an unknown path with NOT_FOUND (at / the app), and never serves the build manifest', async () => {
    // The front door is the app whatever the client asks for (curl sends Accept: */*).
    const door = await fetch(`${t.url}/`, { headers: { accept: '*/*' } });
    expect({ status: door.status, type: door.headers.get('content-type'), body: await door.text() }).toEqual({ status: 200, type: 'text/html; charset=utf-8', body: INDEX });
    const api = await fetch(`${t.url}/admin/extra`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { bistroCode: 'NOT_FOUND', message: 'Not found' } });
    const manifest = await fetch(`${t.url}/.vite/manifest.json`);
    expect(manifest.status).toBe(404);
    expect(await manifest.text()).not.toContain('build detail');
  });
});

describe('without a web build', () => {
  it('starts all the same and answers / with NOT_FOUND', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bistro-noweb-'));
    const bare = await startTestServer({ WEB_DIR: empty });
    try {
      expect((await fetch(`${bare.url}/`, { headers: { accept: 'text/html' } })).status).toBe(404);
      expect((await fetch(`${bare.url}/healthz`)).status).toBe(200);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
