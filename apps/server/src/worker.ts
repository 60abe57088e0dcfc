import pino from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './database.js';
import { createServices } from './services.js';
import { startJobs } from './jobs.js';
import { createPayments } from './payments.js';

/**
 * `npm run worker`: the background jobs (emails, scheduled work) in a process of their own, for
 * deployments that scale them apart from the web servers (which then run with WORKERS=false).
 * It needs DATABASE_URL: the embedded database belongs to the one process that opened it.
 */
let config: Config;
try {
  config = loadConfig({ ...process.env, WORKERS: 'true' });
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL: required by `npm run worker` (the embedded database runs inside `npm start`, whose WORKERS=true already runs the jobs)']);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`${error.message}\nSee the configuration table in README.md.`);
    process.exit(1);
  }
  throw error;
}

const log = pino({ level: config.logLevel, base: { role: 'worker' } });
const services = createServices(config, log);
const database = await openDatabase(config, log, services.passwords);
// The process edge: the one clock of this process.
// eslint-disable-next-line no-restricted-syntax
const clock = () => new Date();
// The payments provider too: expiring unpaid orders refunds what a late payment captured. The
// sandbox's webhooks go to the web servers, at PUBLIC_URL.
const payments = createPayments(config, log, clock, () => config.publicUrl);
if (payments) services.payments = payments;
const jobs = await startJobs(config, database, services, log, clock);
log.info('worker started');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'signal received: finishing running jobs');
    (async () => {
      await jobs.stop(config.shutdownTimeoutMs);
      await database.close();
      await services.close();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  });
}
