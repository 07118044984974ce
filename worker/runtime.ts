import type { Client } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Pool } from 'pg';
import { pgWorkflowTaskFailures } from '../db/workflow-task-failures';
import { workflowIdOfRun } from './workflow-of-run';
import { createWorkflowTaskWatch, watchingLogger, type WorkflowTaskWatch } from './workflow-task-watch';

export interface WorkerRuntimeOptions {
  /** Where failed workflow tasks are recorded. */
  db: Pool;
  /** Where the SDK serves its Prometheus metrics, if anywhere. */
  metricsAddress?: string;
}

export interface WorkerRuntime {
  watch: WorkflowTaskWatch;
  /** The client the watch asks whose run failed, once a connection may be made. */
  lookUpRunsWith(client: Client): void;
}

const errorLine = (line: Record<string, unknown>) =>
  console.error(JSON.stringify({ time: new Date().toISOString(), ...line }));

/**
 * The runtime is global and fixed at its first use: install it before any connection is made. Core's own log
 * lines are forwarded to the TS logger so that the watch sees the failed workflow tasks they report: a failing
 * ticket is recorded and reported, never left to fail silently.
 */
export function installWorkerRuntime({ db, metricsAddress }: WorkerRuntimeOptions): WorkerRuntime {
  let lookup: Client | undefined;
  const failures = pgWorkflowTaskFailures(db);
  const watch = createWorkflowTaskWatch({
    record: (failure) => failures.record(failure),
    workflowIdOf: (runId) => (lookup ? workflowIdOfRun(lookup, runId) : Promise.resolve(undefined)),
    report: errorLine,
  });
  Runtime.install({
    logger: watchingLogger(new DefaultLogger('INFO'), watch),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  });
  return {
    watch,
    lookUpRunsWith(client) {
      lookup = client;
    },
  };
}
