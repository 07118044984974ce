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
  taskQueue?: string;
  /** Where tickets find their policy versions: by default the published ones in `db`. */
  policies?: PolicySource;
  /**
   * The workflow code bundled beforehand (bundleWorkflowCode), for processes that start many workers: the end-to-end
   * tests bundle once in their global setup rather than once per stack inside Jest. Absent: bundled from workflows/.
   */
  workflowBundle?: { codePath: string };
  /** The outbox dispatcher's deliverNow on `db`, for notices to leave from the activity that queues them. */
  deliverNow?: (keys: readonly string[]) => Promise<void>;
}

/** The workers of one process, started and stopped together. */
export interface VigilWorkers {
  /** The tickets' workflows and the ticket queue's activities; its task queue is the one the API starts tickets on. */
  ticket: Worker;
  notices: Worker;
  readModel: Worker;
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
}

/**
 * A burst of new tickets fills the ticket queue with workflow tasks, planning and registrations; a warning or a
 * breach due then must not wait behind them. Its notice and the read-model write it brings run on queues of their
 * own (messages/ticket.ts names them), each served by a worker of its own with its own pollers and slots, so they are
 * taken as soon as they are scheduled, whatever the ticket queue's backlog. The ticket worker registers them too:
 * an activity scheduled on the ticket queue by an earlier version of the workflow still finds a worker there.
 */
export async function createWorkerGroup({
  connection,
  namespace = 'default',
  taskQueue,
  workflows,
  activities,
  tuning,
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
  });
  const notices = await Worker.create({
    connection,
    namespace,
    taskQueue: noticeTaskQueue(taskQueue),
    activities: { notifyThreshold: activities.notifyThreshold },
    activityTaskPollerBehavior: simple(tuning.noticePollers),
    maxConcurrentActivityTaskExecutions: tuning.noticeSlots,
  });
  const readModel = await Worker.create({
    connection,
    namespace,
    taskQueue: readModelTaskQueue(taskQueue),
    activities: { recordTicketState: activities.recordTicketState },
    activityTaskPollerBehavior: simple(tuning.readModelPollers),
    maxConcurrentActivityTaskExecutions: tuning.readModelSlots,
  });
  const all = [ticket, notices, readModel];
  const shutdown = () => {
    for (const worker of all) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    ticket,
    notices,
    readModel,
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
    taskQueue = TICKET_TASK_QUEUE,
    policies = pgPolicyCatalog(db),
    workflowBundle,
    deliverNow,
  }: TicketWorkerDeps,
  tuning: WorkerTuning = DEFAULT_WORKER_TUNING,
): Promise<VigilWorkers> {
  return createWorkerGroup({
    connection,
    namespace,
    taskQueue,
    workflows: workflowBundle ? { workflowBundle } : WORKFLOW_CODE,
    activities: {
      ...createActivities({ db, policies, deliverNow }),
      ...createPlanningActivities(policies),
      ...createInvoicingActivities({ db, policies }),
    },
    tuning,
  });
}
