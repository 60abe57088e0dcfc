import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import optimizeLocales from '@react-aria/optimize-locales-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Where `npm run dev` sends API calls and photos: a Bistro started with `npm start`. */
const api = process.env.BISTRO_URL ?? 'http://localhost:3000';

/**
 * Writes `file.gz` beside every script, style sheet and page of the build, so the server sends
 * them compressed (@fastify/static's preCompressed) without compressing on every request.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'bistro-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const walk = async (dir: string): Promise<string[]> =>
        (await readdir(dir, { withFileTypes: true })).flatMap((entry) => (entry.isDirectory() ? [] : [join(dir, entry.name)])).concat(
          ...(await Promise.all((await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => walk(join(dir, e.name))))),
        );
      for (const file of await walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        await writeFile(`${file}.gz`, gzipSync(await readFile(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  // The app speaks English: React Aria's own strings (drag and drop, grids, dialogs) for its
  // other 30-odd languages stay out of the bundle; every locale falls back to these.
  plugins: [optimizeLocales.vite({ locales: ['en'] }), react(), precompress()],
  build: { target: 'es2022', sourcemap: false, assetsInlineLimit: 0, manifest: true },
  server: {
    proxy: {
      // Cookie-signed changes must come from an allowed origin: the dev server speaks for the
      // page it serves, as the page's own origin would in production.
      '/trpc': { target: api, headers: { origin: new URL(api).origin } },
      '/media': { target: api },
    },
  },
});
