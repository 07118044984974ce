import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import type { preHandlerHookHandler } from 'fastify';
import { noticeTaskQueue, readModelTaskQueue, TICKET_TASK_QUEUE } from '../messages/ticket';
import { DEFAULT_BUSY_BOUNDS, type BusyBounds } from './busy-bounds';
import { RETRY_AFTER_SECONDS, workersBusy } from './problems';

export { DEFAULT_BUSY_BOUNDS, type BusyBounds };

/** The task queues of a ticket's work, each served by a worker of its own (worker/create-worker.ts). */
export type WorkQueue = 'tickets' | 'notices' | 'read-model';
export type TaskKind = 'workflow' | 'activity';

/** What waits for a worker on one queue and kind: tasks no worker has started yet, and how long the oldest has waited. */
export interface QueueBacklog {
  queue: WorkQueue;
  kind: TaskKind;
  tasks: number;
  oldestSeconds: number;
}

/**
 * The backlogs the probe reads: the ticket queue's workflow tasks (every move of a ticket, and a new ticket's
 * registration, a local activity inside its first) and activities (planning, bills); the notices' and the read model's
 * activities (those queues have no workflow task).
 */
export const PROBED: ReadonlyArray<Pick<QueueBacklog, 'queue' | 'kind'>> = [
  { queue: 'tickets', kind: 'workflow' },
  { queue: 'tickets', kind: 'activity' },
  { queue: 'notices', kind: 'activity' },
  { queue: 'read-model', kind: 'activity' },
];

export type Backlog = QueueBacklog[];
export type BacklogProbe = () => Promise<Backlog>;

/**
 * What a backlog on each queue refuses, judged as a desk would: a ticket taken must be registered and acknowledged at
 * once, and the right people told when its thresholds pass.
 * - tickets: an opening's answer waits for this queue (the workflow's first task, which registers it). Past either
 *   bound a new ticket would not be registered in time, and taking it only lengthens the wait of the next: refused.
 * - notices: a warning or breach notice waiting past the age bound is late now, an SLA promise broken without anyone
 *   knowing. Every ticket taken adds workflow tasks and activities to the same worker process, Temporal and PostgreSQL
 *   the late notices wait for, and promises notices of its own: refused until they catch up. A refused customer is told
 *   (503 busy, Retry-After) and sends again; a late notice tells nobody. Their count alone refuses nothing: tickets
 *   opened in one night share their thresholds and their notices are queued together when the calendar opens (a
 *   burst the notice worker's slots drain in seconds); while the oldest has not waited past the bound, none is late.
 * - read-model: its writes keep lists, reports and the board current, not the tickets: a new ticket's registration
 *   writes its row itself (on the ticket queue), its deadlines and notices run in its workflow, and a GET of a ticket
 *   asks the workflow. Refusing customers would not make these writes faster (a backlog here alone means this queue's
 *   own slots or pollers are short, worker/tuning.ts): it refuses nothing, and its age on /metrics is the alert.
 */
const REFUSES_ON: Record<WorkQueue, 'count or age' | 'age' | 'nothing'> = {
  tickets: 'count or age',
  notices: 'age',
  'read-model': 'nothing',
};

/** What the API knows of the load when a new ticket comes: the last backlog read, and its own openings in flight. */
export interface Load {
  /** Absent when no probe answered lately. */
  backlog?: Backlog;
  /** How long the oldest opening this API is still answering has waited; 0 when none is in flight. */
  oldestOpeningSeconds: number;
}

/** Why a new ticket would not be processed in time now, or undefined while the workers keep up. */
export function behindBy({ backlog = [], oldestOpeningSeconds }: Load, bounds: BusyBounds): string | undefined {
  const { maxTasks, maxAgeSeconds } = bounds;
  for (const { queue, kind, tasks, oldestSeconds } of backlog) {
    const rule = REFUSES_ON[queue];
    const late = oldestSeconds > maxAgeSeconds;
    const oldest = `the oldest for ${Math.round(oldestSeconds)} s`;
    if (rule === 'count or age' && (late || tasks > maxTasks))
      return `${tasks} ${kind} tasks wait for a worker on the ticket queue, ${oldest} (bounds: ${maxTasks} tasks, ${maxAgeSeconds} s)`;
    if (rule === 'age' && late)
      return `${tasks} warning or breach notices wait for a worker, ${oldest} (bound: ${maxAgeSeconds} s)`;
  }
  // Temporal's backlog counts only tasks no worker has taken: a worker starved of CPU takes its tasks at once and
  // then sits on them, and the openings time out while every backlog stays near zero. The openings' own wait shows it.
  if (oldestOpeningSeconds > maxAgeSeconds)
    return `a ticket opening has waited ${Math.round(oldestOpeningSeconds)} s for its registration (bound: ${maxAgeSeconds} s)`;
  return undefined;
}

const TASK_QUEUE_TYPES: Record<TaskKind, proto.api.enums.v1.TaskQueueType> = {
  workflow: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  activity: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
};

const QUEUE_NAMES: Record<WorkQueue, (ticketQueue: string) => string> = {
  tickets: (ticketQueue) => ticketQueue,
  notices: noticeTaskQueue,
  'read-model': readModelTaskQueue,
};

/**
 * The backlogs as Temporal counts them (DescribeTaskQueue with its stats: approximateBacklogCount and
 * approximateBacklogAge, which the dev server and the full server answer alike, refreshed by the server every few
 * seconds): four small calls at once under a deadline of their own, so that a slow Temporal makes the probe fail
 * rather than wait.
 */
export function taskQueueBacklog(
  temporal: Client,
  { taskQueue = TICKET_TASK_QUEUE, timeoutMs }: { taskQueue?: string; timeoutMs: number },
): BacklogProbe {
  const describe = async ({ queue, kind }: (typeof PROBED)[number]): Promise<QueueBacklog> => {
    const { stats } = await temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
      temporal.workflowService.describeTaskQueue({
        namespace: temporal.options.namespace,
        taskQueue: { name: QUEUE_NAMES[queue](taskQueue) },
        taskQueueType: TASK_QUEUE_TYPES[kind],
        reportStats: true,
      }),
    );
    return {
      queue,
      kind,
      tasks: Number(stats?.approximateBacklogCount ?? 0),
      oldestSeconds: (optionalTsToMs(stats?.approximateBacklogAge) ?? 0) / 1000,
    };
  };
  return () => Promise.all(PROBED.map(describe));
}

/** A probe that takes longer than this is itself a sign of load: it fails, and no request waits on it. */
const PROBE_TIMEOUT_MS = 1_000;

/** Rejects after `ms`, unless `work` settles first; the timer never outlives the race. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the backlog probe took more than ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Back-pressure on new tickets from the workers' backlogs and the API's own openings in flight. A request never waits
 * for Temporal here: it is judged on the last reading, and a new probe starts when that one is older than the
 * interval, one at a time, each given PROBE_TIMEOUT_MS at most.
 *
 * It fails open: a probe that fails or takes too long leaves no reading, and openings are then judged on their own
 * wait alone. Refusing on a guess would turn a slow answer from DescribeTaskQueue into an outage of new tickets, and a
 * refusal then could only say "busy" or "unreachable" without knowing which; each opening's own Temporal call has its
 * deadline and says what is wrong (api/temporal-deadline.ts, api/dependency-errors.ts), and a slow Temporal slows the
 * openings in flight, which this gate sees without any probe.
 */
export class BackPressure {
  private reading: { backlog: Backlog; at: number } | undefined;
  private probing: Promise<void> | undefined;
  private probedAt = Number.NEGATIVE_INFINITY;
  /** When each opening taken and not yet answered began, oldest first (a Map keeps insertion order). */
  private readonly openings = new Map<object, number>();
  /** Requests refused as busy since the start, for /metrics. */
  refused = 0;

  constructor(
    private readonly probe: BacklogProbe,
    readonly bounds: BusyBounds = DEFAULT_BUSY_BOUNDS,
    private readonly now: () => number = Date.now,
    private readonly probeTimeoutMs = PROBE_TIMEOUT_MS,
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
    this.probing = within(this.probe(), this.probeTimeoutMs).then(
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

  /** Counts an opening taken until `done` is called: its answer sent, or its client gone. */
  opening(): () => void {
    const token = {};
    this.openings.set(token, this.now());
    return () => this.openings.delete(token);
  }

  /** What a new ticket is judged on now. */
  load(): Load {
    const oldest = this.openings.values().next();
    return {
      ...(this.reading ? { backlog: this.reading.backlog } : {}),
      oldestOpeningSeconds: oldest.done ? 0 : (this.now() - oldest.value) / 1000,
    };
  }

  /** Why a new ticket would be refused now, counting the refusal; undefined to take it. */
  refusal(): string | undefined {
    void this.refresh();
    const reason = behindBy(this.load(), this.bounds);
    if (reason) this.refused += 1;
    return reason;
  }

  /**
   * A preHandler for the routes that add work: 503 busy with Retry-After while the workers are behind; a request taken
   * counts as an opening in flight until its response is sent or its connection closed.
   */
  hook(): preHandlerHookHandler {
    return (_request, reply, done) => {
      const reason = this.refusal();
      if (reason)
        return done(workersBusy(`the workers are busy: ${reason}; try again in ${RETRY_AFTER_SECONDS} seconds`));
      reply.raw.once('close', this.opening());
      done();
    };
  }
}

/**
 * Back-pressure on a ticket task queue and its notice and read-model queues as the API runs it: api/server.ts on the
 * deployed queues, the e2e stacks (test/support/e2e/stack.ts) on their own.
 */
export function ticketQueueBackPressure(
  temporal: Client,
  bounds: BusyBounds,
  taskQueue = TICKET_TASK_QUEUE,
): BackPressure {
  return new BackPressure(taskQueueBacklog(temporal, { taskQueue, timeoutMs: PROBE_TIMEOUT_MS }), bounds);
}
