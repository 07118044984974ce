'use strict';
// The validators the tests check every e-invoice Vigil writes with, offline, from Maven Central: the Mustang validator
// (org.mustangproject:validator, Apache 2.0: Factur-X as PDF/A-3 through veraPDF, the Factur-X and EN 16931
// schematrons, EN 16931 UBL), one self-contained ("shaded") jar with no main class (tools/mustang/Validate.java is its
// command line); and OpenPEPPOL's Peppol BIS Billing 3.0 schematron compiled to XSLT, as phive-rules-peppol ships it
// (com.helger.phive.rules, Apache 2.0), run by tools/mustang/PeppolValidate.java with the Saxon inside Mustang's jar.
// Each jar is copied through a scratch directory renamed into place, so an interrupted copy is never taken as done.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MUSTANG_VERSION = '2.26.0';
const PEPPOL_RULES_VERSION = '4.3.7';

function cacheDir() {
  if (process.env.VIGIL_CACHE_DIR) return process.env.VIGIL_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'vigil');
}

const mustangJar = () =>
  path.join(cacheDir(), `mustang-validator-${MUSTANG_VERSION}`, `validator-${MUSTANG_VERSION}-shaded.jar`);
const peppolRulesJar = () =>
  path.join(cacheDir(), `mustang-validator-${MUSTANG_VERSION}`, `phive-rules-peppol-${PEPPOL_RULES_VERSION}.jar`);

function fetchJar({ log, run }, artifact, jar) {
  if (fs.existsSync(jar)) return;
  log(`fetching ${artifact} with Maven, for the e-invoice tests…`);
  fs.mkdirSync(cacheDir(), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cacheDir(), 'mustang-'));
  try {
    run('mvn', ['-B', '-q', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${scratch}`], {
      quiet: true,
    });
    fs.mkdirSync(path.dirname(jar), { recursive: true });
    fs.renameSync(path.join(scratch, path.basename(jar)), jar);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  log(`ready: ${jar}`);
}

function ensureMustangValidator(tools) {
  fetchJar(tools, `org.mustangproject:validator:${MUSTANG_VERSION}:jar:shaded`, mustangJar());
  fetchJar(tools, `com.helger.phive.rules:phive-rules-peppol:${PEPPOL_RULES_VERSION}:jar`, peppolRulesJar());
}

module.exports = { ensureMustangValidator, mustangJar, peppolRulesJar, MUSTANG_VERSION, PEPPOL_RULES_VERSION };
