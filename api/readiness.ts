import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import type { Pool } from 'pg';
import { TICKET_TASK_QUEUE } from '../messages/ticket';
import { NoWorkerPolling } from './dependency-errors';

/** Resolves when a dependency answers; GET /ready runs each under a timeout of its own. */
export type ReadinessCheck = () => Promise<unknown>;
/** By name, as /ready reports them: a part of the system adds its own check here. */
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

/**
 * Temporal records a poller when its long poll starts, and on an idle queue a poll waits up to a minute (measured on
 * the dev server: a live worker's last access was up to 59 s old). A worker seen within this is taken as polling; one
 * that died is still seen for up to this long, during which a request that needs it times out instead.
 */
export const WORKER_SEEN_WITHIN_MS = 70_000;

export interface WorkerPollingOptions {
  taskQueue?: string;
  timeoutMs: number;
  seenWithinMs?: number;
  now?: () => number;
}

/**
 * Whether a worker polls the ticket task queue, from Temporal's record of its pollers: without one, Temporal is up and
 * yet no ticket moves, no query is answered and every action waits. Rejects with NoWorkerPolling.
 */
export function workerPolling(
  temporal: Client,
  {
    taskQueue = TICKET_TASK_QUEUE,
    timeoutMs,
    seenWithinMs = WORKER_SEEN_WITHIN_MS,
    now = Date.now,
  }: WorkerPollingOptions,
): ReadinessCheck {
  return async () => {
    const { pollers } = await temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
      temporal.workflowService.describeTaskQueue({
        namespace: temporal.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const lastSeen = Math.max(0, ...pollers.map((poller) => optionalTsToMs(poller.lastAccessTime) ?? 0));
    if (!(now() - lastSeen <= seenWithinMs)) throw new NoWorkerPolling(taskQueue);
  };
}

/** Temporal's own checks: the server answers, and a worker takes the tickets' tasks. */
export function temporalReadiness(temporal: Client, options: WorkerPollingOptions): ReadinessChecks {
  return { temporal: temporalReady(temporal, options.timeoutMs), worker: workerPolling(temporal, options) };
}

/**
 * The outcome of `check`, shared by every caller until `ttlMs` after it settled: however many ask, the dependency
 * is asked at most once per period (a rejection is shared as well, and not reported unhandled meanwhile).
 */
export function sharedFor<T>(ttlMs: number, check: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let current: { outcome: Promise<T>; expiresAt: number } | undefined;
  return () => {
    if (current && current.expiresAt > now()) return current.outcome;
    const entry = { outcome: check(), expiresAt: Number.POSITIVE_INFINITY };
    const settled = () => {
      entry.expiresAt = now() + ttlMs;
    };
    entry.outcome.then(settled, settled);
    current = entry;
    return entry.outcome;
  };
}
