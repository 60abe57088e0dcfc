import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { createServer, loadConfig, type BistroServer, type ServerOptions } from '../src/index.js';

export interface TestServer {
  server: BistroServer;
  url: string;
  tdb: TestDatabase;
  close(): Promise<void>;
}

/** Bistro on port 0 against a fresh, seeded test database. */
export async function startTestServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<TestServer> {
  const tdb = await createTestDatabase();
  const config = loadConfig({ DATABASE_URL: tdb.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  const server = await createServer(config, options);
  const url = await server.start();
  return {
    server,
    url,
    tdb,
    async close() {
      await server.stop();
      await tdb.drop();
    },
  };
}

/** Collects JSON log lines written by the server. */
export function logCollector() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}
