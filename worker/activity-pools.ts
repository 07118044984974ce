import type { Pool } from 'pg';
import { createPool, type PoolErrorLog } from '../db/pool';
import { DEFAULT_OUTBOX_LANES } from '../mail/dispatcher';
import { laneConnections } from '../mail/lanes';
import { DEFAULT_WEBHOOK_LANES } from '../mail/webhooks/dispatcher';
import { activityPoolSizes, type WorkerTuning } from './tuning';

/** The activities' PostgreSQL connections, as activityPoolSizes shares them out. */
export interface ActivityPools {
  /** The ticket queue's activities and the read-model writes. */
  shared: Pool;
  /** The notices' transactions alone (notifyThreshold). */
  notices: Pool;
  end(): Promise<void>;
}

/**
 * The worker's pools for its activities (worker/main.ts). Each bounds the wait for a connection by
 * VIGIL_WORKER_DB_CONNECT_TIMEOUT_MS: an activity that cannot get one fails with PoolExhaustedError (db/pool.ts), which
 * Temporal retries, instead of waiting into its start-to-close timeout.
 */
export function createActivityPools(connectionString: string, tuning: WorkerTuning, log: PoolErrorLog): ActivityPools {
  const sizes = activityPoolSizes(tuning);
  const pool = (name: keyof typeof sizes) =>
    createPool(
      { connectionString, max: sizes[name], connectionTimeoutMillis: tuning.dbConnectTimeoutMs },
      log,
      `activities' ${name}`,
    );
  const shared = pool('shared');
  const notices = pool('notices');
  return {
    shared,
    notices,
    async end() {
      await Promise.all([shared.end(), notices.end()]);
    },
  };
}

/** The dispatchers' pools of worker/main.ts, apart from the activities' so that their lanes never wait behind them. */
export const DISPATCHER_POOL_SIZES = {
  outbox: laneConnections(DEFAULT_OUTBOX_LANES),
  webhooks: laneConnections(DEFAULT_WEBHOOK_LANES),
} as const;

/**
 * Every PostgreSQL connection one worker process may hold at once: its activities' pools and its dispatchers'. What
 * PostgreSQL's max_connections must leave room for, per worker (docker-compose.yml, test/repository/docker-compose.test.ts).
 */
export const workerConnections = (tuning: WorkerTuning): number =>
  [...Object.values(activityPoolSizes(tuning)), ...Object.values(DISPATCHER_POOL_SIZES)].reduce((a, b) => a + b, 0);
