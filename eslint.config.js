// ESLint flat config. The pure core (ARCHITECTURE.md) is kept framework-free and deterministic
// by the `coreRestrictions` block below; src/__fixtures__/impureCore.ts proves it still bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

export const CORE_DIRS = ['xenstore', 'hypervisor', 'guest', 'drivers', 'sim'];

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Rules that keep the simulation core pure: no UI, no Node, no clock, no randomness, no timers. */
export const coreRestrictions = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        ...['react', 'react-dom', 'zustand', 'd3'].map((name) => ({
          name,
          message: 'The simulation core must not import UI libraries (ARCHITECTURE.md).',
        })),
        ...nodeBuiltins.map((name) => ({
          name,
          message: 'The simulation core must run in the browser: no Node built-ins.',
        })),
      ],
      patterns: [
        {
          group: ['react/*', 'react-dom/*', 'zustand/*', 'd3-*', 'd3/*', '@xstate/react', 'node:*'],
          message: 'The simulation core must not import UI libraries or Node built-ins (ARCHITECTURE.md).',
        },
      ],
    },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the scheduler’s seeded RNG (rng.next(name)).' },
    { object: 'Date', property: 'now', message: 'Use the scheduler’s model time.' },
    { object: 'performance', property: 'now', message: 'Use the scheduler’s model time.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date']",
      message: 'new Date reads the wall clock: use the scheduler’s model time.',
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Timers belong to the scheduler (model time).' },
    { name: 'setInterval', message: 'Timers belong to the scheduler (model time).' },
    { name: 'window', message: 'The simulation core has no DOM.' },
    { name: 'document', message: 'The simulation core has no DOM.' },
    { name: 'performance', message: 'Use the scheduler’s model time.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-test',
      '.tmp',
      'node_modules',
      'test-results',
      'playwright-report',
      '**/__fixtures__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: CORE_DIRS.map((d) => `src/${d}/**/*.ts`),
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: coreRestrictions,
  },
);
