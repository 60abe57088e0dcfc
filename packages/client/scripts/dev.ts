/**
 * `npm run dev -w @bistro/client`: keeps the client's declarations (and code) in step with the
 * API while you edit it. tsc rebuilds @bistro/domain, @bistro/db, @bistro/api and the client's
 * own declarations incrementally (--watch); each time one of them has written its output, the
 * declarations are bundled again, so a front end's editor sees a changed procedure within
 * seconds of the save. esbuild rebuilds the client's code when src/ changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { createRequire } from 'node:module';
import { buildJs, buildTypes, packageDir, TSC_DECLARATIONS } from './bundle.ts';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const packages = `${packageDir}../`;

let timer: NodeJS.Timeout | undefined;
let building = false;
let pending: string | undefined;
/** Bundles again after `reason`; changes that arrive during a build make one more build after it. */
function rebuild(reason: string): void {
  pending = pending ? `${pending}, ${reason}` : reason;
  clearTimeout(timer);
  timer = setTimeout(() => void build(), 200);
}
async function build(): Promise<void> {
  if (building || !pending) return;
  const reason = pending;
  pending = undefined;
  building = true;
  const started = performance.now();
  try {
    await Promise.all([buildJs(), buildTypes()]);
    console.log(`@bistro/client rebuilt (${reason}) in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    console.error(`@bistro/client: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    building = false;
    if (pending) void build();
  }
}

// tsc says "Found N errors. Watching for file changes." once it has written a package's
// declarations: that, not each file it writes, is the moment to bundle again.
const watchers: [string, string[]][] = [
  ...['domain', 'db', 'api'].map((name): [string, string[]] => [name, ['-p', `${packages}${name}/tsconfig.build.json`]]),
  ['client', TSC_DECLARATIONS],
];
const children: ChildProcess[] = watchers.map(([name, args]) => {
  const child = spawn(process.execPath, [tsc, ...args, '--watch', '--preserveWatchOutput'], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    process.stdout.write(text.replace(/^(?=.)/gm, `[${name}] `));
    if (/Found \d+ errors?\. Watching for file changes/.test(text)) rebuild(`@bistro/${name} compiled`);
  });
  return child;
});

// The client's own code (its declarations come through its tsc watcher above).
watch(`${packageDir}src`, { recursive: true }, () => void buildJs().catch((error: unknown) => console.error(String(error))));

function stop(): void {
  for (const child of children) child.kill();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

console.log('@bistro/client: watching @bistro/domain, @bistro/db, @bistro/api and src/ (Ctrl-C stops)');
