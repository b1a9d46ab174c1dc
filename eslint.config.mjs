import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Architecture boundaries are lint errors, each with the reason, so a wrong import explains itself.
const noApp = {
  group: ['**/app/**', '**/app'],
  message: 'Nothing imports app/: it is the UI and route layer; shared code belongs in core/ or server/.',
};
const onlyCore = (who) => [
  noApp,
  {
    group: ['**/server/**', '**/drizzle/**', '**/server', '**/drizzle'],
    message: `${who} runs on other machines and may import only core/ (and npm packages): server/ and drizzle/ are not there.`,
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'public/monaco/**',
      '.next/**',
      '.ferry*/**',
      'drizzle/migrations/**',
      'next-env.d.ts',
      'bench/results/**',
      'edge-agent/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...onlyCore('core/'),
            { group: ['**/workers/**', '**/edge-agent/**'], message: 'core/ is the shared bottom layer: it imports no process folder.' },
          ],
          paths: [
            { name: 'pg', message: 'core/ is runtime-neutral: database drivers belong in drizzle/ and server/.' },
            { name: '@electric-sql/pglite', message: 'core/ is runtime-neutral: database drivers belong in drizzle/ and server/.' },
          ],
        },
      ],
    },
  },
  { files: ['workers/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: onlyCore('workers/') }] } },
  {
    files: ['edge-agent/**/*.ts', 'edge-agent/**/*.mjs'],
    rules: { 'no-restricted-imports': ['error', { patterns: onlyCore('edge-agent/') }] },
  },
  {
    files: ['server/**/*.ts', 'drizzle/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'playwright/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noApp] }] },
  },
  {
    files: ['app/**/*.tsx', 'app/_components/**/*.ts', 'app/_lib/**/*.ts'],
    ignores: ['app/**/route.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/drizzle/**', '**/workers/**', '**/edge-agent/**'],
              message: 'Client components run in the browser and import only core/; fetch data through the HTTP API.',
            },
          ],
        },
      ],
    },
  },
);
