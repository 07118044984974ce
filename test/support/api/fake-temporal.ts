import {
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import {
  ApplicationFailure,
  TypedSearchAttributes,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type UpdateDefinition,
} from '@temporalio/common';
import { CustomerIdKey } from '../../../messages/search-attributes';
import { registeredTicket } from '../ticket-state';
import type { OpenTicketInput, TicketState } from '../../../messages/ticket';
import { ticketWorkflowId } from '../../../messages/ticket';
import { InvalidTransitionError, transition, type TicketAction } from '../../../domain/ticket/lifecycle';

interface FakeWorkflow {
  state: TicketState;
  closed: boolean;
  runId: string;
  /** Per run, the outcome of each Update applied in it by ID: as in Temporal, a run forgets none and knows no other run's. */
  applied: Map<string, Map<string, TicketState>>;
}

/**
 * The part of the Temporal client the ticket routes use, over tickets held in memory. Updates walk the real
 * lifecycle and are refused the way the real client refuses them (WorkflowUpdateFailedError with an
 * ApplicationFailure cause); a closed workflow takes no Update, as in Temporal. An Update ID already applied in the
 * run it is sent to answers that Update's outcome, even once the run has ended; a refused Update is not kept.
 */
export class FakeTemporal {
  private readonly workflows = new Map<string, FakeWorkflow>();
  readonly started: OpenTicketInput[] = [];
  readonly updates: { ticketNumber: string; update: string; command: unknown; updateId?: string }[] = [];
  /** Every call made on a workflow handle, as "describe ticket-VIG-000001", in order: what the API asked Temporal. */
  readonly calls: string[] = [];
  /** The Update ID of every Update sent, applied or not, in the order sent. */
  readonly sentUpdateIds: (string | undefined)[] = [];
  private runs = 0;
  private nextFailure?: { error: Error; applied: boolean };
  private nextQueryFailure?: Error;
  /**
   * The ticket task queue's worker: polling; gone (Temporal has no poller on record); or stuck (seen polling, yet no
   * task is taken). Without one answering, a query or an Update fails as the real client fails it at its deadline.
   */
  worker: 'polling' | 'gone' | 'stuck' = 'polling';

  constructor(private readonly now: () => number) {}

  /** A ticket as its workflow would hold it, in the given status. */
  put(input: OpenTicketInput, status: TicketState['status'] = 'support', closed = false): TicketState {
    const state = registeredTicket(input, this.now(), status);
    this.workflows.set(ticketWorkflowId(input.ticketNumber), {
      state,
      closed,
      runId: this.newRunId(),
      applied: new Map(),
    });
    return state;
  }

  private newRunId(): string {
    return `run-${++this.runs}`;
  }

  /** The ticket's run continues as new: the next run carries the state, not the Update IDs. */
  continueAsNew(ticketNumber: string): void {
    this.found(ticketWorkflowId(ticketNumber)).runId = this.newRunId();
  }

  /** The next Update sent fails with `error`: before it reaches the workflow, or once the workflow has applied it. */
  failNextUpdate(error: Error, { applied }: { applied: boolean }): void {
    this.nextFailure = { error, applied };
  }

  /** The next query throws `error`, as one to a run being continued as new may. */
  failNextQuery(error: Error): void {
    this.nextQueryFailure = error;
  }

  runIdOf(ticketNumber: string): string {
    return this.found(ticketWorkflowId(ticketNumber)).runId;
  }

  close(ticketNumber: string): void {
    this.found(ticketWorkflowId(ticketNumber)).closed = true;
  }

  /** Temporal no longer keeps it (past retention). */
  forget(ticketNumber: string): void {
    this.workflows.delete(ticketWorkflowId(ticketNumber));
  }

  private found(workflowId: string): FakeWorkflow {
    const workflow = this.workflows.get(workflowId);
    if (!workflow) throw new WorkflowNotFoundError(`workflow not found: ${workflowId}`, workflowId, undefined);
    return workflow;
  }

  private handle(workflowId: string, pinnedRunId?: string) {
    return {
      workflowId,
      describe: async () => {
        const { closed, runId, state } = this.found(workflowId);
        // As the API starts every ticket: its customer is a search attribute from the first instant.
        const typedSearchAttributes = new TypedSearchAttributes([{ key: CustomerIdKey, value: state.customerId }]);
        // A running workflow has a task pending or none; the fake's never failed one (attempt 1).
        return {
          runId,
          status: { name: closed ? 'COMPLETED' : 'RUNNING' },
          typedSearchAttributes,
          raw: { pendingWorkflowTask: closed ? null : { attempt: 1 } },
        };
      },
      query: async () => {
        this.workerAnswers('query');
        const failure = this.nextQueryFailure;
        this.nextQueryFailure = undefined;
        if (failure) throw failure;
        return structuredClone(this.found(workflowId).state);
      },
      executeUpdate: async (
        update: UpdateDefinition<TicketState, [unknown]>,
        { args: [command], updateId }: { args: [unknown]; updateId?: string },
      ) => {
        this.sentUpdateIds.push(updateId);
        this.workerAnswers('update');
        const failure = this.nextFailure;
        this.nextFailure = undefined;
        if (failure && !failure.applied) throw failure.error;
        const workflow = this.found(workflowId);
        const runId = pinnedRunId ?? workflow.runId;
        const outcome = updateId === undefined ? undefined : workflow.applied.get(runId)?.get(updateId);
        if (outcome) return structuredClone(outcome);
        if (workflow.closed || runId !== workflow.runId)
          throw new WorkflowNotFoundError(`workflow execution already completed: ${workflowId}`, workflowId, runId);
        try {
          workflow.state.status = transition(workflow.state.status, update.name as TicketAction);
        } catch (error) {
          if (!(error instanceof InvalidTransitionError)) throw error;
          throw new WorkflowUpdateFailedError(
            'Workflow Update failed',
            ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true }),
          );
        }
        workflow.state.revision += 1;
        this.updates.push({ ticketNumber: workflow.state.ticketNumber, update: update.name, command, updateId });
        if (updateId !== undefined)
          workflow.applied.set(
            runId,
            (workflow.applied.get(runId) ?? new Map()).set(updateId, structuredClone(workflow.state)),
          );
        if (failure) throw failure.error;
        return structuredClone(workflow.state);
      },
      // An Update's outcome by its ID, as Temporal keeps it for its run: NOT_FOUND (the client's
      // WorkflowNotFoundError) for an ID the run never admitted.
      getUpdateHandle: (updateId: string) => ({
        result: async () => {
          const workflow = this.found(workflowId);
          const outcome = workflow.applied.get(pinnedRunId ?? workflow.runId)?.get(updateId);
          if (!outcome) throw new WorkflowNotFoundError(`update not found: ${updateId}`, workflowId, pinnedRunId);
          return structuredClone(outcome);
        },
      }),
    };
  }

  private workerAnswers(call: 'query' | 'update'): void {
    if (this.worker === 'polling') return;
    const cause = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), {
      code: 4,
      details: 'Deadline exceeded',
      metadata: {},
    });
    throw call === 'query'
      ? new ServiceError('Failed to query Workflow', { cause })
      : new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded', { cause });
  }

  private recording<Handle extends { workflowId: string }>(handle: Handle): Handle {
    const recorded = { ...handle };
    for (const [name, method] of Object.entries(handle as Record<string, unknown>)) {
      if (typeof method !== 'function') continue;
      Object.assign(recorded, {
        [name]: (...args: unknown[]) => (this.calls.push(`${name} ${handle.workflowId}`), method(...args)),
      });
    }
    return recorded;
  }

  get client(): Client {
    const workflow = {
      start: async (_type: string, options: WorkflowStartOptions) => {
        const input = options.args![0] as OpenTicketInput;
        if (this.workflows.has(options.workflowId)) {
          throw new WorkflowExecutionAlreadyStartedError(
            'Workflow execution already started',
            options.workflowId,
            _type,
          );
        }
        this.started.push(input);
        this.put(input, 'request');
        return this.handle(options.workflowId);
      },
      getHandle: (workflowId: string, runId?: string) => this.recording(this.handle(workflowId, runId)),
      // Update-with-start, as the API opens a ticket: the workflow registers it at once (acknowledged, as a worker would).
      executeUpdateWithStart: async (
        _update: unknown,
        {
          startWorkflowOperation,
        }: { startWorkflowOperation: { options: WorkflowStartOptions & { workflowIdConflictPolicy: string } } },
      ) => {
        const { workflowId, args } = startWorkflowOperation.options;
        const existing = this.workflows.get(workflowId);
        if (existing?.closed)
          throw new WorkflowExecutionAlreadyStartedError(
            'Workflow execution already started',
            workflowId,
            'ticketWorkflow',
          );
        if (!existing) {
          this.started.push(args![0] as OpenTicketInput);
          this.put(args![0] as OpenTicketInput, 'acknowledgement');
        }
        this.calls.push(`update-with-start ${workflowId}`);
        return structuredClone(this.found(workflowId).state);
      },
    };
    // The fake answers at once or fails at once: a deadline has nothing to cut.
    const connection = { withDeadline: <T>(_deadline: number, call: () => Promise<T>) => call() };
    const workflowService = {
      describeTaskQueue: async () => ({
        pollers: this.worker === 'gone' ? [] : [{ identity: 'fake-worker', lastAccessTime: msToTs(this.now()) }],
      }),
    };
    return { workflow, connection, workflowService, options: { namespace: 'default' } } as unknown as Client;
  }
}
