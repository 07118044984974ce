/**
 * Installed here, in Jest's own process, where every test runs when Jest has one worker (this project's
 * 2-core machines: it then runs in band).
 *
 * @temporalio/client retries a failed call from a timer (client/src/grpc-retry.ts). When a test has already given up
 * (its timeout) and its connection was closed in teardown, that timer can still fire and ask the closed channel for
 * a call, which @grpc/grpc-js answers by throwing "Channel has been shut down" from the timer: an uncaught exception
 * that killed the whole Jest run, long after the test that caused it had been reported as failed. That one error,
 * from that one place, is logged here and nothing else; any other uncaught exception still ends the process, as Node
 * would have.
 */
function isLateRetryOnClosedChannel(error) {
  // Not instanceof: the error comes from a test's module registry, whose Error is another realm's.
  return (
    typeof error?.message === 'string' &&
    error.message === 'Channel has been shut down' &&
    /grpc-retry/.test(error.stack ?? '')
  );
}

function installLateGrpcRetryGuard() {
  if (process.listeners('uncaughtException').some((listener) => listener.lateGrpcRetryGuard)) return;
  const guard = (error) => {
    if (isLateRetryOnClosedChannel(error)) {
      process.stderr.write(
        '[jest] a Temporal client retried a call on a connection already closed by a finished test; ignored\n',
      );
      return;
    }
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  };
  guard.lateGrpcRetryGuard = true;
  process.on('uncaughtException', guard);
}
installLateGrpcRetryGuard();

/** @type {import('jest').Config} */
// cookie 2 (light-my-request's, behind app.inject) ships ESM only: Jest's CommonJS runtime needs it compiled.
const transform = {
  '^.+\\.ts$': ['@swc/jest'],
  '/node_modules/cookie/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
};
const transformIgnorePatterns = ['/node_modules/(?!cookie/)'];
// Quiets the Temporal runtime's logs, for the projects that start workers; it loads @temporalio/worker, which the
// `pure` project never starts and which cost each of its files half a second of CPU.
const setupFiles = ['<rootDir>/test/support/quiet-runtime.ts'];
// Removes, at the end of each file, what a workflow replayed in Jest's own process leaves installed in it
// (test/support/workflow-hooks.ts says what and why).
const setupFilesAfterEnv = ['<rootDir>/test/support/workflow-hooks-teardown.ts'];
// The desk's catch-all address for escalation levels (mail/desk-roles.ts), so that contracts made by tests need not
// name a person for each level; the tests of that rule set their own. Children (the CLI) inherit it.
process.env.VIGIL_DESK_ROLES ??= '*=desk@vigil.test';

// The `temporal` project's files (folders end with /); every other test outside test/e2e/ is `pure`.
const temporalTests = [
  '<rootDir>/test/workflows/',
  '<rootDir>/test/replay/',
  '<rootDir>/test/domain/workflow-bundle.test.ts',
  '<rootDir>/test/cli/price.test.ts',
  '<rootDir>/test/cli/vigil.test.ts',
  '<rootDir>/test/infra/supervision.test.ts',
  '<rootDir>/test/infra/ports.test.ts',
  '<rootDir>/test/infra/time-skipping-keepalive.test.ts',
  '<rootDir>/test/worker/workflow-stack-traces-refusals.test.ts',
];

module.exports = {
  // Jest's 5 s default fails a hook or test that waits on real servers or spawns the CLI while the machine is busy
  // (CI runs beside other work); a file that needs longer says so with jest.setTimeout.
  testTimeout: 60_000,
  // Three projects by what a test starts (docs/maintainers.md, "Tests"); test/repository/test-projects.test.ts checks
  // that no file in `pure` reaches a Temporal server, a workflow bundle, a child process or PostgreSQL.
  projects: [
    {
      // Plain functions and in-process fakes (Fastify inject, in-memory stores), without the other projects' set-up.
      displayName: 'pure',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/e2e/', ...temporalTests],
    },
    {
      // Local but slow: the time-skipping Temporal server, the workflow bundle, replay of recorded histories, and the
      // files that run the CLI, the supervisor or servers on ports of their own as child processes. No shared server,
      // so no global set-up.
      displayName: 'temporal',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      setupFiles,
      setupFilesAfterEnv,
      testMatch: temporalTests.map((path) => (path.endsWith('/') ? `${path}**/*.test.ts` : path)),
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      setupFiles,
      setupFilesAfterEnv,
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
    },
  ],
};
