module.exports = {
  ...require('../../tooling/jest.preset.cjs')({ integration: true }),
  // Compiles the CLI once per run for the tests' child processes (test/cli-bundle.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
