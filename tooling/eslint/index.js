import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The shared lint settings (create-t3-turbo's tooling/eslint is the model): typescript-eslint's
 * type-checked rules on every package's own tsconfig, plus the few project rules below. Each
 * package's eslint.config.js is `export default bistroEslintConfig(import.meta.dirname)`.
 */
export function bistroEslintConfig(tsconfigRootDir) {
  return tseslint.config(
    { ignores: ['dist/**', 'build/**', 'test/fixtures/**', 'coverage/**', 'reports/**', '.stryker-tmp/**', 'node_modules/**', '*.config.js', '*.config.mjs'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      linterOptions: { reportUnusedDisableDirectives: 'error' },
      rules: {
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
        '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false, arguments: false } }],
        // Fastify hooks and interface implementations are async by contract, awaiting or not.
        '@typescript-eslint/require-await': 'off',
      },
    },
    {
      // One clock: procedures take `ctx.now()`; only the context's default reads the wall clock.
      files: ['src/**/*.ts'],
      rules: {
        'no-restricted-syntax': [
          'error',
          { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the injected clock (ctx.now()), not Date.now().' },
          { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected clock (ctx.now()), not new Date().' },
        ],
      },
    },
    {
      // A migration is a snapshot in time: it is typed Kysely<any>, never today's schema; so is what
      // runs migrations, reads a schema to generate its types, or wraps pg's untyped client.
      files: ['src/migrations/**/*.ts', 'src/migrate.ts', 'src/codegen.ts', 'src/testing.ts', 'src/named-statements.ts'],
      rules: {
        '@typescript-eslint/no-explicit-any': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
      },
    },
    {
      files: ['**/*.test.ts', 'test/**/*.ts'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
        '@typescript-eslint/unbound-method': 'off',
        // Tests read raw JSON answers and hostile values on purpose.
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-base-to-string': 'off',
        '@typescript-eslint/prefer-promise-reject-errors': 'off',
      },
    },
  );
}
