/** @type {import('jest').Config} */
// cookie 2 (light-my-request's, behind app.inject) ships ESM only: Jest's CommonJS runtime needs it compiled.
const transform = {
  '^.+\\.ts$': ['@swc/jest'],
  '/node_modules/cookie/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!cookie/)'];
const setupFiles = ['<rootDir>/test/support/quiet-runtime.ts'];
// The desk's catch-all address for escalation levels (mail/desk-roles.ts), so that contracts made by tests need not
// name a person for each level; the tests of that rule set their own. Children (the CLI) inherit it.
process.env.VIGIL_DESK_ROLES ??= '*=desk@vigil.test';

module.exports = {
  // Jest's 5 s default fails a hook or test that waits on real servers or spawns the CLI while the machine is busy
  // (CI runs beside other work); a file that needs longer says so with jest.setTimeout.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      setupFiles,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/e2e/'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      setupFiles,
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
    },
  ],
};
