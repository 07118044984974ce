import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';

/** Resolves when a dependency answers; GET /ready runs each under a timeout of its own. */
export type ReadinessCheck = () => Promise<unknown>;
export type ReadinessChecks = Record<string, ReadinessCheck>;

export const postgresReady =
  (db: Pool): ReadinessCheck =>
  () =>
    db.query('SELECT 1');

/** A deadline on the call itself, so that the SDK's retries stop with the check instead of running on unseen. */
export const temporalReady =
  (temporal: Client, timeoutMs: number): ReadinessCheck =>
  () =>
    temporal.connection.withDeadline(Date.now() + timeoutMs, () => temporal.workflowService.getSystemInfo({}));
