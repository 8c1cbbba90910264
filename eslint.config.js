// Lint for the whole workspace. The import rules enforce the architecture in CONVENTIONS.md:
// services meet only on topics (never import each other), packages never import services,
// nobody reaches into another package's src/, no cycles, no undeclared dependencies.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const deepImport = { group: ['@stratum/*/src', '@stratum/*/src/*'], message: 'Import a package by its name, not its src/ files.' };
const serviceImport = { group: ['@stratum/service-*'], message: 'Services meet only on Kafka topics; packages never import services.' };
const crossFolder = { group: ['**/services/*', '**/packages/*/src/*', '../../*'], message: 'No relative imports across packages or services.' };

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.turbo/**', 'data/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: ['**/*.test.ts', '**/test/**', '**/bench/**', '**/src/testing.ts'] }],
      'no-restricted-imports': ['error', { patterns: [deepImport, serviceImport, crossFolder] }],
    },
  },
  {
    // Plain Node scripts outside the TypeScript packages (the Docker image's build step).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Config is read once, validated, and injected (docs/configuration.md): only @stratum/config
    // touches the environment. Tests, benchmarks and the CLI's flag defaults may read it.
    files: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
    ignores: ['packages/config/src/**', 'packages/cli/**', '**/*.test.ts', '**/test/**', 'bench/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read config through @stratum/config: defineConfig + loadConfig(definition, processEnv()) in main.ts.' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [deepImport, serviceImport, crossFolder],
          paths: ['process', 'node:process'].map((name) => ({ name, importNames: ['env'], message: 'Read config through @stratum/config.' })),
        },
      ],
    },
  },
);
