import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPlanningActivities, type PolicySource } from '../activities/clock-planner';
import { createInvoicingActivities } from '../activities/invoicing';
import { createActivities, type TicketActivities } from '../activities/ticket-activities';
import { noticeTaskQueue, readModelTaskQueue, TICKET_TASK_QUEUE } from '../messages/ticket';
import { pgPolicyCatalog } from '../db/policy-versions';
import { DEFAULT_WORKER_TUNING, type WorkerTuning } from './tuning';
import { WORKFLOW_CODE } from './workflow-code';

export interface TicketWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  db: Pool;
  /** The notices' own connections (worker/activity-pools.ts); by default `db`. */
  noticeDb?: Pool;
  taskQueue?: string;
  /** Where tickets find their policy versions: by default the published ones in `db` (the notices' in `noticeDb`). */
  policies?: PolicySource;
  /**
   * The workflow code bundled beforehand (bundleWorkflowCode), for processes that start many workers: the end-to-end
   * tests bundle once in their global setup rather than once per stack inside Jest. Absent: bundled from workflows/.
   */
  workflowBundle?: { codePath: string };
  /** The outbox dispatcher's deliverNow on `db`, for notices to leave from the activity that queues them. */
  deliverNow?: (keys: readonly string[]) => Promise<void>;
  /** Queues this process leaves to others (WorkerGroupOptions.without). */
  without?: WorkerGroupOptions['without'];
}

/** The workers of one process, started and stopped together. */
export interface VigilWorkers {
  /** The tickets' workflows and the ticket queue's activities; its task queue is the one the API starts tickets on. */
  ticket: Worker;
  /** Absent when the group was created without it. */
  notices?: Worker;
  readModel?: Worker;
  /** Runs all three until each has stopped; one that stops (a signal, a fatal error) stops the others. */
  run(): Promise<void>;
  shutdown(): void;
}

export interface WorkerGroupOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  workflows: Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle' | 'bundlerOptions'>;
  /** Every activity of the ticket workflow, and any other the ticket queue serves (planning, invoicing). */
  activities: TicketActivities & Record<string, (...args: never[]) => Promise<unknown>>;
  tuning: WorkerTuning;
  /**
   * Queues the group does not serve: a worker process serves all three, and test/e2e/back-pressure.test.ts leaves the
   * notices' out to see what their backlog does to the API while tickets are still served.
   */
  without?: ReadonlyArray<'notices' | 'read-model'>;
}

/**
 * A burst of new tickets fills the ticket queue with workflow tasks (each opening's registration runs inside its first)
 * and planning; a warning or a breach due then must not wait behind them. Its notice and the read-model write it
 * brings run on queues of their own (messages/ticket.ts names them), each served by a worker of its own with its own
 * pollers and slots, so they are taken as soon as they are scheduled, whatever the ticket queue's backlog. The ticket
 * worker registers them too: an activity scheduled on the ticket queue by an earlier version of the workflow still
 * finds a worker there.
 */
export async function createWorkerGroup({
  connection,
  namespace = 'default',
  taskQueue,
  workflows,
  activities,
  tuning,
  without = [],
}: WorkerGroupOptions): Promise<VigilWorkers> {
  const simple = (maximum: number) => ({ type: 'simple-maximum' as const, maximum });
  const ticket = await Worker.create({
    connection,
    namespace,
    taskQueue,
    ...workflows,
    activities,
    workflowTaskPollerBehavior: simple(tuning.workflowPollers),
    maxConcurrentWorkflowTaskExecutions: tuning.workflowSlots,
    maxCachedWorkflows: tuning.cachedWorkflows,
    activityTaskPollerBehavior: simple(tuning.activityPollers),
    maxConcurrentActivityTaskExecutions: tuning.activitySlots,
    // The one local activity, a ticket's registration, runs inside its workflow task: at most one per task held.
    maxConcurrentLocalActivityExecutions: tuning.workflowSlots,
  });
  /** A worker of activities alone on one of the ticket queue's companions, unless the group leaves that queue out. */
  const companion = (
    queue: 'notices' | 'read-model',
    served: Partial<typeof activities>,
    pollers: number,
    slots: number,
  ): Promise<Worker | undefined> =>
    without.includes(queue)
      ? Promise.resolve(undefined)
      : Worker.create({
          connection,
          namespace,
          taskQueue: queue === 'notices' ? noticeTaskQueue(taskQueue) : readModelTaskQueue(taskQueue),
          activities: served,
          activityTaskPollerBehavior: simple(pollers),
          maxConcurrentActivityTaskExecutions: slots,
        });
  const notices = await companion(
    'notices',
    { notifyThreshold: activities.notifyThreshold },
    tuning.noticePollers,
    tuning.noticeSlots,
  );
  const readModel = await companion(
    'read-model',
    { recordTicketState: activities.recordTicketState },
    tuning.readModelPollers,
    tuning.readModelSlots,
  );
  const all = [ticket, notices, readModel].filter((worker) => worker !== undefined);
  const shutdown = () => {
    for (const worker of all) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    ticket,
    ...(notices ? { notices } : {}),
    ...(readModel ? { readModel } : {}),
    shutdown,
    async run() {
      // A process polling one queue and not the others would leave its tickets half served: all stop with the first.
      const runs = all.map((worker) => worker.run().finally(shutdown));
      const outcomes = await Promise.allSettled(runs);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** The workers of a Vigil worker process (worker/main.ts) or of an end-to-end stack: real activities on `db`. */
export function createTicketWorkers(
  {
    connection,
    namespace,
    db,
    noticeDb,
    taskQueue = TICKET_TASK_QUEUE,
    policies,
    workflowBundle,
    deliverNow,
    without,
  }: TicketWorkerDeps,
  tuning: WorkerTuning = DEFAULT_WORKER_TUNING,
): Promise<VigilWorkers> {
  return createWorkerGroup({
    connection,
    namespace,
    taskQueue,
    workflows: workflowBundle ? { workflowBundle } : WORKFLOW_CODE,
    activities: {
      // Given no policies, each pool reads the published versions: the notices' own lookups stay on their pool.
      ...createActivities({ db, noticeDb, ...(policies ? { policies } : {}), deliverNow }),
      ...createPlanningActivities(policies ?? pgPolicyCatalog(db)),
      ...createInvoicingActivities({ db, policies: policies ?? pgPolicyCatalog(db) }),
    },
    tuning,
    ...(without ? { without } : {}),
  });
}
