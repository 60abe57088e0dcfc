/**
 * How @bistro/client is built (scripts/build.ts runs it once, scripts/dev.ts on every change):
 *
 * - `dist/index.js` (browsers and other runtimes) and `dist/node.js` (the `node` export
 *   condition), bundled by esbuild with the little of @bistro/domain they use (error codes,
 *   money), so the package depends on no unpublished workspace package. `@trpc/client`,
 *   `superjson` and (node.js only) `eventsource` stay imports.
 * - `dist/index.d.ts`, ONE self-contained declaration file, bundled by rollup-plugin-dts from
 *   tsc's declarations of src/ with @bistro/api, @bistro/domain and @bistro/db inlined: only the declarations
 *   the client's types reach (the router as a client sees it: packages/api/src/client-types.ts),
 *   so no server context, Kysely, pino or Node types. rollup-plugin-dts because it inlines chosen
 *   packages and tree-shakes them per declaration on top of tsc's own output (API Extractor
 *   refuses to inline `import()` types of other packages well, and generating types by hand
 *   would be a second printer of TypeScript types to maintain).
 * - A check that fails the build when the declarations import anything but the allowed peers
 *   (a missing module silently turns a consumer's whole client into `any` under skipLibCheck).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { rollup, type Plugin } from 'rollup';
import { dts } from 'rollup-plugin-dts';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dist = `${packageDir}dist/`;

/** What the published declarations may import: tRPC's own types and nothing else. */
export const ALLOWED_TYPE_IMPORTS = ['@trpc/client', '@trpc/server', '@trpc/server/unstable-core-do-not-import'];

export async function clean(): Promise<void> {
  await Promise.all([rm(dist, { recursive: true, force: true }), rm(`${packageDir}build`, { recursive: true, force: true })]);
}

export async function buildJs(): Promise<void> {
  const { metafile } = await esbuild.build({
    absWorkingDir: packageDir,
    entryPoints: { index: 'src/index.ts', node: 'src/node.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // @bistro/domain is bundled from its source; these are the package's real dependencies.
    conditions: ['@bistro/source'],
    mainFields: ['module', 'main'],
    external: ['@trpc/client', '@trpc/server', 'superjson', 'eventsource'],
    chunkNames: 'shared-[hash]',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // Only the client's own code and @bistro/domain's may be inlined: a stray import (zod, say,
  // through a schema a bundler cannot drop) would ship a library to every browser.
  const inlined = Object.values(metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .filter(([input, { bytesInOutput }]) => bytesInOutput > 0 && !/^(src\/|\.\.\/domain\/src\/)/.test(input))
    .map(([input]) => input);
  if (inlined.length > 0) throw new Error(`@bistro/client's bundle would carry ${inlined.join(', ')}`);
  // Chunks of earlier builds (watch mode) would otherwise be packed too.
  const written = new Set(Object.keys(metafile.outputs).map((output) => output.replace(/^dist\//, '')));
  for (const file of await readdir(dist)) {
    if (/^shared-.*\.js(\.map)?$/.test(file) && !written.has(file)) await rm(`${dist}${file}`);
  }
}

/**
 * Node's typings name the global FormData through `undici-types`; a client means the global one,
 * which its own environment declares (the DOM library, or @types/node).
 */
const globalFormData: Plugin = {
  name: 'global-form-data',
  resolveId: (source) => (source === 'undici-types' ? `${packageDir}scripts/undici-types.d.ts` : null),
};

/** tsc's declarations of src/ (tsconfig.build.json, into build/types), which buildTypes() bundles. */
export const TSC_DECLARATIONS = ['-p', `${packageDir}tsconfig.build.json`, '--emitDeclarationOnly', '--declarationMap', 'false', '--outDir', `${packageDir}build/types`];

export async function buildTypes(): Promise<void> {
  const bundle = await rollup({
    // Declarations tsc wrote (rollup-plugin-dts could compile src/ itself, but a fresh program at
    // every bundle costs three times as long, which the watch mode would pay at every change).
    input: `${packageDir}build/types/index.d.ts`,
    plugins: [
      globalFormData,
      dts({
        tsconfig: `${packageDir}tsconfig.build.json`,
        // Types of the workspace packages are inlined; tRPC's stay imports of the peers.
        includeExternal: ['@bistro/api', '@bistro/domain', '@bistro/db'],
      }),
    ],
    // Anything else stays an import here (most are dropped with the declarations that are not
    // reached); checkTypes() then refuses any import but the allowed ones.
    external: (id) => !/^(@bistro\/|\.|\/|\0)/.test(id) && id !== 'undici-types',
  });
  await bundle.write({ file: `${dist}index.d.ts`, format: 'es' });
  await bundle.close();
  await checkTypes();
}

/** The modules the published declarations import; anything not allowed fails the build. */
export async function checkTypes(): Promise<void> {
  const text = await readFile(`${dist}index.d.ts`, 'utf8');
  const imported = new Set([...text.matchAll(/^(?:import|export)\b[^'"\n]*\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2])!));
  const refused = [...imported].filter((name) => !ALLOWED_TYPE_IMPORTS.includes(name));
  const references = [...text.matchAll(/\/\/\/\s*<reference[^>]*>/g)].map((m) => m[0]);
  if (refused.length > 0 || references.length > 0) {
    throw new Error(
      `dist/index.d.ts must be self-contained, but imports ${[...refused, ...references].join(', ')}. ` +
        'A type a client sees must not be written with server or zod types (e.g. z.infer): write it out in @bistro/domain.',
    );
  }
}
