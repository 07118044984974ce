import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import type { preHandlerHookHandler } from 'fastify';
import { TICKET_TASK_QUEUE } from '../messages/ticket';
import { DEFAULT_BUSY_BOUNDS, type BusyBounds } from './busy-bounds';
import { RETRY_AFTER_SECONDS, workersBusy } from './problems';

export { DEFAULT_BUSY_BOUNDS, type BusyBounds };

/** What waits for a worker on one task queue type: tasks no worker has started yet, and how long the oldest has waited. */
export interface QueueBacklog {
  tasks: number;
  oldestSeconds: number;
}

/** The ticket task queue's backlog, by the kind of task: a workflow task moves a ticket, an activity task writes what it decided. */
export interface Backlog {
  workflow: QueueBacklog;
  activity: QueueBacklog;
}

export type BacklogProbe = () => Promise<Backlog>;

const KINDS = {
  workflow: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  activity: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
} as const;

/**
 * The backlog as Temporal counts it (DescribeTaskQueue with its stats, which the dev server answers too): two small
 * calls under a deadline of their own, so that a slow Temporal makes the probe fail rather than wait.
 */
export function taskQueueBacklog(
  temporal: Client,
  { taskQueue = TICKET_TASK_QUEUE, timeoutMs }: { taskQueue?: string; timeoutMs: number },
): BacklogProbe {
  const describe = async (taskQueueType: proto.api.enums.v1.TaskQueueType): Promise<QueueBacklog> => {
    const { stats } = await temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
      temporal.workflowService.describeTaskQueue({
        namespace: temporal.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
        reportStats: true,
      }),
    );
    return {
      tasks: Number(stats?.approximateBacklogCount ?? 0),
      oldestSeconds: (optionalTsToMs(stats?.approximateBacklogAge) ?? 0) / 1000,
    };
  };
  return async () => {
    const [workflow, activity] = await Promise.all([describe(KINDS.workflow), describe(KINDS.activity)]);
    return { workflow, activity };
  };
}

/** Why the workers are too far behind to take more, or undefined while they keep up. */
export function behindBy(backlog: Backlog, { maxTasks, maxAgeSeconds }: BusyBounds): string | undefined {
  for (const kind of ['workflow', 'activity'] as const) {
    const { tasks, oldestSeconds } = backlog[kind];
    if (tasks > maxTasks || oldestSeconds > maxAgeSeconds) {
      return `${tasks} ${kind} tasks wait for a worker, the oldest for ${Math.round(oldestSeconds)} s (bounds: ${maxTasks} tasks, ${maxAgeSeconds} s)`;
    }
  }
  return undefined;
}

/**
 * Back-pressure on new tickets from the workers' backlog. A request never waits for Temporal here: it is judged on the
 * last reading, and a new probe starts when that one is older than the interval, one at a time. A probe that fails
 * leaves no reading (nothing is refused on a guess); the request's own Temporal call then says what is wrong.
 */
export class BackPressure {
  private reading: { backlog: Backlog; at: number } | undefined;
  private probing: Promise<void> | undefined;
  private probedAt = Number.NEGATIVE_INFINITY;
  /** Requests refused as busy since the start, for /metrics. */
  refused = 0;

  constructor(
    private readonly probe: BacklogProbe,
    readonly bounds: BusyBounds = DEFAULT_BUSY_BOUNDS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last backlog read, if the last probe succeeded. */
  latest(): Backlog | undefined {
    return this.reading?.backlog;
  }

  /** Starts a probe when the last one is older than the interval and none is in flight; resolves when it settles. */
  refresh(): Promise<void> {
    if (this.probing) return this.probing;
    if (this.now() - this.probedAt < this.bounds.probeIntervalMs) return Promise.resolve();
    this.probedAt = this.now();
    this.probing = this.probe().then(
      (backlog) => {
        this.reading = { backlog, at: this.now() };
      },
      () => {
        this.reading = undefined;
      },
    );
    void this.probing.finally(() => {
      this.probing = undefined;
      this.probedAt = this.now();
    });
    return this.probing;
  }

  /** Why a new ticket would be refused now, counting the refusal; undefined to take it. */
  refusal(): string | undefined {
    void this.refresh();
    const reason = this.reading && behindBy(this.reading.backlog, this.bounds);
    if (reason) this.refused += 1;
    return reason;
  }

  /** A preHandler for the routes that add work: 503 busy with Retry-After while the workers are behind. */
  hook(): preHandlerHookHandler {
    return (_request, _reply, done) => {
      const reason = this.refusal();
      done(
        reason
          ? workersBusy(`the workers are busy: ${reason}; try again in ${RETRY_AFTER_SECONDS} seconds`)
          : undefined,
      );
    };
  }
}

/** A probe that takes longer than this is itself a sign of load: it fails, and no request waits on it. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Back-pressure on a ticket task queue as the API runs it: api/server.ts on the deployed queue, the e2e stacks
 * (test/support/e2e/stack.ts) on their own.
 */
export function ticketQueueBackPressure(
  temporal: Client,
  bounds: BusyBounds,
  taskQueue = TICKET_TASK_QUEUE,
): BackPressure {
  return new BackPressure(taskQueueBacklog(temporal, { taskQueue, timeoutMs: PROBE_TIMEOUT_MS }), bounds);
}
