import path from 'node:path';
import { startTemporalDevServer } from './temporal-dev-server';
import { startFullTemporal, type FullTemporalOptions, type RunningTemporal } from './temporal-server';
import type { TemporalChoice } from '../scripts/temporal-server-build';

export { temporalChoice, type TemporalChoice } from '../scripts/temporal-server-build';
export type { RunningTemporal } from './temporal-server';

/**
 * As the full server takes them (infra/temporal-server.ts), except `dataDir`: the folder each kind keeps its data in,
 * the dev server's SQLite file or the full server's PostgreSQL.
 */
export type TemporalOptions = FullTemporalOptions;

/**
 * The Temporal server a stack (`npm run dev`, the e2e tests) runs: the CLI's dev server (one process, SQLite), or the
 * full server on PostgreSQL with `--temporal=full` / VIGIL_TEMPORAL=full (infra/temporal-server.ts). Both answer on
 * `port` with the `default` namespace and Vigil's search attributes registered.
 */
export async function startTemporal(choice: TemporalChoice, options: TemporalOptions): Promise<RunningTemporal> {
  if (choice === 'full') {
    return startFullTemporal({ ...options, dataDir: options.dataDir && path.join(options.dataDir, 'postgres') });
  }
  const { dataDir, postgresPort: _unused, ...devOptions } = options;
  const dev = await startTemporalDevServer({
    ...devOptions,
    ...(dataDir ? { dbFile: path.join(dataDir, 'temporal.db') } : {}),
  });
  return { address: dev.address, uiUrl: dev.uiUrl, processes: [dev.process], stop: () => dev.process.stop() };
}
