import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** Connection string for the pg driver; the same driver and queries as a real server. */
  url: string;
  /** Folder holding the database files. */
  dataDir: string;
  /** True when this start created the database (so it still needs migrating and seeding). */
  created: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Connections the socket accepts: keep it at least as high as the pool. */
  maxConnections?: number;
}

/**
 * PostgreSQL inside this process (PGlite, Postgres compiled to WebAssembly), stored on disk
 * and exposed on a loopback socket so the application talks to it through `pg` exactly as it
 * would to a real server. PGlite runs one query at a time; callers should use a pool of one
 * connection so a transaction is never interleaved with another caller's statements.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  try {
    const created = !existsSync(join(dataDir, 'PG_VERSION'));
    const pglite = await PGlite.create({ dataDir });
    const server = new PGLiteSocketServer({
      db: pglite,
      host: '127.0.0.1',
      port: 0,
      maxConnections: options.maxConnections ?? 4,
    });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    let stopped: Promise<void> | undefined;
    return {
      url,
      dataDir,
      created,
      stop() {
        stopped ??= (async () => {
          await server.stop();
          await pglite.close();
          releaseLock();
        })();
        return stopped;
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Two processes writing one PGlite folder would corrupt it, so a file beside the folder
 * carries the pid of the process using it. A lock left by a process that is gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.pid`;
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop that Bistro first, or set DATABASE_URL to use a PostgreSQL server.`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
