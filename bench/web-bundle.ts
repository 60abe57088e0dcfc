/**
 * What a guest's phone downloads for the first page: the JavaScript of apps/web's entry and of
 * the location picker's route (with every chunk they import statically), gzipped, as Vite built
 * them (apps/web/dist, listed in its manifest). Budget: 150 kB. The accounts pages (and the
 * kitchen's and manager's, later) must not be among them: they load when first visited.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../apps/web/dist/', import.meta.url));
export const FIRST_PAGE_BUDGET_KB = 150;

interface Chunk {
  file: string;
  imports?: string[];
}

/** The gzipped kB of JavaScript the first page loads, and the source modules' chunks it includes. */
export function firstPageJs(): { kb: number; chunks: string[] } {
  const manifest = JSON.parse(readFileSync(`${dist}.vite/manifest.json`, 'utf8')) as Record<string, Chunk>;
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`apps/web's manifest has no ${key}: build it (npm run build -w @bistro/web)`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) walk(imported);
  };
  walk('index.html');
  walk('src/routes/locations.tsx');
  let bytes = 0;
  for (const key of seen) bytes += gzipSync(readFileSync(`${dist}${manifest[key]!.file}`), { level: 9 }).length;
  return { kb: bytes / 1024, chunks: [...seen] };
}

export function benchWebBundle(): string {
  const { kb, chunks } = firstPageJs();
  const strays = chunks.filter((key) => /src\/routes\/(account|kitchen|manage)/.test(key));
  const over = kb > FIRST_PAGE_BUDGET_KB ? ', OVER BUDGET' : '';
  const stray = strays.length > 0 ? `, carries ${strays.join(', ')}` : '';
  return `web first page: ${kb.toFixed(1)} kB JavaScript gzip, budget ${FIRST_PAGE_BUDGET_KB} kB, ratio ${(kb / FIRST_PAGE_BUDGET_KB).toFixed(2)}${over}${stray}`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchWebBundle());
