import { WorkflowUpdateFailedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { registeredTicket } from '../../support/ticket-state';
import type { OpenTicketInput, TicketState } from '../../../contracts/ticket';
import { ticketWorkflowId } from '../../../contracts/ticket';
import { InvalidTransitionError, transition, type TicketAction } from '../../../domain/ticket/lifecycle';

interface FakeWorkflow {
  state: TicketState;
  closed: boolean;
}

/**
 * The part of the Temporal client the ticket routes use, over tickets held in memory. Updates walk the real
 * lifecycle and are refused the way the real client refuses them (WorkflowUpdateFailedError with an
 * ApplicationFailure cause); a closed workflow takes no Update, as in Temporal.
 */
export class FakeTemporal {
  private readonly workflows = new Map<string, FakeWorkflow>();
  readonly started: OpenTicketInput[] = [];
  readonly updates: { ticketNumber: string; update: string; command: unknown }[] = [];

  constructor(private readonly now: () => number) {}

  /** A ticket as its workflow would hold it, in the given status. */
  put(input: OpenTicketInput, status: TicketState['status'] = 'support', closed = false): TicketState {
    const state = registeredTicket(input, this.now(), status);
    this.workflows.set(ticketWorkflowId(input.ticketNumber), { state, closed });
    return state;
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

  private handle(workflowId: string) {
    return {
      workflowId,
      describe: async () => ({ status: { name: this.found(workflowId).closed ? 'COMPLETED' : 'RUNNING' } }),
      query: async () => structuredClone(this.found(workflowId).state),
      executeUpdate: async (update: UpdateDefinition<TicketState, [unknown]>, { args: [command] }: { args: [unknown] }) => {
        const workflow = this.found(workflowId);
        if (workflow.closed) throw new WorkflowNotFoundError(`workflow execution already completed: ${workflowId}`, workflowId, undefined);
        try {
          workflow.state.status = transition(workflow.state.status, update.name as TicketAction);
        } catch (error) {
          if (!(error instanceof InvalidTransitionError)) throw error;
          throw new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true }));
        }
        workflow.state.revision += 1;
        this.updates.push({ ticketNumber: workflow.state.ticketNumber, update: update.name, command });
        return structuredClone(workflow.state);
      },
    };
  }

  get client(): Client {
    const workflow = {
      start: async (_type: string, options: WorkflowStartOptions) => {
        const input = options.args![0] as OpenTicketInput;
        if (this.workflows.has(options.workflowId)) {
          throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', options.workflowId, _type);
        }
        this.started.push(input);
        this.put(input, 'request');
        return this.handle(options.workflowId);
      },
      getHandle: (workflowId: string) => this.handle(workflowId),
    };
    return { workflow } as unknown as Client;
  }
}
