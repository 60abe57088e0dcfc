import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildJs, buildTypes, clean, TSC_DECLARATIONS } from './bundle.ts';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

await clean();
// tsc writes (and type-checks) the declarations of src/ while esbuild bundles the code.
await Promise.all([buildJs(), (async () => execFileSync(process.execPath, [tsc, ...TSC_DECLARATIONS], { stdio: 'inherit' }))()]);
await buildTypes();
