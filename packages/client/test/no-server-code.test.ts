import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('@bistro/client at run time', () => {
  it('loads no server code (no Kysely, no pg, no Fastify, no zod, no @bistro/api or @bistro/db)', () => {
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
    expect(loaded.some((url) => url.includes('/packages/client/dist/node.js'))).toBe(true);
    // Node has no EventSource of its own: its entry point brings the package.
    expect(loaded.some((url) => url.includes('/node_modules/eventsource/'))).toBe(true);
    const server = loaded.filter((url) => /\/(kysely|pg|pg-pool|fastify|pino|zod|@electric-sql)\/|\/packages\/(api|db|domain)\/|\/apps\//.test(url));
    expect(server).toEqual([]);
  });

  it("carries no eventsource package into a browser bundle, which uses the browser's EventSource", async () => {
    const result = await esbuild.build({
      stdin: { contents: "export { createBistroClient } from '@bistro/client';", resolveDir: root },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    // The browser entry point, not Node's.
    const own = inputs.filter((input) => !input.includes('node_modules/') && /\bdist\/(index|node)\.js$/.test(input));
    expect(own.map((input) => input.split('/').pop())).toEqual(['index.js']);
    expect(inputs.filter((input) => /node_modules\/(eventsource|zod)\//.test(input))).toEqual([]);
  });
});
