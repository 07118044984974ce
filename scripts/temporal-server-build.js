'use strict';
// The full Temporal server on PostgreSQL that a stack runs instead of the dev server when asked to (infra/temporal.ts):
// temporal-server and temporal-sql-tool from go.temporal.io/server, and the Web UI server, built from the Go module
// proxy into the cache like the Temporal CLI. Only when asked for: the build takes minutes that CI, which runs the dev
// server, would spend for nothing.
const { ensureGoTool } = require('./build-steps');
const { toolPaths } = require('./tool-paths');

const TEMPORAL_CHOICES = ['dev', 'full'];

/**
 * Which Temporal a stack runs: `--temporal=dev|full` (or `--temporal full`) among the arguments, else VIGIL_TEMPORAL,
 * else the dev server. Anything else is refused, so that a typo does not quietly run the other one.
 */
function temporalChoice(argv = process.argv.slice(2), env = process.env) {
  const at = argv.findIndex((arg) => arg === '--temporal' || arg.startsWith('--temporal='));
  const value =
    at < 0
      ? env.VIGIL_TEMPORAL || 'dev'
      : argv[at] === '--temporal'
        ? argv[at + 1]
        : argv[at].slice('--temporal='.length);
  if (!TEMPORAL_CHOICES.includes(value)) {
    throw new Error(
      `--temporal (or VIGIL_TEMPORAL) must be one of ${TEMPORAL_CHOICES.join(', ')}, got '${value ?? ''}'`,
    );
  }
  return value;
}

function ensureTemporalServer(paths = toolPaths()) {
  const server = paths.temporalServerVersion;
  const ui = paths.temporalUiServerVersion;
  ensureGoTool(paths, {
    what: `the Temporal server ${server}`,
    module: `go.temporal.io/server/cmd/server@${server}`,
    binary: 'server',
    target: paths.temporalServer,
    minutes: 'about 15 minutes',
  });
  ensureGoTool(paths, {
    what: `temporal-sql-tool ${server}`,
    module: `go.temporal.io/server/cmd/tools/sql@${server}`,
    binary: 'sql',
    target: paths.temporalSqlTool,
    minutes: 'under a minute after the server',
  });
  ensureGoTool(paths, {
    what: `the Temporal UI server ${ui}`,
    module: `github.com/temporalio/ui-server/v2/cmd/server@${ui}`,
    binary: 'server',
    target: paths.temporalUiServer,
    minutes: 'about 2 minutes',
  });
}

module.exports = { temporalChoice, ensureTemporalServer, TEMPORAL_CHOICES };
