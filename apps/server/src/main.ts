import { ConfigError, loadConfig, type Config } from './config.js';
import { createServer } from './server.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`${error.message}\nSee the configuration table in README.md.`);
    process.exit(1);
  }
  throw error;
}

let server;
try {
  server = await createServer(config);
  await server.start();
} catch (error) {
  console.error(`Bistro could not start: ${error instanceof Error ? error.message : String(error)}`);
  await server?.stop().catch(() => {});
  process.exit(1);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.app.log.info({ signal }, 'signal received');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  });
}
