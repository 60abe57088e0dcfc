/**
 * `npm run dev -w @bistro/client`: keeps the client's declarations (and code) in step with the
 * API while you edit it. tsc rebuilds @bistro/domain, @bistro/db and @bistro/api incrementally
 * (--watch), and every change to their declarations or to the client's source bundles the client
 * again, so a front end's editor sees a changed procedure within seconds of the save.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, watch } from 'node:fs';
import { createRequire } from 'node:module';
import { buildJs, buildTypes, clean, packageDir } from './bundle.ts';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const packages = `${packageDir}../`;
const children: ChildProcess[] = ['domain', 'db', 'api'].map((name) =>
  spawn(process.execPath, [tsc, '-p', `${packages}${name}/tsconfig.build.json`, '--watch', '--preserveWatchOutput'], { stdio: ['ignore', 'inherit', 'inherit'] }),
);

let timer: NodeJS.Timeout | undefined;
let running: Promise<void> = Promise.resolve();
function rebuild(reason: string): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    running = running.then(async () => {
      const started = performance.now();
      try {
        await Promise.all([buildJs(), buildTypes()]);
        console.log(`@bistro/client rebuilt (${reason}) in ${Math.round(performance.now() - started)} ms`);
      } catch (error) {
        console.error(`@bistro/client: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }, 300);
}

const watched = [`${packages}domain/dist`, `${packages}db/dist`, `${packages}api/dist`, `${packageDir}src`];
for (const dir of watched) mkdirSync(dir, { recursive: true });
for (const dir of watched) {
  watch(dir, { recursive: true }, (_event, file) => {
    if (file && (file.endsWith('.d.ts') || dir.endsWith('/src'))) rebuild(file);
  });
}

function stop(): void {
  for (const child of children) child.kill();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

await clean();
rebuild('start');
console.log('@bistro/client: watching @bistro/domain, @bistro/db, @bistro/api and src/ (Ctrl-C stops)');
