import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TicketActivities } from '../activities/ticket-activities';
import { getTicketQuery, registeredUpdate, TICKET_UPDATES, type OpenTicketInput, type TicketState } from '../messages/ticket';
import { TICKET_ACTION_NAMES, type TicketActionName, type TicketCommand } from '../messages/ticket-actions';
import { checkCommand } from '../domain/ticket/commands';
import { decide, type Replan } from '../domain/ticket/decide';
import { applyChanges, openedTicket, type TicketChange } from '../domain/ticket/evolve';
import { isTerminal } from '../domain/ticket/status';
import {
  awaitingBill, billedTicket, dueChanges, dueThreshold, mergedReplan, nextWakeUp, registeredTicket, replannedTicket, thresholdNotice, thresholdNotified,
} from '../domain/ticket/steps';
import { asRefusal } from '../messages/failures';
import { syncChangedSearchAttributes } from './search-attributes';

/**
 * The Temporal shell of a ticket: every rule is in domain/ticket/ (decide, evolve, steps); this file wires Updates to
 * them, commits each change at once (facts, status, revision, then the search attributes that changed), runs the
 * activities the rules ask for, and sleeps until the next instant the ticket must look at its clocks.
 */

// Calendar maths runs in the activities that plan (registerTicket, recordPlan): the policies' calendars and holiday
// tables stay out of the workflow bundle, and the plan is an event of the history, read back on every replay. Each of
// them also writes the state the plan leads to, so that a step costs one activity, not a plan and then a write.
const { registerTicket, recordPlan, recordTicketState, closeTicket, notifyThreshold } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a ticket: retry without limit, backing off to one attempt a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Well under Temporal's 51,200-event limit: a ticket open for months continues as new with its state. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 4_000;

export interface TicketWorkflowOptions {
  /** Lower it to exercise continue-as-new in tests. */
  historyEventsBeforeContinueAsNew?: number;
}

/**
 * One support ticket, from the customer's request to validation and billing, with its response, intervention and
 * resolution clocks running on the policy's business calendars. `carried` is the state handed over by continue-as-new.
 */
export async function ticketWorkflow(input: OpenTicketInput, carried?: TicketState, options: TicketWorkflowOptions = {}): Promise<TicketState> {
  const historyLimit = options.historyEventsBeforeContinueAsNew ?? HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
  let ticket: TicketState = carried ?? openedTicket(input, Date.now());
  let recordedRevision = carried ? carried.revision : 0;
  // Plans run one at a time, in the order asked, so that an older answer never lands after a newer one.
  let replanWanted: Replan | undefined;
  let plansAsked = 0;
  let plansDone = 0;
  let planning = false;

  const adopt = (next: TicketState) => {
    ticket = next;
    syncChangedSearchAttributes(ticket);
  };
  const commit = (changes: readonly TicketChange[]) => adopt(applyChanges(ticket, changes));

  /** Asks for the clocks to be planned again; resolves once a plan that saw this change is applied. */
  function replanned(replan: Replan): Promise<void> {
    replanWanted = mergedReplan(replanWanted, replan);
    const asked = ++plansAsked;
    return condition(() => plansDone >= asked);
  }

  setHandler(getTicketQuery, () => ticket);
  // Registered: planned, recorded in the read model, acknowledged or refused. A continued run was, long ago.
  let registered = carried !== undefined;
  const isRegistered = () => registered;
  setHandler(registeredUpdate, async () => {
    if (!registered) await condition(isRegistered);
    return ticket;
  });

  const validate = (action: TicketActionName) => (command: unknown) => {
    try {
      checkCommand(action, command);
    } catch (error) {
      throw asRefusal(error);
    }
    const decision = decide(ticket, { action, command } as TicketCommand, Date.now());
    if (!decision.accepted) throw asRefusal(decision.refusal);
  };
  for (const action of TICKET_ACTION_NAMES) {
    setHandler(
      TICKET_UPDATES[action] as typeof TICKET_UPDATES.cancel,
      async (command: unknown) => {
        // The desk owns the ticket from the request on: an action sent during registration waits for its end.
        if (!registered) await condition(isRegistered);
        const decision = decide(ticket, { action, command } as TicketCommand, Date.now());
        if (!decision.accepted) throw asRefusal(decision.refusal);
        commit(decision.changes);
        if (decision.replan) await replanned(decision.replan);
        return ticket;
      },
      { validator: validate(action) },
    );
  }

  // Planned, then acknowledged or refused, and written with its e-mail: one activity, the first row written once.
  if (!carried) {
    const at = Date.now();
    const plan = await registerTicket.executeWithOptions({ summary: 'plan the SLA deadlines, register the ticket, queue its e-mail' }, [{ ticket, at }]);
    adopt(registeredTicket(ticket, plan, at));
    recordedRevision = ticket.revision;
    registered = true;
  }

  // The writer: one activity at a time, so that an older plan or write never lands after a newer one. A change that
  // waits for its plan is written with it (recordPlan), an ended ticket with its bill (closeTicket), any other
  // committed revision as it stands (recordTicketState). It runs beside the Updates, which answer at once.
  const toWrite = () => replanWanted !== undefined || ticket.revision > recordedRevision;
  void (async () => {
    for (;;) {
      await condition(toWrite);
      const at = Date.now();
      const given = ticket;
      if (replanWanted !== undefined) {
        const replan = replanWanted;
        const asked = plansAsked;
        replanWanted = undefined;
        planning = true;
        const plan = await recordPlan.executeWithOptions({ summary: 'plan the SLA deadlines again, update the read model' }, [{ ticket: given, at, replan }]);
        adopt(replannedTicket(ticket, plan, replan, at));
        // What was written is this revision only if nothing was committed meanwhile; if something was, it follows.
        if (ticket.revision === given.revision + 1) recordedRevision = ticket.revision;
        plansDone = asked;
        planning = false;
      } else if (awaitingBill(given)) {
        const billing = await closeTicket.executeWithOptions({ summary: 'price the time worked, write the billing line and the closed ticket' }, [{ ticket: given, at }]);
        adopt(billedTicket(ticket, billing, at));
        recordedRevision = ticket.revision;
      } else {
        await recordTicketState.executeWithOptions({ summary: `update the read model to revision ${given.revision}` }, [given]);
        recordedRevision = given.revision;
      }
    }
  })();

  const planned = () => replanWanted === undefined && !planning;

  /** Notifies each threshold reached, then records the facts the time alone brings about. */
  async function processDue(): Promise<void> {
    for (let due = dueThreshold(ticket, Date.now()); due; due = dueThreshold(ticket, Date.now())) {
      await notifyThreshold.executeWithOptions({ summary: `notify ${due.notify.join(', ')}: ${due.metric} at ${due.percent}%` }, [thresholdNotice(ticket, due)]);
      commit([thresholdNotified(due, Date.now())]);
    }
    const { changes, replan } = dueChanges(ticket, Date.now());
    if (changes.length > 0) commit(changes);
    if (replan) await replanned(replan);
  }

  const pastHistoryBudget = () => {
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    return continueAsNewSuggested || historyLength > historyLimit;
  };
  const settled = () => allHandlersFinished() && recordedRevision === ticket.revision && planned();

  while (!isTerminal(ticket.status)) {
    const wakeAt = nextWakeUp(ticket);
    const seen = ticket.revision;
    // Every committed revision wakes it, and crossing the history budget, so that an idle ticket continues as new at
    // once. Waking only when the wake-up instant moves (fewer timer events) was tried: the timer's cancellation and the
    // writer's activity then came out of one task in an order a replay did not reproduce (nondeterminism, seen on the
    // uncached worker of test/workflows after rejected Updates).
    const changed = () => ticket.revision !== seen || isTerminal(ticket.status) || pastHistoryBudget();
    if (wakeAt === undefined) await condition(changed);
    else if (wakeAt > Date.now()) await condition(changed, wakeAt - Date.now(), { summary: `next SLA check at ${new Date(wakeAt).toISOString()}` });
    // A change that moves the deadlines (a reply, a new priority) is judged against its new plan, never the old one.
    if (!planned()) await condition(planned);
    await processDue();
    if (pastHistoryBudget() && !isTerminal(ticket.status)) {
      await condition(settled);
      return continueAsNew<typeof ticketWorkflow>(input, ticket, options);
    }
  }

  // The writer bills the ended ticket and writes it billed; the run ends once everything committed is written.
  await condition(settled);
  return ticket;
}
