import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dockerEngineAnswers, startEmbeddedPostgres, startTestServices } from '../services.js';

const WRAPPER = fileURLToPath(new URL('../../../scripts/with-services.mjs', import.meta.url));

async function query(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const postmasterPid = (dir) => Number(readFileSync(`${dir}/data/postmaster.pid`, 'utf8').split('\n')[0]);

/** Runs the wrapper around a command that waits forever; resolves once it printed its services line. */
function wrapperAround(env) {
  const child = spawn(process.execPath, [WRAPPER, process.execPath, '-e', 'setInterval(() => {}, 1000)'], {
    env: { ...process.env, BISTRO_TEST_SERVICES: '', TEST_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const dir = new Promise((done, fail) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const found = /embedded PostgreSQL \d+ \(([^)]+)\)/.exec(output);
      if (found) done(found[1]);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    void exited.then(() => fail(new Error(`the wrapper ended first:\n${output}`)));
  });
  return { child, dir, exited };
}

async function gone(pid) {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('the embedded PostgreSQL', () => {
  it('is a real PostgreSQL 17 that may create databases, on a port and in a folder of its own, and stop() ends it and removes the folder', async () => {
    const [one, two] = await Promise.all([startEmbeddedPostgres(), startEmbeddedPostgres()]);
    try {
      expect(one.url).not.toBe(two.url);
      expect(one.dir).not.toBe(two.dir);
      const [{ server_version_num }] = await query(one.url, 'show server_version_num');
      expect(Number(server_version_num)).toBeGreaterThanOrEqual(170000);
      await query(one.url, 'create database bistro_embedded_check');
      const [{ n }] = await query(one.url, "select count(*)::int as n from pg_database where datname = 'bistro_embedded_check'");
      expect(n).toBe(1);
      // Unreachable without the password in the URL.
      const u = new URL(one.url);
      u.password = 'wrong';
      await expect(query(u.toString(), 'select 1')).rejects.toThrow(/password/);
    } finally {
      const pid = postmasterPid(one.dir);
      await one.stop();
      expect(alive(pid)).toBe(false);
      expect(existsSync(one.dir)).toBe(false);
      await two.stop();
      expect(existsSync(two.dir)).toBe(false);
    }
  });
});

describe('startTestServices', () => {
  it('TEST_SERVICES=embedded starts PostgreSQL even beside a local one, and a Redis URL that does not answer means no Redis, said in one line', async () => {
    const services = await startTestServices({ env: { TEST_SERVICES: 'embedded', TEST_REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect(services.databaseUrl).not.toContain(':5432/');
      expect(await query(services.databaseUrl, 'select 1 as one')).toEqual([{ one: 1 }]);
      expect(services.redisUrl).toBeUndefined();
      expect(services.env.REDIS_URL).toBeUndefined();
      expect(services.env.TEST_DATABASE_URL).toBe(services.databaseUrl);
      expect(services.lines[0]).toMatch(/^services: PostgreSQL embedded PostgreSQL 17 .*; Redis TEST_REDIS_URL=redis:\/\/127\.0\.0\.1:1 does not answer PING$/);
      expect(services.lines[1]).toMatch(/^services: no Redis, so the cross-instance tests are skipped \(.*live\.test\.ts/);
      // The password never reaches the line.
      expect(services.lines.join('\n')).not.toContain(new URL(services.databaseUrl).password);
    } finally {
      await services.stop();
    }
  });

  it('TEST_REDIS_URL=none runs without Redis; an unknown TEST_SERVICES or an unreachable TEST_DATABASE_URL is an error, not a silent fallback', async () => {
    await expect(startTestServices({ env: { TEST_SERVICES: 'docker' } })).rejects.toThrow(/TEST_SERVICES must be "embedded" or unset/);
    await expect(startTestServices({ env: { TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres', TEST_REDIS_URL: 'none' } })).rejects.toThrow(
      /^TEST_DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:1\/postgres: /,
    );
    const services = await startTestServices({ env: { TEST_SERVICES: 'embedded', TEST_REDIS_URL: 'none' } });
    try {
      expect(services.redisUrl).toBeUndefined();
      expect(services.lines[0]).toMatch(/Redis off \(TEST_REDIS_URL=none\)$/);
    } finally {
      await services.stop();
    }
  });
});

describe('scripts/with-services.mjs', () => {
  it('stops the PostgreSQL it started and removes its folder when it is sent SIGTERM', async () => {
    const run = wrapperAround({ TEST_SERVICES: 'embedded', TEST_REDIS_URL: 'none' });
    const dir = await run.dir;
    const pid = postmasterPid(dir);
    expect(alive(pid)).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 143, signal: null });
    expect(await gone(pid)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('a PostgreSQL left by a run killed outright (SIGKILL) is stopped and its folder removed by the next embedded start', async () => {
    const run = wrapperAround({ TEST_SERVICES: 'embedded', TEST_REDIS_URL: 'none' });
    const dir = await run.dir;
    const pid = postmasterPid(dir);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(alive(pid)).toBe(true);
    const next = await startEmbeddedPostgres();
    try {
      expect(await gone(pid)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await next.stop();
    }
  });
});

describe('the Docker check', () => {
  it('says yes only when an engine answers /_ping at DOCKER_HOST, and no quickly when nothing listens there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bistro-docker-check-'));
    const socketPath = join(dir, 'docker.sock');
    const engine = http.createServer((req, res) => res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK'));
    await new Promise((done) => engine.listen(socketPath, done));
    try {
      expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${socketPath}` })).toBe(true);
      expect(await dockerEngineAnswers({ DOCKER_HOST: `unix://${join(dir, 'none.sock')}` })).toBe(false);
      expect(await dockerEngineAnswers({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).toBe(false);
    } finally {
      await new Promise((done) => engine.close(done));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
