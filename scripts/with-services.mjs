#!/usr/bin/env node
/**
 * `node scripts/with-services.mjs <command> [args…]`: finds or starts PostgreSQL and Redis once
 * (tooling/vitest/services.js says how), runs the command with TEST_DATABASE_URL and REDIS_URL
 * set, and stops what it started when the command ends, also on Ctrl-C, SIGTERM or SIGHUP.
 *
 * `npm test` runs turbo through this: turbo starts one vitest per package, several at once,
 * and all of them share these services (each test file still gets its own database). A vitest
 * started by hand, outside this script, finds the services itself (tooling/vitest/global-setup.js).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { applyEnv, killStartedNow, RESOLVED_MARKER, startTestServices } from '../tooling/vitest/services.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-services.mjs <command> [args…]');
  process.exit(2);
}

let child;
let interrupted;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted ??= signal;
    // Ctrl-C reaches the command through the terminal too; a signal sent to this process alone
    // is passed on. Either way the services are stopped once the command has ended.
    if (child && child.exitCode === null) child.kill(signal);
  });
}
// Last resort if this process goes without running `stop()`; the next run removes the folder.
process.on('exit', killStartedNow);

const exitCode = (code, signal) => code ?? 128 + (constants.signals[signal] ?? 1);

let services;
if (!process.env[RESOLVED_MARKER]) {
  try {
    services = await startTestServices();
  } catch (error) {
    console.error(`services: ${error.message}`);
    process.exit(1);
  }
  for (const line of services.lines) console.log(line);
  applyEnv(process.env, services.env);
}

let code;
if (interrupted) {
  code = exitCode(null, interrupted);
} else {
  child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  code = await new Promise((done) => {
    child.once('error', (error) => {
      console.error(`services: could not run ${command}: ${error.message}`);
      done(127);
    });
    child.once('exit', (c, signal) => done(exitCode(c, signal)));
  });
}
if (services) {
  await services.stop();
  if (interrupted) console.log(`services: stopped after ${interrupted}`);
}
process.exit(interrupted ? exitCode(null, interrupted) : code);
