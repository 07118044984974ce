#!/usr/bin/env node
'use strict';
// Brings a fresh clone to a runnable state with Node built-ins only: npm dependencies, the Temporal CLI and
// Mailpit (both built from the Go module proxy: their own downloads need the internet), the Java
// time-skipping test server and GreenMail (resolved from Maven Central), and with `--temporal=full` or VIGIL_TEMPORAL=full
// the full Temporal server (scripts/temporal-server-build.js). Each step is skipped when its result is already cached.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { listensOn, PortTaken, saysPortTaken, startOnFreePorts } = require('./ports');
const { toolPaths } = require('./tool-paths');
const { log, run, requireCommand, ensureGoTool } = require('./build-steps');
const { temporalChoice, ensureTemporalServer } = require('./temporal-server-build');

const repoRoot = path.resolve(__dirname, '..');

function dependencyManifestHash() {
  const hash = crypto.createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) hash.update(fs.readFileSync(path.join(repoRoot, file)));
  return hash.digest('hex');
}

function ensureNodeModules() {
  const stamp = path.join(repoRoot, 'node_modules', '.vigil-manifest-sha256');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === dependencyManifestHash()) return;
  log('installing npm dependencies…');
  // Not `npm ci`: a lockfile written without registry URLs omits other platforms' optional packages, which `npm ci` then reports as missing.
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: repoRoot });
  fs.writeFileSync(stamp, dependencyManifestHash());
}

function ensureTemporalCli(paths) {
  ensureGoTool(paths, {
    what: `the Temporal CLI ${paths.temporalCliVersion}`,
    module: `github.com/temporalio/cli/cmd/temporal@${paths.temporalCliVersion}`,
    binary: 'temporal',
    target: paths.temporalCli,
    minutes: 'about 4 minutes',
  });
}

// The SMTP capture `npm run dev` and the e-mail tests deliver to (32 s measured here, downloads included).
function ensureMailpit(paths) {
  ensureGoTool(paths, {
    what: `Mailpit ${paths.mailpitVersion}`,
    module: `github.com/axllent/mailpit@${paths.mailpitVersion}`,
    binary: 'mailpit',
    target: paths.mailpit,
    minutes: 'about a minute',
  });
}

// GreenMail standalone, the IMAP server the mailbox-polling tests read: one self-contained jar, copied from Maven
// Central through a scratch directory renamed into place, so an interrupted copy is never taken as done.
function ensureGreenMail(paths) {
  if (fs.existsSync(paths.greenmailJar)) return;
  requireCommand('java', 'run GreenMail, the IMAP server of the mail tests');
  requireCommand('mvn', 'fetch GreenMail');
  log(`fetching com.icegreen:greenmail-standalone:${paths.greenmailVersion} with Maven…`);
  const scratch = fs.mkdtempSync(path.join(paths.cacheDir, 'greenmail-'));
  try {
    run(
      'mvn',
      [
        '-B',
        '-q',
        'dependency:copy',
        `-Dartifact=com.icegreen:greenmail-standalone:${paths.greenmailVersion}:jar`,
        `-DoutputDirectory=${scratch}`,
      ],
      { quiet: true },
    );
    fs.mkdirSync(path.dirname(paths.greenmailJar), { recursive: true });
    fs.renameSync(path.join(scratch, path.basename(paths.greenmailJar)), paths.greenmailJar);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  log(`GreenMail ready: ${paths.greenmailJar}`);
}

function testServerIsComplete(paths) {
  if (!fs.existsSync(paths.testServerLauncher) || !fs.existsSync(paths.testServerClasspath)) return false;
  return fs
    .readFileSync(paths.testServerClasspath, 'utf8')
    .split(path.delimiter)
    .every((jar) => fs.existsSync(jar));
}

async function ensureTestServer(paths) {
  if (testServerIsComplete(paths)) return;
  requireCommand('java', 'run the time-skipping test server');
  requireCommand('mvn', 'resolve the time-skipping test server');
  log(`resolving io.temporal:temporal-test-server:${paths.testServerVersion} with Maven…`);
  fs.mkdirSync(path.dirname(paths.testServerClasspath), { recursive: true });
  run(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(repoRoot, 'tools', 'temporal-test-server', 'pom.xml'),
      `-Dtemporal.test-server.version=${paths.testServerVersion}`,
      `-Dmdep.outputFile=${paths.testServerClasspath}`,
      'dependency:build-classpath',
    ],
    { quiet: true },
  );
  const classpath = fs.readFileSync(paths.testServerClasspath, 'utf8').trim();
  // The SDK gives the server 5 s to answer: C1 only and the serial GC keep the JVM start near 1.5 s here.
  const launcher = [
    '#!/bin/sh',
    `exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '${classpath}' io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(paths.testServerLauncher, launcher, { mode: 0o755 });
  const startupMs = await measureTestServerStartup(paths.testServerLauncher);
  log(`time-skipping test server ready: it answered after ${startupMs} ms (the SDK waits 5000 ms)`);
}

/** Milliseconds from the test server's start to its listening, on a free port (again on another if one was taken). */
function measureTestServerStartup(launcher) {
  return startOnFreePorts(1, async ([port]) => {
    const started = Date.now();
    const server = spawn(launcher, [String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    server.stderr.on('data', (chunk) => (errors += chunk));
    try {
      while (!(await listensOn(server.pid, port))) {
        if (saysPortTaken(errors)) throw new PortTaken(`the test server could not bind port ${port}`);
        if (server.exitCode !== null) throw new Error(`test server exited with ${server.exitCode} before answering`);
        if (Date.now() - started > 30_000) throw new Error('test server did not answer within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return Date.now() - started;
    } finally {
      server.kill('SIGKILL');
    }
  });
}

async function main() {
  const paths = toolPaths();
  fs.mkdirSync(paths.cacheDir, { recursive: true });
  ensureNodeModules();
  ensureTemporalCli(paths);
  ensureMailpit(paths);
  // Opt-in (`--temporal=full` or VIGIL_TEMPORAL=full): CI and `npm run dev` run the dev server.
  if (temporalChoice() === 'full') ensureTemporalServer(paths);
  ensureGreenMail(paths);
  await ensureTestServer(paths);
  require('./console-browser').ensureChromium({ log, run });
  require('./mustang').ensureMustangValidator({ log, run });
}

main().catch((error) => {
  log(`failed: ${error.message}`);
  process.exit(1);
});
