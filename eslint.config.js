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
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: ['**/*.test.ts', '**/test/**', '**/bench/**'] }],
      'no-restricted-imports': ['error', { patterns: [deepImport, serviceImport, crossFolder] }],
    },
  },
);
