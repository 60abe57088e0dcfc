import { applyEnv, RESOLVED_MARKER, startTestServices } from './services.js';

/**
 * A vitest run started on its own (`npx vitest run test/foo.test.ts`) finds or starts its
 * services here, before its workers start, and stops them at the end. Under `npm test` the
 * services were resolved once for the whole run (scripts/with-services.mjs) and this does nothing.
 */
export default async function setup() {
  if (process.env[RESOLVED_MARKER]) return undefined;
  const services = await startTestServices();
  for (const line of services.lines) console.log(line);
  applyEnv(process.env, services.env);
  return () => services.stop();
}
