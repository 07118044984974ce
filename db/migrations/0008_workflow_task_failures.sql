-- Workflow tasks that failed, one row per run, written by the worker when the SDK reports one (worker/
-- workflow-task-watch.ts). A failing task is retried by Temporal for ever and the ticket stands still without a
-- word: this row is what makes it visible to /ready, /metrics and the ticket's own view.
CREATE TABLE workflow_task_failures (
  run_id           text PRIMARY KEY,
  -- Null only when Temporal could not say whose run it was when the failure was recorded.
  workflow_id      text,
  message          text NOT NULL,
  nondeterminism   boolean NOT NULL,
  failures         integer NOT NULL,
  first_failed_at  timestamptz NOT NULL DEFAULT now(),
  last_failed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX workflow_task_failures_recent ON workflow_task_failures (last_failed_at DESC);
CREATE INDEX workflow_task_failures_workflow ON workflow_task_failures (workflow_id, last_failed_at DESC);
