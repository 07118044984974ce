import type { Pool } from 'pg';
import { toStorableText } from '../domain/text';

export interface WorkflowTaskFailure {
  runId: string;
  workflowId?: string;
  message: string;
  nondeterminism: boolean;
  /** Failures seen since the last write for this run. */
  failures: number;
}

export interface RecordedWorkflowTaskFailure extends Omit<WorkflowTaskFailure, 'failures'> {
  failures: number;
  firstFailedAt: Date;
  lastFailedAt: Date;
}

/**
 * Temporal retries a failing workflow task with a backoff of at most ten minutes: a run whose last failure is
 * older than that has stopped failing, whatever its row says.
 */
export const STILL_FAILING_WITHIN_MS = 15 * 60_000;

export interface WorkflowTaskFailures {
  record(failure: WorkflowTaskFailure): Promise<void>;
  /** How many runs fail now (a failure within STILL_FAILING_WITHIN_MS). */
  countFailingNow(): Promise<number>;
  /** Runs failing now, newest first, and how many there are in all. */
  failingNow(limit: number): Promise<{ count: number; runs: RecordedWorkflowTaskFailure[] }>;
  /** The latest failure of one workflow's runs, if one is still recent. */
  latestFor(workflowId: string): Promise<RecordedWorkflowTaskFailure | undefined>;
}

interface Row {
  run_id: string;
  workflow_id: string | null;
  message: string;
  nondeterminism: boolean;
  failures: number;
  first_failed_at: Date;
  last_failed_at: Date;
}

const fromRow = (row: Row): RecordedWorkflowTaskFailure => ({
  runId: row.run_id,
  ...(row.workflow_id ? { workflowId: row.workflow_id } : {}),
  message: row.message,
  nondeterminism: row.nondeterminism,
  failures: row.failures,
  firstFailedAt: row.first_failed_at,
  lastFailedAt: row.last_failed_at,
});

const RECENT = `last_failed_at > now() - make_interval(secs => ${STILL_FAILING_WITHIN_MS / 1000})`;

export function pgWorkflowTaskFailures(db: Pool): WorkflowTaskFailures {
  const countFailingNow = async (): Promise<number> => {
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM workflow_task_failures WHERE ${RECENT}`);
    return Number(rows[0]?.count ?? 0);
  };
  return {
    async record({ runId, workflowId, message, nondeterminism, failures }) {
      await db.query(
        `INSERT INTO workflow_task_failures (run_id, workflow_id, message, nondeterminism, failures)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (run_id) DO UPDATE SET
           workflow_id = COALESCE(workflow_task_failures.workflow_id, EXCLUDED.workflow_id),
           message = EXCLUDED.message,
           nondeterminism = EXCLUDED.nondeterminism,
           failures = workflow_task_failures.failures + EXCLUDED.failures,
           last_failed_at = now()`,
        [runId, workflowId ?? null, toStorableText(message), nondeterminism, failures],
      );
    },
    countFailingNow,
    async failingNow(limit) {
      const [count, { rows }] = await Promise.all([
        countFailingNow(),
        db.query<Row>(`SELECT * FROM workflow_task_failures WHERE ${RECENT} ORDER BY last_failed_at DESC LIMIT $1`, [
          limit,
        ]),
      ]);
      return { count, runs: rows.map(fromRow) };
    },
    async latestFor(workflowId) {
      const { rows } = await db.query<Row>(
        `SELECT * FROM workflow_task_failures WHERE workflow_id = $1 AND ${RECENT} ORDER BY last_failed_at DESC LIMIT 1`,
        [workflowId],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
  };
}
