import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import type { WorkflowTaskFailure } from '../db/workflow-task-failures';

/**
 * The SDK's core reports a failed workflow task only as a log line ("Failing workflow task", with the run ID and a
 * Rust debug rendering of the failure); Temporal then retries the task for ever and the ticket stands still. This
 * reads those lines off the runtime's logger (core logs are forwarded to it, see worker/runtime.ts).
 */
export interface FailedWorkflowTask {
  runId: string;
  message: string;
  nondeterminism: boolean;
}

const FAILING_WORKFLOW_TASK = 'Failing workflow task';
// The first `message: "…"` of the rendering is the failure's own; escapes stay as the rendering wrote them.
const FAILURE_MESSAGE = /message: "((?:[^"\\]|\\.)*)"/;

export function failedWorkflowTaskOf(message: string, meta: LogMetadata | undefined): FailedWorkflowTask | undefined {
  if (message !== FAILING_WORKFLOW_TASK || meta?.sdkComponent !== 'core' || typeof meta.runId !== 'string')
    return undefined;
  const failure = typeof meta.failure === 'string' ? meta.failure : '';
  const failureMessage =
    FAILURE_MESSAGE.exec(failure)?.[1]?.replace(/\\(.)/g, '$1') ?? (failure || 'workflow task failed');
  return {
    runId: meta.runId,
    message: failureMessage,
    nondeterminism: failure.includes('NonDeterministicError') || failureMessage.includes('[TMPRL1100]'),
  };
}

export interface WorkflowTaskWatchDeps {
  record: (failure: WorkflowTaskFailure) => Promise<void>;
  /** Whose run it is: the log line names only the run. */
  workflowIdOf: (runId: string) => Promise<string | undefined>;
  /** Where the watch says what it saw: one line per run and per `reportEveryMs`, not one per retry. */
  report: (line: Record<string, unknown>) => void;
  now?: () => number;
  /** A task failing in a loop retries many times a second: the database hears of it at most this often per run. */
  writeEveryMs?: number;
  reportEveryMs?: number;
}

interface RunFailures {
  workflowId?: string;
  unwritten: number;
  lastWrittenAt: number;
  lastReportedAt: number;
  writing?: Promise<void>;
}

/** Counts each failed workflow task, records it per run (throttled), and reports it as an error line. */
export function createWorkflowTaskWatch({
  record,
  workflowIdOf,
  report,
  now = Date.now,
  writeEveryMs = 5_000,
  reportEveryMs = 60_000,
}: WorkflowTaskWatchDeps) {
  const runs = new Map<string, RunFailures>();
  let failures = 0;

  async function write(failed: FailedWorkflowTask, run: RunFailures): Promise<void> {
    run.workflowId ??= await workflowIdOf(failed.runId).catch(() => undefined);
    const count = run.unwritten;
    run.unwritten = 0;
    run.lastWrittenAt = now();
    try {
      await record({ ...failed, workflowId: run.workflowId, failures: count });
    } catch (error) {
      // The database may be the very thing that is down: the count waits for the next failure's write.
      run.unwritten += count;
      report({
        level: 'warn',
        msg: 'could not record a failed workflow task',
        runId: failed.runId,
        error: String(error),
      });
    }
    if (now() - run.lastReportedAt >= reportEveryMs) {
      run.lastReportedAt = now();
      report({
        level: 'error',
        msg: 'workflow task failing: the ticket is stuck until it is fixed',
        workflowId: run.workflowId,
        runId: failed.runId,
        nondeterminism: failed.nondeterminism,
        failure: failed.message,
      });
    }
  }

  return {
    /** Failed workflow tasks seen since the worker started. */
    get failures(): number {
      return failures;
    },
    observe(message: string, meta: LogMetadata | undefined): Promise<void> | undefined {
      const failed = failedWorkflowTaskOf(message, meta);
      if (!failed) return undefined;
      failures += 1;
      let run = runs.get(failed.runId);
      if (!run) {
        run = { unwritten: 0, lastWrittenAt: -Infinity, lastReportedAt: -Infinity };
        runs.set(failed.runId, run);
      }
      run.unwritten += 1;
      if (run.writing || now() - run.lastWrittenAt < writeEveryMs) return run.writing;
      const current = run;
      current.writing = write(failed, current).finally(() => {
        current.writing = undefined;
      });
      return current.writing;
    },
  };
}

export type WorkflowTaskWatch = ReturnType<typeof createWorkflowTaskWatch>;

/** A logger that shows every entry to the watch before handing it on unchanged. */
export function watchingLogger(inner: Logger, watch: Pick<WorkflowTaskWatch, 'observe'>): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    void watch.observe(message, meta);
    inner.log(level, message, meta);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
