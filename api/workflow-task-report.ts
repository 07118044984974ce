import type { WorkflowTaskFailures } from '../db/workflow-task-failures';

/** At most this many runs are named in /ready; the count says how many there are in all. */
const NAMED_RUNS = 10;

/** What /ready says of failing workflow tasks: how many tickets stand still, and the latest of them. */
export async function failingWorkflowTasks(failures: WorkflowTaskFailures) {
  const { count, runs } = await failures.failingNow(NAMED_RUNS);
  return {
    failing: count,
    runs: runs.map((run) => ({
      workflowId: run.workflowId ?? null,
      runId: run.runId,
      failures: run.failures,
      nondeterminism: run.nondeterminism,
      since: run.firstFailedAt.toISOString(),
      lastFailedAt: run.lastFailedAt.toISOString(),
      failure: run.message,
    })),
  };
}
