import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPlanningActivities, type PolicySource } from '../activities/clock-planner';
import { createInvoicingActivities } from '../activities/invoicing';
import { createActivities } from '../activities/ticket-activities';
import { TICKET_TASK_QUEUE } from '../messages/ticket';
import { pgPolicyCatalog } from '../db/policy-versions';

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
}

export function createTicketWorker(
  {
    connection,
    namespace,
    db,
    taskQueue = TICKET_TASK_QUEUE,
    policies = pgPolicyCatalog(db),
    workflowBundle,
  }: TicketWorkerDeps,
  options: Partial<WorkerOptions> = {},
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: {
      ...createActivities({ db, policies }),
      ...createPlanningActivities(policies),
      ...createInvoicingActivities({ db, policies }),
    },
    ...options,
  });
}
