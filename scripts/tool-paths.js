'use strict';
// Where the project's built tools live: outside the repo, so a fresh clone on the same machine reuses them.
const os = require('node:os');
const path = require('node:path');

const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEST_SERVER_VERSION = '1.38.0';
// The SMTP capture with a web UI that `npm run dev` and the e-mail tests deliver to.
const MAILPIT_VERSION = 'v1.33.1';
// The IMAP server the mailbox-polling tests read (mail/inbound/imap-poller.ts): one jar from Maven Central.
const GREENMAIL_VERSION = '2.1.3';
// The full Temporal server on PostgreSQL (`npm run dev -- --temporal=full`, infra/temporal-server.ts), built only when
// asked for. Its Web UI server is the one the Temporal CLI above embeds beside the same server version, v1.29.1: the
// pair that release was tested with.
const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';

function cacheDir() {
  if (process.env.VIGIL_CACHE_DIR) return process.env.VIGIL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'vigil');
}

function toolPaths() {
  const root = cacheDir();
  const testServerDir = path.join(root, `temporal-test-server-${TEST_SERVER_VERSION}`);
  const temporalServerDir = path.join(root, `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  return {
    cacheDir: root,
    temporalCliVersion: TEMPORAL_CLI_VERSION,
    temporalCli: path.join(root, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'),
    temporalServerVersion: TEMPORAL_SERVER_VERSION,
    temporalServer: path.join(temporalServerDir, 'temporal-server'),
    temporalSqlTool: path.join(temporalServerDir, 'temporal-sql-tool'),
    temporalUiServerVersion: TEMPORAL_UI_SERVER_VERSION,
    temporalUiServer: path.join(root, `temporal-ui-server-${TEMPORAL_UI_SERVER_VERSION}`, 'temporal-ui-server'),
    testServerVersion: TEST_SERVER_VERSION,
    testServerClasspath: path.join(testServerDir, 'classpath.txt'),
    testServerLauncher: path.join(testServerDir, 'temporal-test-server'),
    mailpitVersion: MAILPIT_VERSION,
    mailpit: path.join(root, `mailpit-${MAILPIT_VERSION}`, 'mailpit'),
    greenmailVersion: GREENMAIL_VERSION,
    greenmailJar: path.join(root, `greenmail-${GREENMAIL_VERSION}`, `greenmail-standalone-${GREENMAIL_VERSION}.jar`),
  };
}

module.exports = { toolPaths };
