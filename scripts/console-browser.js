'use strict';
// The browser the console's tests drive (test/e2e/console-*.test.ts): Chromium from Debian's packages, since
// playwright-core's own download needs the internet. Installed when missing wherever the bootstrap can (as root, with
// apt-get), on CI and on a developer's machine alike; elsewhere it says how to install it. Without it those tests fail
// in their beforeAll (test/support/e2e/console.ts launchChromium), naming what to install: they never pass silently.
const fs = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';
const HOW = "apt-get install -y chromium (as root; Debian's package), or set VIGIL_CHROMIUM=/path/to/chromium";

/** The one line said when no Chromium is there: where it is looked for, how to get it, what happens to the tests. */
const missing = (where) =>
  `Chromium is not at ${where}: the console's browser tests (test/e2e/console-*.test.ts) will FAIL until it is there; install it with ${HOW}`;

function ensureChromium({ log, run, isRoot = process.getuid?.() === 0, exists = fs.existsSync, env = process.env }) {
  const chosen = env.VIGIL_CHROMIUM;
  if (chosen) {
    if (!exists(chosen)) log(missing(`VIGIL_CHROMIUM=${chosen}`));
    return;
  }
  if (exists(CHROMIUM)) return;
  if (!isRoot || !exists('/usr/bin/apt-get')) {
    log(missing(CHROMIUM));
    return;
  }
  log('installing Chromium from Debian for the console tests (apt-get, about a minute)…');
  try {
    run('apt-get', ['update', '-qq'], { quiet: true });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      quiet: true,
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    // On CI the browser tests are part of the run: a failed install stops it here, with apt-get's own words.
    if (env.CI === 'true') throw error;
    log(`${missing(CHROMIUM)} (apt-get failed: ${error.message})`);
    return;
  }
  if (!exists(CHROMIUM)) throw new Error(`apt-get installed chromium, yet ${CHROMIUM} is missing`);
  log(`Chromium ready: ${CHROMIUM}`);
}

module.exports = { ensureChromium, CHROMIUM };
