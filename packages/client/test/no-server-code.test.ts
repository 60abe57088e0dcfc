import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('@bistro/client at run time', () => {
  it('loads no server code (no Kysely, no pg, no Fastify, no @bistro/api or @bistro/db)', () => {
    // A plain Node process (the built package, as a consumer gets it) records every module
    // it loads while importing the client.
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r; } });
      const client = await import('@bistro/client');
      if (typeof client.createBistroClient !== 'function') throw new Error('no createBistroClient');
      console.log(JSON.stringify(loaded));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const loaded = JSON.parse(out) as string[];
    expect(loaded.some((url) => url.includes('/packages/client/dist/'))).toBe(true);
    const server = loaded.filter((url) => /\/(kysely|pg|pg-pool|fastify|pino|@electric-sql)\/|\/packages\/(api|db)\/|\/apps\//.test(url));
    expect(server).toEqual([]);
  });
});
