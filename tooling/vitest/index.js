import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';

/**
 * The shared test settings: workspace packages resolve to their `src/` (the `@bistro/source`
 * export condition), so tests need no build, and timeouts leave room for real PostgreSQL.
 * With BISTRO_FAKE_NOW (an ISO instant) every test file runs on a clock set to it (fake-now.js),
 * except the embedded-database tests: PGlite runs inside the test process, so its clock would be
 * the fake one too (nothing to prove there), and it did not start within the hook timeout under
 * the fake clock.
 * PostgreSQL and Redis come from global-setup.js (see services.js for where they are found).
 */
const fakeNow = Boolean(process.env.BISTRO_FAKE_NOW);
export function bistroVitestConfig(overrides = {}) {
  const conditions = ['@bistro/source', ...defaultServerConditions];
  return mergeConfig(
    defineConfig({
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ['@bistro/source'] } },
      test: {
        environment: 'node',
        globalSetup: [fileURLToPath(new URL('./global-setup.js', import.meta.url))],
        testTimeout: 60_000,
        hookTimeout: 120_000,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        typecheck: { enabled: false },
        setupFiles: fakeNow ? [fileURLToPath(new URL('./fake-now.js', import.meta.url))] : [],
        exclude: fakeNow ? [...configDefaults.exclude, '**/embedded.test.ts'] : configDefaults.exclude,
      },
    }),
    overrides,
  );
}
