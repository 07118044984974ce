import { allHandlersFinished, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { TicketActivities } from '../activities/ticket-activities';
import { StatusKey } from '../contracts/search-attributes';
import {
  getTicketQuery,
  proposeResolutionUpdate,
  takeChargeUpdate,
  validateUpdate,
  type OpenTicketInput,
  type TicketEvent,
  type TicketState,
} from '../contracts/ticket';
import { transition, type TicketAction } from '../domain/ticket/lifecycle';
import { checkProposeResolution, checkTakeCharge, checkValidate } from './command-checks';
import { asRefusal, refusing } from './failures';

const { acknowledgeTicket, recordTicketState, billTicket } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a ticket: retry without limit, backing off to one attempt a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** One support ticket, from the customer's request to validation and billing. */
export async function ticketWorkflow(input: OpenTicketInput): Promise<TicketState> {
  const ticket: TicketState = {
    ...input,
    status: 'request',
    revision: 1,
    openedAt: Date.now(),
    events: [{ at: Date.now(), type: 'opened', by: input.contact.email }],
  };
  let recordedRevision = 0;

  function apply(action: TicketAction, change: Partial<TicketState>, event: Omit<TicketEvent, 'at'>): TicketState {
    const status = transition(ticket.status, action);
    Object.assign(ticket, change, { status, revision: ticket.revision + 1 });
    ticket.events.push({ at: Date.now(), ...event });
    upsertSearchAttributes([{ key: StatusKey, value: status }]);
    return ticket;
  }

  /** An Update validator: the command's shape, then whether the ticket's status allows the action. */
  function validatorFor<Command>(action: TicketAction, checkCommand: (command: Command) => void): (command: Command) => void {
    return refusing((command: Command) => {
      checkCommand(command);
      transition(ticket.status, action);
    });
  }

  /** Runs an Update's change once registration is done, refusing it if the ticket moved on meanwhile. */
  async function afterRegistration(change: () => TicketState): Promise<TicketState> {
    await condition(() => ticket.status !== 'request');
    try {
      return change();
    } catch (error) {
      throw asRefusal(error);
    }
  }

  setHandler(getTicketQuery, () => ticket);

  setHandler(
    takeChargeUpdate,
    ({ agent }) =>
      afterRegistration(() =>
        apply('take-charge', { assignee: agent, takenInChargeAt: Date.now() }, { type: 'taken-in-charge', by: agent }),
      ),
    { validator: validatorFor('take-charge', checkTakeCharge) },
  );

  setHandler(
    proposeResolutionUpdate,
    ({ agent, resolution, minutesWorked }) =>
      afterRegistration(() =>
        apply(
          'propose-resolution',
          { resolution, minutesWorked, resolutionProposedAt: Date.now() },
          { type: 'resolution-proposed', by: agent, note: resolution },
        ),
      ),
    { validator: validatorFor('propose-resolution', checkProposeResolution) },
  );

  setHandler(
    validateUpdate,
    ({ contact, comment }) =>
      afterRegistration(() =>
        apply('validate', { validatedAt: Date.now(), validatedBy: contact }, { type: 'validated', by: contact, note: comment }),
      ),
    { validator: validatorFor('validate', checkValidate) },
  );

  await acknowledgeTicket.executeWithOptions({ summary: 'register the ticket, queue the acknowledgement e-mail' }, [ticket]);
  recordedRevision = ticket.revision;
  apply('acknowledge', { acknowledgedAt: Date.now() }, { type: 'acknowledged' });

  // The read model follows the workflow's revisions; it is written outside the Update handlers so they answer at once.
  void (async () => {
    for (;;) {
      await condition(() => ticket.revision > recordedRevision);
      const revision = ticket.revision;
      await recordTicketState.executeWithOptions({ summary: `update the read model to revision ${revision}` }, [ticket]);
      recordedRevision = revision;
    }
  })();

  await condition(() => ticket.status === 'closed');
  ticket.billing = await billTicket.executeWithOptions({ summary: 'price the time worked, write the billing line' }, [ticket]);
  ticket.events.push({ at: Date.now(), type: 'billed' });
  ticket.revision += 1;

  await condition(() => recordedRevision === ticket.revision && allHandlersFinished());
  return ticket;
}
