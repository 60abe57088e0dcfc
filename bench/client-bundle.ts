/**
 * What @bistro/client weighs in a browser: esbuild bundles an app's import of it for the
 * browser (the package's `default` entry, whose live feeds use the browser's EventSource),
 * minified, and the output is gzipped. "own" is the client's code with @trpc/client and
 * superjson left out; "with" counts them too. Budgets: own < 3 kB, with < 20 kB.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const APP = "export { createBistroClient, bistroErrorCode, bistroFieldErrors, isBistroClientError, formatMoney, money, ERROR_CODES } from '@bistro/client';";

async function gzippedKb(external: string[]): Promise<number> {
  const result = await esbuild.build({
    stdin: { contents: APP, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    external,
    write: false,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length / 1024;
}

export async function benchClientBundle(): Promise<string> {
  const own = await gzippedKb(['@trpc/client', '@trpc/server', 'superjson']);
  const all = await gzippedKb([]);
  const over = own >= 3 || all >= 20 ? ', OVER BUDGET' : '';
  return `client bundle: own ${own.toFixed(1)} kB gzip, with @trpc/client and superjson ${all.toFixed(1)} kB gzip (budget 3 / 20${over})`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchClientBundle());
