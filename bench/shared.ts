/** What the benches share: reading BENCH_ numbers, starting Bistro (in this process or its own), a place to order from. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import { allDayLocation, type TestDatabase } from '@bistro/db/testing';
import { createServer, loadConfig, type Config } from '@bistro/server';

/**
 * The Redis of this run: `npm run bench` finds one as the tests do (scripts/with-services.mjs sets
 * REDIS_URL when one answers); undefined without one, and the benches that need it say so.
 */
export const BENCH_REDIS_URL: string | undefined = process.env.REDIS_URL || undefined;

/** The environment variable `name` as a positive integer, or `fallback` when it is unset or empty. */
export function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** The `p`th percentile of ascending `sorted` (0 when it is empty). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * Bistro's configuration for a bench: production mode on port 0 of the loopback, warnings only,
 * as JSON; `env` goes on top. BISTRO_DATA_KEYS is a throwaway key unless `env` gives one.
 */
export function benchConfig(databaseUrl: string | undefined, env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    NODE_ENV: 'production',
    // Production requires SMTP; nothing here sends email, so the address is never dialled.
    SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
    // Every load comes from 127.0.0.1: the per-address connection cap (256) would refuse the
    // fan-out's 500 feeds per instance, so the bench runs without it.
    MAX_CONNECTIONS_PER_IP: '0',
    ...env,
    // Production needs a key for personal data at rest; a throwaway one suits a throwaway database.
    BISTRO_DATA_KEYS: env.BISTRO_DATA_KEYS ?? throwawayDataKeys(),
  });
}

/** A fresh key for personal data at rest, in BISTRO_DATA_KEYS form. */
export function throwawayDataKeys(): string {
  return `k1:${randomBytes(32).toString('base64')}`;
}

/**
 * Bistro in this process against `tdb`, with a data directory of its own (made under the system's
 * temporary folder with `dirPrefix`, removed afterwards) and `env(dir)` on top of `benchConfig`;
 * runs `use` with its URL, then stops it.
 */
export async function withBenchServer<T>(
  tdb: TestDatabase,
  { dirPrefix, env }: { dirPrefix: string; env?: (dir: string) => Record<string, string> },
  use: (url: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  const server = await createServer(benchConfig(tdb.url, { DATA_DIR: dir, ...env?.(dir) }));
  try {
    return await use(await server.start());
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Starts `file` (of this folder) in its own Node process (its own event loop), with `env` over this process's environment; adds it to `children`. */
export function startBenchProcess(file: string, children: ChildProcess[], env?: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=@bistro/source', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  children.push(child);
  return child;
}

/** The URL a started bistro.ts reports over IPC, within 30 s; otherwise fails with `timeout`, or `exited(...)` if it ends first. */
export function reportedUrl(child: ChildProcess, timeout: string, exited: (code: number | null, signal: NodeJS.Signals | null) => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(timeout)), 30_000);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(exited(code, signal)));
    });
  });
}

/** SIGTERM to every child still running (SIGKILL after 5 s), and waits for them to exit. */
export async function stopProcesses(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** A location of its own, open around the clock and taking orders at once (1000 per slot), with one dish in a Mains category. */
export async function benchLocation(db: Kysely<DB>, slug: string, name: string, dish: string): Promise<{ locationId: string; itemId: string }> {
  const { locationId, item } = await allDayLocation(db, { slug, name });
  return { locationId, itemId: await item(dish, 650) };
}
