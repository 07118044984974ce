'use strict';
// The browser the console's tests drive (test/e2e/console-*.test.ts): Chromium from Debian's packages, since
// playwright-core's own download needs the internet. Installed when missing on CI (CI=true, as root, with apt-get);
// elsewhere the bootstrap says what to run rather than touching the machine's packages.
const fs = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';

function ensureChromium({ log, run }) {
  if (process.env.VIGIL_CHROMIUM || fs.existsSync(CHROMIUM)) return;
  const canInstall = process.env.CI === 'true' && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    log(`Chromium is not at ${CHROMIUM}: the console's browser tests need it (apt-get install -y chromium, or VIGIL_CHROMIUM=/path)`);
    return;
  }
  log('installing Chromium from Debian for the console tests (apt-get, about a minute)…');
  run('apt-get', ['update', '-qq'], { quiet: true });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { quiet: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  log(`Chromium ready: ${CHROMIUM}`);
}

module.exports = { ensureChromium, CHROMIUM };
