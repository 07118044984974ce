import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import type { ManagedProcess } from '../../infra/managed-process';
import { freePort } from '../../infra/net';
import { startTemporalDevServer } from '../../infra/temporal-dev-server';

/** Handles the teardown needs; globalSetup and globalTeardown share this process. */
export interface E2eServers {
  processes: ManagedProcess[];
  dataDir?: string;
}

declare global {
  var vigilE2eServers: E2eServers | undefined;
}

// A real Temporal dev server and a real PostgreSQL for the end-to-end tests, unless the environment names its own.
export default async function globalSetup(): Promise<void> {
  const servers: E2eServers = { processes: [] };
  globalThis.vigilE2eServers = servers;
  const quiet = () => undefined;

  const pending: Promise<void>[] = [];
  if (!process.env.TEMPORAL_ADDRESS) {
    pending.push(
      (async () => {
        const temporal = await startTemporalDevServer({ port: await freePort(), onLine: quiet });
        servers.processes.push(temporal.process);
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
        const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port: await freePort(), onLine: quiet });
        servers.processes.push(postgres.process);
        process.env.DATABASE_URL = postgres.url;
      })(),
    );
  }
  await Promise.all(pending);
}
