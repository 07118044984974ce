import type { WorkflowTaskFailure } from '../../db/workflow-task-failures';
import { createWorkflowTaskWatch, failedWorkflowTaskOf, watchingLogger } from '../../worker/workflow-task-watch';

// As core forwarded them to the runtime's logger on the dev server (a nondeterminism error, and a throw in workflow code).
const NONDETERMINISM = {
  sdkComponent: 'core',
  target: 'temporalio_sdk_core::worker::workflow',
  runId: '01a2130a-2fea-7968-ba80-fea4ead1afce',
  failure:
    'Failure { failure: Some(Failure { message: "[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 70, WorkflowExecutionUpdateAccepted)", source: "", stack_trace: "", encoded_attributes: None, cause: None, failure_info: Some(ApplicationFailureInfo(ApplicationFailureInfo { r#type: "", non_retryable: false, details: None, next_retry_delay: None, category: Unspecified })) }), force_cause: NonDeterministicError }',
};
const THROWN = {
  sdkComponent: 'core',
  target: 'temporalio_sdk_core::worker::workflow',
  runId: '01a2131e-3260-7c34-be15-a5f8332356a4',
  failure:
    'Failure { failure: Some(Failure { message: "boom \\"quoted\\" in workflow code", source: "TypeScriptSDK", stack_trace: "TypeError: boom", encoded_attributes: None, cause: None, failure_info: None }), force_cause: Unspecified }',
};

describe('reading failed workflow tasks off the SDK log', () => {
  it("takes the run, the failure message and whether it is a nondeterminism error from core's line", () => {
    expect(failedWorkflowTaskOf('Failing workflow task', NONDETERMINISM)).toEqual({
      runId: NONDETERMINISM.runId,
      message:
        '[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 70, WorkflowExecutionUpdateAccepted)',
      nondeterminism: true,
    });
    expect(failedWorkflowTaskOf('Failing workflow task', THROWN)).toEqual({
      runId: THROWN.runId,
      message: 'boom "quoted" in workflow code',
      nondeterminism: false,
    });
  });

  it('ignores every other line, and the same words from another component', () => {
    expect(failedWorkflowTaskOf('Task not found when completing', NONDETERMINISM)).toBeUndefined();
    expect(
      failedWorkflowTaskOf('Failing workflow task', { ...NONDETERMINISM, sdkComponent: 'worker' }),
    ).toBeUndefined();
    expect(failedWorkflowTaskOf('Failing workflow task', { sdkComponent: 'core' })).toBeUndefined();
  });
});

describe('the failed-task watch', () => {
  function watchWith(overrides: { record?: (failure: WorkflowTaskFailure) => Promise<void> } = {}) {
    let clock = 0;
    const recorded: WorkflowTaskFailure[] = [];
    const reported: Record<string, unknown>[] = [];
    const watch = createWorkflowTaskWatch({
      record: overrides.record ?? (async (failure) => void recorded.push(failure)),
      workflowIdOf: async (runId) => (runId === NONDETERMINISM.runId ? 'ticket-VIG-000003' : undefined),
      report: (line) => void reported.push(line),
      now: () => clock,
      writeEveryMs: 5_000,
      reportEveryMs: 60_000,
    });
    return { watch, recorded, reported, advance: (ms: number) => void (clock += ms) };
  }

  it('records a failing run once per period with the failures counted meanwhile, and reports it once a minute', async () => {
    const { watch, recorded, reported, advance } = watchWith();
    await watch.observe('Failing workflow task', NONDETERMINISM);
    for (let retry = 0; retry < 9; retry += 1) {
      advance(100);
      await watch.observe('Failing workflow task', NONDETERMINISM);
    }
    expect(recorded).toEqual([
      expect.objectContaining({
        runId: NONDETERMINISM.runId,
        workflowId: 'ticket-VIG-000003',
        nondeterminism: true,
        failures: 1,
      }),
    ]);
    advance(5_000);
    await watch.observe('Failing workflow task', NONDETERMINISM);
    expect(recorded.map((failure) => failure.failures)).toEqual([1, 10]);
    expect(watch.failures).toBe(11);
    expect(reported).toEqual([
      expect.objectContaining({
        level: 'error',
        workflowId: 'ticket-VIG-000003',
        runId: NONDETERMINISM.runId,
        nondeterminism: true,
      }),
    ]);
  });

  it('keeps the count for the next write when the database is away, and says so', async () => {
    let down = true;
    const written: WorkflowTaskFailure[] = [];
    const { watch, reported, advance } = watchWith({
      record: async (failure) => {
        if (down) throw new Error('connect ECONNREFUSED');
        written.push(failure);
      },
    });
    await watch.observe('Failing workflow task', THROWN);
    advance(1_000);
    await watch.observe('Failing workflow task', THROWN);
    down = false;
    advance(5_000);
    await watch.observe('Failing workflow task', THROWN);
    expect(written).toEqual([expect.objectContaining({ runId: THROWN.runId, failures: 3 })]);
    expect(written[0]).not.toHaveProperty('workflowId', expect.anything());
    expect(reported[0]).toMatchObject({ level: 'warn', msg: 'could not record a failed workflow task' });
  });

  it('hands every entry on to the logger it wraps, unchanged', () => {
    const seen: string[] = [];
    const inner = { log: (level: string, message: string) => void seen.push(`${level} ${message}`) } as never;
    const observed: string[] = [];
    const logger = watchingLogger(inner, { observe: (message) => void observed.push(message) });
    logger.warn('Failing workflow task', NONDETERMINISM);
    logger.info('worker started');
    expect(seen).toEqual(['WARN Failing workflow task', 'INFO worker started']);
    expect(observed).toEqual(['Failing workflow task', 'worker started']);
  });
});
