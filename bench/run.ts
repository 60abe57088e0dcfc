/**
 * Bistro against a bare node:http + pg baseline running the same SQL, for menu.get and
 * locations.list. See README.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';

const DURATION = positiveInt('BENCH_DURATION', 10);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 50);
const WARMUP = 3;

const ENDPOINTS = {
  'menu.get': `/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'bistro-centrale' } }))}`,
  'locations.list': '/trpc/locations.list',
} as const;

interface Measurement {
  rps: number;
  p99: number;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

const children: ChildProcess[] = [];
/** Everything that went wrong; any entry makes the exit code 1. */
const problems: string[] = [];

/** Starts `file` in its own Node process (its own event loop) and waits for the URL it reports. */
function startChild(file: string, databaseUrl: string): Promise<{ url: string; pid: number | undefined }> {
  const child = spawn(process.execPath, ['--conditions=@bistro/source', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not report a URL within 30 s`)), 30_000);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      child.on('exit', (code, signal) => problems.push(`${file} exited during the run (code ${code}, signal ${signal})`));
      resolve({ url: message.url, pid: child.pid });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** One GET, which must answer 200; returns the body. */
async function fetchOk(url: string): Promise<string> {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
  return body;
}

/** CPU milliseconds a process has used so far (Linux only; undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return undefined;
  }
}

/** Runs autocannon for `seconds`; notes every error and non-2xx answer. */
async function load(label: string, url: string, seconds: number, pid?: number): Promise<Measurement> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  const cpuAfter = cpuMs(pid);
  const bad = [
    result.errors ? `${result.errors} errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
    result.non2xx ? `${result.non2xx} non-2xx responses` : '',
  ].filter(Boolean);
  if (bad.length) problems.push(`${label}: ${bad.join(', ')} (of ${result.requests.sent} requests)`);
  // The machine is small and shared, so req/s is noisy; server CPU per request is much steadier.
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? `, server CPU ${((cpuAfter - cpuBefore) / result.requests.total).toFixed(2)} ms/request` : '';
  console.error(`  ${label}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ${result.requests.total} requests${cpu}`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function measure(label: string, url: string, pid: number | undefined): Promise<Measurement> {
  await load(`${label} (warm-up)`, url, WARMUP, pid);
  return load(label, url, DURATION, pid);
}

async function main(): Promise<void> {
  const started = Date.now();
  const creating = createTestDatabase({ seed: true });
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => (cleaning ??= stopChildren().finally(async () => (await creating).drop()));
  process.once('SIGINT', () => {
    console.error('interrupted: stopping the servers and dropping the database');
    void cleanUp().finally(() => process.exit(130));
  });
  const tdb = await creating;

  try {
    const [bistro, baseline] = await Promise.all([startChild('bistro.ts', tdb.url), startChild('baseline.ts', tdb.url)]);
    console.error(`bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per target; Bistro ${bistro.url}, baseline ${baseline.url}`);

    const lines: string[] = [];
    for (const [name, path] of Object.entries(ENDPOINTS)) {
      // Same bytes from both, or the comparison means nothing.
      const [ours, theirs] = await Promise.all([fetchOk(bistro.url + path), fetchOk(baseline.url + path)]);
      if (ours !== theirs) {
        throw new Error(`${name}: Bistro and the baseline answer differently (${ours.length} vs ${theirs.length} bytes):\n${ours.slice(0, 300)}\n${theirs.slice(0, 300)}`);
      }
      const b = await measure(`${name} Bistro`, bistro.url + path, bistro.pid);
      const r = await measure(`${name} baseline`, baseline.url + path, baseline.pid);
      lines.push(
        `${name}: ${Math.round(b.rps)} req/s p99 ${b.p99} ms, baseline ${Math.round(r.rps)} req/s p99 ${r.p99} ms, ratio ${(b.rps / r.rps).toFixed(2)}`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    await cleanUp();
  }
  console.error(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  problems.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
if (problems.length) {
  console.error(`bench FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
}
