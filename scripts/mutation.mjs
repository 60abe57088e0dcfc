#!/usr/bin/env node
// Runs Stryker for each target of stryker.config.mjs, from the target's package folder, and
// prints one line per target from Stryker's JSON report:
//   mutation: <target> X% killed (K/N)
// K counts killed and timed-out mutants, N every valid mutant (killed, timed out, survived and
// not covered by any test); mutants the TypeScript checker refuses and runtime errors don't count.
// Usage: npm run mutation [-- [--incremental] [--static] [--report] [target …]]   (see stryker.config.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, slug, targets } from '../stryker.config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const incremental = args.includes('--incremental');
const withStatic = args.includes('--static');
// Prints the lines from the last reports without running Stryker.
const reportOnly = args.includes('--report');
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !targets.some((t) => t.name === n));
if (unknown.length > 0) {
  console.error(`Unknown mutation target(s): ${unknown.join(', ')}. Known: ${targets.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
const chosen = names.length > 0 ? targets.filter((t) => names.includes(t.name)) : targets;
mkdirSync(join(root, cacheDir), { recursive: true });

/** Killed (with timeouts) over every valid mutant of a Stryker JSON report (mutation-testing-report-schema). */
function summarize(report) {
  let killed = 0;
  let valid = 0;
  let ignored = 0;
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      // Static mutants are left out unless asked for (see testStatic in stryker.config.mjs), also
      // when an incremental run reused a result from a run that tested them.
      if (mutant.static && !withStatic) {
        ignored += 1;
        continue;
      }
      if (mutant.status === 'Killed' || mutant.status === 'Timeout') killed += 1;
      if (['Killed', 'Timeout', 'Survived', 'NoCoverage'].includes(mutant.status)) valid += 1;
      if (mutant.status === 'Ignored') ignored += 1;
    }
  }
  return { killed, valid, ignored };
}

const lines = [];
let failed = false;
const started = Date.now();
for (const target of chosen) {
  const reportFile = join(root, cacheDir, `${slug(target.name)}.json`);
  const t0 = Date.now();
  const run = reportOnly
    ? { status: 0 }
    : spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'),
      'run',
      join(root, 'stryker.config.mjs'),
      '--incremental',
      ...(incremental ? [] : ['--force']),
    ],
    {
      cwd: join(root, target.dir),
      stdio: 'inherit',
      env: { ...process.env, MUTATION_TARGET: target.name, NODE_ENV: 'test', ...(withStatic ? { MUTATION_STATIC: '1' } : {}) },
    },
  );
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (run.status !== 0 || !existsSync(reportFile)) {
    failed = true;
    lines.push(`mutation: ${target.name} FAILED (${reportOnly ? 'no report yet' : `Stryker exited ${run.status ?? run.signal}; see above`})`);
    continue;
  }
  const { killed, valid, ignored } = summarize(JSON.parse(readFileSync(reportFile, 'utf8')));
  const score = valid === 0 ? 100 : (100 * killed) / valid;
  const notes = [...(reportOnly ? [] : [`${seconds}s`]), ...(ignored > 0 ? [`${ignored} static mutants left out`] : [])];
  lines.push(`mutation: ${target.name} ${score.toFixed(1)}% killed (${killed}/${valid})${notes.length > 0 ? `  [${notes.join(', ')}]` : ''}`);
}
console.log('');
for (const line of lines) console.log(line);
if (!reportOnly) console.log(`mutation: ${chosen.length} target(s) in ${Math.round((Date.now() - started) / 1000)}s${incremental ? ' (incremental)' : ''}`);
process.exit(failed ? 1 : 0);
