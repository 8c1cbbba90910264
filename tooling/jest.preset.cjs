// Shared jest setup: TypeScript through swc (no type-check here; `pnpm typecheck` does that).
// Sources are ESM syntax compiled to CommonJS for jest, so no --experimental-vm-modules.
/** @param {{ integration?: boolean }} opts */
module.exports = function preset(opts = {}) {
  return {
    testEnvironment: 'node',
    transform: {
      '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    testTimeout: opts.integration ? 60_000 : 10_000,
  };
};
