'use strict';
// The Mustang validator (org.mustangproject:validator, Apache 2.0), with which the tests check every e-invoice Vigil
// writes: Factur-X (PDF/A-3 through veraPDF, the Factur-X and EN 16931 schematrons) and EN 16931 UBL, offline. One
// self-contained ("shaded") jar from Maven Central, copied through a scratch directory renamed into place, so an
// interrupted copy is never taken as done. It has no main class: tools/mustang/Validate.java is its command line.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MUSTANG_VERSION = '2.26.0';

function cacheDir() {
  if (process.env.VIGIL_CACHE_DIR) return process.env.VIGIL_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'vigil');
}

const mustangJar = () => path.join(cacheDir(), `mustang-validator-${MUSTANG_VERSION}`, `validator-${MUSTANG_VERSION}-shaded.jar`);

function ensureMustangValidator({ log, run }) {
  const jar = mustangJar();
  if (fs.existsSync(jar)) return;
  log(`fetching org.mustangproject:validator:${MUSTANG_VERSION} (shaded) with Maven, for the e-invoice tests…`);
  fs.mkdirSync(cacheDir(), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cacheDir(), 'mustang-'));
  try {
    run('mvn', ['-B', '-q', 'dependency:copy', `-Dartifact=org.mustangproject:validator:${MUSTANG_VERSION}:jar:shaded`, `-DoutputDirectory=${scratch}`], { quiet: true });
    fs.mkdirSync(path.dirname(jar), { recursive: true });
    fs.renameSync(path.join(scratch, path.basename(jar)), jar);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  log(`Mustang validator ready: ${jar}`);
}

module.exports = { ensureMustangValidator, mustangJar, MUSTANG_VERSION };
