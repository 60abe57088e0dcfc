import { bistroEslintConfig } from '@bistro/eslint-config';

export default [
  ...bistroEslintConfig(import.meta.dirname),
  {
    // One clock in the pages too: every "now" comes from src/lib/clock.ts.
    files: ['src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use now() from lib/clock.ts.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use now() from lib/clock.ts.' },
      ],
    },
  },
];
