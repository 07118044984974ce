import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import type { ManagedProcess } from '../../infra/managed-process';
import { startTemporal, temporalChoice, type RunningTemporal } from '../../infra/temporal';
import { startOnFreePorts } from '../../scripts/ports';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-code';

/** Handles the teardown needs; globalSetup and globalTeardown share this process. */
export interface E2eServers {
  processes: ManagedProcess[];
  /** Stopped as a whole: the full server stops before its own PostgreSQL. */
  temporal?: RunningTemporal;
  dataDir?: string;
  /** The workflow code, bundled once for every stack of the run (test/support/e2e/stack.ts). */
  bundleDir?: string;
}

declare global {
  var vigilE2eServers: E2eServers | undefined;
}

// A real Temporal server and a real PostgreSQL for the end-to-end tests, unless the environment names its own: the dev
// server, or with VIGIL_TEMPORAL=full the full server on PostgreSQL (infra/temporal.ts; built by
// `VIGIL_TEMPORAL=full npm run bootstrap`).
export default async function globalSetup(): Promise<void> {
  const servers: E2eServers = { processes: [] };
  globalThis.vigilE2eServers = servers;
  const quiet = () => undefined;

  const pending: Promise<void>[] = [];
  if (!process.env.TEMPORAL_ADDRESS) {
    pending.push(
      (async () => {
        // The environment only: Jest's own arguments are not the stack's.
        const temporal = await startOnFreePorts(1, ([port]) =>
          startTemporal(temporalChoice([]), { port: port!, onLine: quiet }),
        );
        servers.temporal = temporal;
        process.env.TEMPORAL_ADDRESS = temporal.address;
      })(),
    );
  }
  if (!process.env.DATABASE_URL) {
    pending.push(
      (async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-pg-'));
        // PostgreSQL runs as its own user when we are root: it must be able to enter the directory.
        fs.chmodSync(dataDir, 0o755);
        servers.dataDir = dataDir;
        const postgres = await startOnFreePorts(1, ([port]) =>
          startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port: port!, onLine: quiet }),
        );
        servers.processes.push(postgres.process);
        process.env.DATABASE_URL = postgres.url;
      })(),
    );
  }
  pending.push(
    (async () => {
      // Bundled here, once, outside the tests' module registry: webpack run inside a Jest test environment, once per
      // stack, failed a CI run under load ("getModuleHashingError(...) is not a constructor") and costs seconds each.
      const { code } = await bundleWorkflowCode({
        ...WORKFLOW_BUNDLE_OPTIONS,
        logger: silentBundlerLogger,
      });
      servers.bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-bundle-'));
      const codePath = path.join(servers.bundleDir, 'workflows.js');
      fs.writeFileSync(codePath, code);
      process.env.VIGIL_E2E_WORKFLOW_BUNDLE = codePath;
    })(),
  );
  await Promise.all(pending);
}

const silentBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
};
