/**
 * Bistro against a bare node:http + pg baseline running the same SQL, for menu.get and
 * locations.list; then the cost of resolving a session (auth.me with and without a bearer
 * token) and a sign-in flood beside a steady menu.get load. See README.md.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Passwords } from '@bistro/api';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { benchClientBundle } from './client-bundle.js';
import { benchWebBundle } from './web-bundle.js';
import { benchClientTypes } from './client-types.js';
import { benchGrowth } from './growth.js';
import { benchFanOut } from './fan-out.js';
import { benchKitchenLatency } from './kitchen-latency.js';
import { benchOrdersPlace } from './orders-place.js';
import { benchOrderEmail } from './order-email.js';
import { benchNewsletter } from './newsletter.js';
import { benchPayments } from './payments.js';
import { benchPhotoUpload } from './photo-upload.js';
import { benchReports } from './reports.js';
import { positiveInt, reportedUrl, startBenchProcess, stopProcesses } from './shared.js';

const DURATION = positiveInt('BENCH_DURATION', 10);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 50);
const WARMUP = 3;
/** Connections signing in at once during the flood (more than the hashing cap, so they queue). */
const SIGNIN_CONNECTIONS = positiveInt('BENCH_SIGNIN_CONNECTIONS', 16);
/** Accounts the flood cycles through. */
const SIGNIN_ACCOUNTS = 20;
const BENCH_PASSWORD = 'bench-password-of-the-day';

/** The parts of the bench, in the order they run; BENCH_ONLY=growth,menu runs only those. */
const PARTS = ['menu', 'auth', 'photo', 'orders', 'kitchen', 'fanout', 'growth', 'client', 'payments', 'email', 'newsletter', 'reports', 'web'] as const;
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean);
for (const part of ONLY) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`BENCH_ONLY: unknown part ${JSON.stringify(part)} (parts: ${PARTS.join(', ')})`);
function runs(part: (typeof PARTS)[number]): boolean {
  return ONLY.length === 0 || ONLY.includes(part);
}

const ENDPOINTS = {
  'menu.get': `/trpc/menu.get?input=${encodeURIComponent(JSON.stringify({ json: { locationSlug: 'bistro-centrale' } }))}`,
  'locations.list': '/trpc/locations.list',
} as const;

interface Measurement {
  rps: number;
  p99: number;
}

const children: ChildProcess[] = [];
/** Everything that went wrong; any entry makes the exit code 1. */
const problems: string[] = [];

/** Starts `file` in its own Node process (its own event loop) and waits for the URL it reports. */
async function startChild(file: string, databaseUrl: string, env: Record<string, string> = {}): Promise<{ url: string; pid: number | undefined }> {
  const child = startBenchProcess(file, children, { DATABASE_URL: databaseUrl, ...env });
  const url = await reportedUrl(
    child,
    `${file} did not report a URL within 30 s`,
    (code, signal) => `${file} exited before it was ready (code ${code}, signal ${signal})`,
  );
  child.on('exit', (code, signal) => problems.push(`${file} exited during the run (code ${code}, signal ${signal})`));
  return { url, pid: child.pid };
}

/** Stops the children; their exits are expected now, so none is counted as a problem. */
async function stopChildren(): Promise<void> {
  for (const child of children) child.removeAllListeners('exit');
  await stopProcesses(children);
}

/** One GET, which must answer 200; returns the body. */
async function fetchOk(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
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

/** Runs autocannon for `seconds` (a URL, or full autocannon options); notes every error and non-2xx answer. */
async function load(label: string, target: string | autocannon.Options, seconds: number, pid?: number): Promise<Measurement> {
  const cpuBefore = cpuMs(pid);
  const options = typeof target === 'string' ? { url: target, connections: CONNECTIONS } : target;
  const result = await autocannon({ ...options, duration: seconds });
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

async function measure(label: string, target: string | autocannon.Options, pid: number | undefined): Promise<Measurement> {
  await load(`${label} (warm-up)`, target, WARMUP, pid);
  return load(label, target, DURATION, pid);
}

/** Accounts for the sign-in flood, written straight to the database (one argon2 hash for all). */
async function createBenchAccounts(tdb: TestDatabase): Promise<string[]> {
  const hash = await new Passwords().hash(BENCH_PASSWORD);
  const emails = Array.from({ length: SIGNIN_ACCOUNTS }, (_, i) => `bench.diner.${i}@bistro.localhost`);
  const now = new Date();
  await tdb.db
    .insertInto('users')
    .values(emails.map((email, i) => ({ email, name: `Bench Diner ${i}`, password_hash: hash, created_at: now, updated_at: now })))
    .execute();
  return emails;
}

function signInRequest(email: string): autocannon.Request {
  return {
    method: 'POST',
    path: '/trpc/auth.signIn',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email, password: BENCH_PASSWORD, mode: 'token' } }),
  };
}

/** A bearer token for `auth.me`, from a real sign-in. */
async function signInForToken(baseUrl: string, email: string): Promise<string> {
  const { method, path, headers, body } = signInRequest(email);
  const response = await fetch(baseUrl + path!, { method: method!, headers: headers as Record<string, string>, body: body as string });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: { json: { token: string } } } }).result.data.json.token;
}

/** auth.me with a bearer token against the same call as a guest: what resolving a session costs. */
async function benchAuthMe(baseUrl: string, token: string, pid: number | undefined): Promise<string> {
  const url = `${baseUrl}/trpc/auth.me`;
  const signedIn = await fetchOk(url, { authorization: `Bearer ${token}` });
  if (!signedIn.includes('"email"')) throw new Error(`auth.me with the bench token is not signed in: ${signedIn.slice(0, 300)}`);
  const guest = await fetchOk(url);
  if (guest !== '{"result":{"data":{"json":null}}}') throw new Error(`auth.me as a guest answered ${guest.slice(0, 300)}`);

  const authed = await measure('auth.me bearer', { url, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` } }, pid);
  const anonymous = await measure('auth.me guest', { url, connections: CONNECTIONS }, pid);
  return `auth.me: ${Math.round(authed.rps)} req/s p99 ${authed.p99} ms, unauthenticated ${Math.round(anonymous.rps)} req/s p99 ${anonymous.p99} ms, ratio ${(authed.rps / anonymous.rps).toFixed(2)}`;
}

/**
 * Sign-ins (valid ones: argon2 on every request) flooding in while menu.get runs at a steady
 * rate (half of what it sustained alone, so its p99 shows waiting caused by the flood, not its
 * own queue). The menu's p99 alone and during the flood are measured with the same load.
 */
async function benchSignInFlood(baseUrl: string, emails: string[], menuRps: number, pid: number | undefined): Promise<string> {
  const menu: autocannon.Options = {
    url: baseUrl + ENDPOINTS['menu.get'],
    connections: 10,
    overallRate: Math.max(20, Math.round(menuRps / 2)),
  };
  // Each connection signs in to its own account, as real diners do: concurrent attempts on one
  // account count against its throttle while they are being checked.
  let next = 0;
  const flood: autocannon.Options = {
    url: baseUrl,
    connections: SIGNIN_CONNECTIONS,
    requests: [signInRequest(emails[0]!)],
    setupClient: (client) => client.setRequests([signInRequest(emails[next++ % emails.length]!)]),
  };
  const alone = await measure('menu.get steady, alone', menu, pid);
  await Promise.all([load('menu.get steady (warm-up)', menu, WARMUP), load('sign-in flood (warm-up)', flood, WARMUP)]);
  const [during, signIns] = await Promise.all([load('menu.get steady, during the flood', menu, DURATION, pid), load('sign-in flood', flood, DURATION)]);
  return (
    `sign-in flood: ${Math.round(signIns.rps)} sign-ins/s p99 ${signIns.p99} ms; ` +
    `menu.get p99 ${alone.p99} ms alone, ${during.p99} ms during the flood (×${(during.p99 / Math.max(alone.p99, 1)).toFixed(2)})`
  );
}

/**
 * Bistro (menu cache off) against the baseline for menu.get and locations.list; the planning
 * gain (the same Bistro with the statement sent unnamed); the menu cache's gain; and the cached
 * menu against the same bytes served from memory by node:http. Returns menu.get's req/s.
 */
async function benchMenu(tdb: TestDatabase, bistro: { url: string; pid: number | undefined }): Promise<number> {
  const baseline = await startChild('baseline.ts', tdb.url);
  console.error(`bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per target; Bistro ${bistro.url}, baseline ${baseline.url}`);

  const lines: string[] = [];
  let menuRps = 0;
  for (const [name, path] of Object.entries(ENDPOINTS)) {
    // Same bytes from both, or the comparison means nothing.
    const [ours, theirs] = await Promise.all([fetchOk(bistro.url + path), fetchOk(baseline.url + path)]);
    if (ours !== theirs) {
      // The comparison is void, but the benchmarks after it still run.
      problems.push(`${name}: Bistro and the baseline answer differently (${ours.length} vs ${theirs.length} bytes):\n${ours.slice(0, 300)}\n${theirs.slice(0, 300)}`);
      continue;
    }
    const b = await measure(`${name} Bistro`, bistro.url + path, bistro.pid);
    const r = await measure(`${name} baseline`, baseline.url + path, baseline.pid);
    if (name === 'menu.get') menuRps = b.rps;
    lines.push(
      `${name}: ${Math.round(b.rps)} req/s p99 ${b.p99} ms, baseline ${Math.round(r.rps)} req/s p99 ${r.p99} ms, ratio ${(b.rps / r.rps).toFixed(2)}`,
    );
  }
  console.log(lines.join('\n'));
  const menuPath = ENDPOINTS['menu.get'];
  const u = menuRps || (await measure('menu.get Bistro', bistro.url + menuPath, bistro.pid)).rps;

  // What naming the statement gains: the same Bistro, the statement sent unnamed (planned on every call).
  const unnamed = await startChild('bistro.ts', tdb.url, { BENCH_UNNAMED_STATEMENTS: 'true' });
  const before = await measure('menu.get Bistro, statement unnamed', unnamed.url + menuPath, unnamed.pid);
  console.log(`menu.get uncached: ${Math.round(u)} req/s, before-prepare ${Math.round(before.rps)} req/s`);

  // The menu cache's gain: the same call against a Bistro with the cache on, beside the uncached line.
  const cached = await startChild('bistro.ts', tdb.url, { MENU_CACHE: 'true' });
  const warm = await fetchOk(cached.url + menuPath);
  if (warm !== (await fetchOk(bistro.url + menuPath))) problems.push('menu.get cached: the cached answer differs from the uncached one');
  const c = await measure('menu.get cached Bistro', cached.url + menuPath, cached.pid);
  console.log(`menu.get cached: ${Math.round(c.rps)} req/s p99 ${c.p99} ms, uncached ${Math.round(u)} req/s, gain ×${(c.rps / u).toFixed(2)}`);

  // The cached menu against its ceiling: the same bytes from memory, node:http and nothing else.
  const staticChild = startBenchProcess('static.ts', children);
  staticChild.send({ body: warm });
  const staticUrl = await reportedUrl(staticChild, 'static.ts did not report a URL within 30 s', (code, signal) => `static.ts exited before it was ready (code ${code}, signal ${signal})`);
  if ((await fetchOk(staticUrl + menuPath)) !== warm) problems.push('menu.get cached vs static: the static server answers other bytes');
  const st = await measure('menu.get static bytes', staticUrl + menuPath, staticChild.pid);
  console.log(`menu.get cached vs static: ${Math.round(c.rps)} req/s, static bytes ${Math.round(st.rps)} req/s, ratio ${(c.rps / st.rps).toFixed(2)}`);
  return u;
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
    let menuRps = 0;
    let bistro: { url: string; pid: number | undefined } | undefined;
    if (runs('menu') || runs('auth')) bistro = await startChild('bistro.ts', tdb.url);
    if (bistro && runs('menu')) menuRps = await benchMenu(tdb, bistro);
    if (bistro && runs('auth')) {
      const emails = await createBenchAccounts(tdb);
      console.log(await benchAuthMe(bistro.url, await signInForToken(bistro.url, emails[0]!), bistro.pid));
      menuRps ||= (await measure('menu.get Bistro', bistro.url + ENDPOINTS['menu.get'], bistro.pid)).rps;
      console.log(await benchSignInFlood(bistro.url, emails, menuRps, bistro.pid));
    }
    if (runs('photo')) console.log(await benchPhotoUpload(tdb));
    if (runs('orders')) console.log(await benchOrdersPlace(tdb));
    if (runs('kitchen')) console.log(await benchKitchenLatency(tdb));
    if (runs('payments')) for (const line of await benchPayments(tdb)) console.log(line);
    if (runs('growth')) console.log(await benchGrowth());
    if (runs('client')) {
      console.log(await benchClientBundle());
      console.log(await benchClientTypes());
    }
    if (runs('fanout')) console.log(await benchFanOut(tdb));
    if (runs('email')) console.log(await benchOrderEmail(tdb));
    if (runs('newsletter')) console.log(await benchNewsletter(tdb));
    if (runs('reports')) for (const line of await benchReports()) console.log(line);
    if (runs('web')) console.log(benchWebBundle());
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
