'use strict';
// The steps scripts/bootstrap.js builds the project's tools with, Node built-ins only: shared with
// scripts/temporal-server-build.js, which `npm run dev -- --temporal=full` also runs on its own.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const log = (message) => process.stderr.write(`[bootstrap] ${message}\n`);

function run(command, args, { quiet = false, ...options } = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    ...options,
  });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  }
}

function requireCommand(command, why) {
  const found = spawnSync(command, ['--version'], { stdio: 'ignore' });
  if (found.error) throw new Error(`'${command}' is not on PATH; it is needed to ${why}.`);
}

/**
 * `go install`s one Go command into the cache, through a scratch GOBIN renamed into place: an interrupted build
 * leaves no half-written binary for the next run to take as done. Pure Go (CGO_ENABLED=0): no C toolchain needed.
 */
function ensureGoTool(paths, { what, module, binary, target, minutes }) {
  if (fs.existsSync(target)) return;
  requireCommand('go', `build ${what}`);
  log(`building ${what} from the Go module proxy (first run only: ${minutes} on 2 cores)…`);
  const gobin = fs.mkdtempSync(path.join(paths.cacheDir, 'gobin-'));
  try {
    run('go', ['install', module], { env: { ...process.env, CGO_ENABLED: '0', GOBIN: gobin } });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(gobin, binary), target);
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
  log(`${what} ready: ${target}`);
}

module.exports = { log, run, requireCommand, ensureGoTool };
