// @ts-check
/**
 * Mutation testing (StrykerJS): how many deliberate bugs in the code the tests catch.
 * `npm run mutation` (scripts/mutation.mjs) runs Stryker once per target below, from the
 * target's package folder, with only the test files that cover it, and prints
 * `mutation: <target> X% killed (K/N)` for each. Add a target by adding an entry.
 *
 *   npm run mutation                        every target, every mutant (and saves the results)
 *   npm run mutation -- --incremental       only mutants whose code or covering tests changed since
 *   npm run mutation -- api/auth/sessions   one target (or several, by name)
 *   npm run mutation -- --static            also static mutants (module-load-time code; slow, see testStatic)
 *
 * API targets run their tests against real PostgreSQL and Redis, like `npm test`.
 */

/**
 * @typedef {object} MutationTarget
 * @property {string} name        printed in the summary line; also names the report and incremental files
 * @property {string} dir         package folder (Stryker and vitest run from there)
 * @property {string[]} mutate    files to mutate, relative to `dir`
 * @property {string[]} testFiles the test files that cover them, relative to `dir`
 * @property {boolean} [typeCheck] drop mutants the TypeScript compiler refuses (costs a type check per mutant group)
 * @property {boolean} [testStatic] also test mutants of code that runs only when a module loads (module-level
 *   constants, the domain's zod schema definitions). Off for every target: each such mutant needs a full reload
 *   and every test (~10× the cost), and the vitest runner does not reliably load the module afresh, so a static
 *   mutant of a constant every test depends on (sessions.ts's DAY_MS) is reported as surviving. They are listed
 *   as Ignored and left out of the score; `npm run mutation -- --static` tests them anyway.
 */

/** @type {MutationTarget[]} */
export const targets = [
  {
    name: 'domain',
    dir: 'packages/domain',
    // index.ts only re-exports.
    mutate: ['src/**/*.ts', '!src/index.ts'],
    testFiles: ['test/**/*.test.ts'],
    typeCheck: true,
  },
  {
    name: 'api/orders/transition',
    dir: 'packages/api',
    mutate: ['src/orders/transition.ts'],
    testFiles: ['test/orders-lifecycle.test.ts', 'test/order-transitions-stock.test.ts'],
  },
  {
    name: 'api/inventory/stock',
    dir: 'packages/api',
    mutate: ['src/inventory/stock.ts'],
    testFiles: ['test/inventory.test.ts', 'test/order-transitions-stock.test.ts', 'test/stock-ledger.test.ts'],
  },
  {
    name: 'api/trpc',
    dir: 'packages/api',
    // The error formatter, the origin guard, the procedure builders and the access rules.
    mutate: ['src/trpc.ts'],
    // access-matrix.test.ts kills more but runs every procedure for every role: ~10x slower a mutant.
    testFiles: ['test/procedure-builders.test.ts'],
  },
  {
    name: 'api/auth/sessions',
    dir: 'packages/api',
    mutate: ['src/auth/sessions.ts'],
    testFiles: ['test/sessions.test.ts', 'test/sign-in-throttle.test.ts'],
  },
];

/** Where reports and incremental files go (kept out of git). */
export const cacheDir = '.stryker-cache';

/** A file name for a target. */
export const slug = (/** @type {string} */ name) => name.replace(/[^a-z0-9]+/gi, '-');

/**
 * Stryker's options for one target, by name in MUTATION_TARGET (set by scripts/mutation.mjs).
 * Paths are relative to the target's folder, which is Stryker's working directory.
 */
function configFor(/** @type {string | undefined} */ name) {
  const target = targets.find((t) => t.name === name);
  if (!target) throw new Error(`MUTATION_TARGET must name a target in stryker.config.mjs, got ${JSON.stringify(name)}`);
  const up = target.dir.split('/').map(() => '..').join('/');
  const cache = `${up}/${cacheDir}`;
  return {
    $schema: `${up}/node_modules/@stryker-mutator/core/schema/stryker-schema.json`,
    packageManager: 'npm',
    testRunner: 'vitest',
    // Native modules (argon2, sharp) and database pools are at home in child processes.
    vitest: { configFile: 'vitest.config.ts', related: false, pool: target.dir === 'packages/domain' ? 'threads' : 'forks' },
    mutate: target.mutate,
    testFiles: target.testFiles,
    coverageAnalysis: 'perTest',
    ignoreStatic: !target.testStatic && process.env.MUTATION_STATIC !== '1',
    checkers: target.typeCheck ? ['typescript'] : [],
    tsconfigFile: 'tsconfig.json',
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    // The machine is shared: two test runners at most (MUTATION_CONCURRENCY=1 for one).
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    timeoutMS: 20_000,
    reporters: ['json', 'progress', 'clear-text'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
    jsonReporter: { fileName: `${cache}/${slug(target.name)}.json` },
    incrementalFile: `${cache}/${slug(target.name)}.incremental.json`,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    // Only what the tests need is copied into the sandbox.
    ignorePatterns: ['dist', 'coverage', '.turbo', '.stryker-tmp', 'reports'],
  };
}

// scripts/mutation.mjs imports `targets` without a target set.
export default process.env.MUTATION_TARGET === undefined ? {} : configFor(process.env.MUTATION_TARGET);
