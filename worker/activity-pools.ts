import type { Pool } from 'pg';
import { createPool, type PoolErrorLog } from '../db/pool';
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
