/**
 * How much the worker process takes on at once: its three Temporal workers (worker/create-worker.ts) and its
 * PostgreSQL pool. Read from the environment by infra/config.ts (the VIGIL_WORKER_* variables the README lists); the
 * defaults below are those a 2-core machine runs well, each with why.
 */
export interface WorkerTuning {
  /** VIGIL_WORKER_WORKFLOW_POLLERS: long polls held open for the tickets' workflow tasks. */
  workflowPollers: number;
  /** VIGIL_WORKER_WORKFLOW_SLOTS: workflow tasks held at once (maxConcurrentWorkflowTaskExecutions). */
  workflowSlots: number;
  /** VIGIL_WORKER_CACHED_WORKFLOWS: tickets kept in memory between their tasks (maxCachedWorkflows). */
  cachedWorkflows: number;
  /** VIGIL_WORKER_ACTIVITY_POLLERS / VIGIL_WORKER_ACTIVITY_SLOTS: the ticket queue's activities (planning, bills). */
  activityPollers: number;
  activitySlots: number;
  /** VIGIL_NOTICE_POLLERS / VIGIL_NOTICE_SLOTS: the warnings and breaches, queued in the outbox. */
  noticePollers: number;
  noticeSlots: number;
  /** VIGIL_READ_MODEL_POLLERS / VIGIL_READ_MODEL_SLOTS: the read-model writes. */
  readModelPollers: number;
  readModelSlots: number;
  /**
   * VIGIL_WORKER_DB_POOL_SIZE: the activities' PostgreSQL connections, of which the notices hold noticeSlots of their
   * own (activityPoolSizes; the dispatchers have theirs).
   */
  dbPoolSize: number;
  /** VIGIL_WORKER_DB_CONNECT_TIMEOUT_MS: how long an activity waits for a connection before it fails, to be retried. */
  dbConnectTimeoutMs: number;
}

export const DEFAULT_WORKER_TUNING: WorkerTuning = {
  // The SDK's own default: a burst's tasks are fetched while others run, and a poll is one gRPC call held open.
  workflowPollers: 10,
  // Workflow code runs on one thread: more tasks held than a few pollers' worth only wait inside the worker instead of
  // on the server, where another worker could take them.
  workflowSlots: 20,
  // Every open ticket sleeps on a timer: evicted, its next wake-up (a warning, a breach) replays its whole history first.
  // The SDK sizes its cache at 600 workflows per GiB of heap, about 2 300 in Node's default 4 GiB heap: 2 000 stays
  // within it. Raise it with the heap (node --max-old-space-size) where more tickets are open at once;
  // npm run bench:notices prints the worker's memory with its tickets open.
  cachedWorkflows: 2_000,
  activityPollers: 5,
  // Planning is CPU in this process and registration one transaction: two cores gain nothing past a few dozen.
  activitySlots: 40,
  // A notice is one short transaction; 20 at once keep PostgreSQL's two cores busy without queueing in the pool.
  noticePollers: 5,
  noticeSlots: 20,
  readModelPollers: 5,
  readModelSlots: 20,
  // The notice and read-model slots each hold a connection for a transaction; the ticket queue's activities share the rest.
  dbPoolSize: 50,
  // The activities' transactions take milliseconds: a wait this long means every connection is held by a burst or
  // PostgreSQL is not answering. Failing then, the activity is retried a second later (workflows/ticket.ts) well within
  // its 30 s start-to-close timeout, rather than waiting into it, after which Temporal retries it while the first
  // attempt still waits in this worker.
  dbConnectTimeoutMs: 5_000,
};

/**
 * How the activities' connections are shared: the notices' transactions have a pool of their own, one connection per
 * notice slot, so that a warning or a breach never waits for a connection behind a burst of registrations and
 * read-model writes, which share the rest. infra/config.ts refuses a pool that leaves the others none.
 */
export const activityPoolSizes = (tuning: WorkerTuning): { notices: number; shared: number } => ({
  notices: tuning.noticeSlots,
  shared: tuning.dbPoolSize - tuning.noticeSlots,
});
