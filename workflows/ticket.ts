import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlanningActivities } from '../activities/clock-planner';
import type { TicketActivities } from '../activities/ticket-activities';
import {
  getTicketQuery,
  noticeTaskQueue,
  readModelTaskQueue,
  registeredUpdate,
  TICKET_UPDATES,
  type OpenTicketInput,
  type TicketState,
} from '../messages/ticket';
import { TICKET_ACTION_NAMES, type TicketActionName, type TicketCommand } from '../messages/ticket-actions';
import { checkCommand } from '../domain/ticket/commands';
import { decide, type Replan } from '../domain/ticket/decide';
import { applyChanges, openedTicket, type TicketChange } from '../domain/ticket/evolve';
import {
  awaitingBill,
  billedTicket,
  dueStep,
  hasEnded,
  mergedReplan,
  nextWakeUp,
  planQuestion,
  registeredTicket,
  replannedTicket,
} from '../domain/ticket/steps';
import { asRefusal } from '../messages/failures';
import { syncChangedSearchAttributes } from './search-attributes';

/**
 * The Temporal shell of a ticket: every rule is in domain/ticket/ (decide, evolve, steps); this file wires Updates to
 * them, commits each change at once (facts, status, revision, then the search attributes that changed), runs the
 * activities the rules ask for, and sleeps until the next instant the ticket must look at its clocks.
 */

const TICKET_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a ticket: retry without limit, backing off to one attempt a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const { closeTicket } = proxyActivities<TicketActivities>(TICKET_ACTIVITY_OPTIONS);
// Registration is a local activity: it runs on the worker holding the ticket, inside the workflow task that opens it,
// so that the opening's answer (registeredUpdate) comes back from that one task, not after an activity task and a
// second workflow task through the server (half the opening's time in docs/benchmarks.md). It is the ticket's first
// work: every action waits for it (`registered`), so no Update's commit can land between its start and its result.
// test/workflows/registration.test.ts replays a registration slower than the workflow task, with actions sent
// meanwhile, on a worker without cache.
const { registerTicket } = proxyLocalActivities<TicketActivities>(TICKET_ACTIVITY_OPTIONS);

/** Notices and read-model writes on the task queues of their own that are named after the ticket's (messages/ticket.ts). */
function sideActivities(ticketQueue: string) {
  const { notifyThreshold } = proxyActivities<TicketActivities>({
    ...TICKET_ACTIVITY_OPTIONS,
    taskQueue: noticeTaskQueue(ticketQueue),
  });
  const { recordTicketState } = proxyActivities<TicketActivities>({
    ...TICKET_ACTIVITY_OPTIONS,
    taskQueue: readModelTaskQueue(ticketQueue),
  });
  return { notifyThreshold, recordTicketState };
}

// Calendar maths is an activity: the policies' calendars and holiday tables stay out of the workflow bundle, and its
// answer is an event of the history, delivered at the same place on every replay. Not a local activity, unlike the
// registration: actions commit while a plan runs, and a local activity's result among them replayed in another order
// (36f0185, and again with SDK 1.24.0 in bd64b16, reverted: test/e2e/concurrent-actions.test.ts failed its workflow
// task for good). The first plan is made by the registration activity itself, which writes the first row from it.
const { planClocks } = proxyActivities<PlanningActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
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
export async function ticketWorkflow(
  input: OpenTicketInput,
  carried?: TicketState,
  options: TicketWorkflowOptions = {},
): Promise<TicketState> {
  const historyLimit = options.historyEventsBeforeContinueAsNew ?? HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
  const { notifyThreshold, recordTicketState } = sideActivities(workflowInfo().taskQueue);
  let ticket: TicketState = carried ?? openedTicket(input, Date.now());
  let recordedRevision = carried ? carried.revision : 0;
  // Plans run one at a time, in the order asked, so that an older answer never lands after a newer one.
  let replanWanted: Replan | undefined;
  let plansAsked = 0;
  let plansDone = 0;
  let planning = false;

  function commit(changes: readonly TicketChange[]): void {
    ticket = applyChanges(ticket, changes);
    syncChangedSearchAttributes(ticket);
  }

  /** Asks for the clocks to be planned again; resolves once a plan that saw this change is applied. */
  async function replanned(replan: Replan): Promise<void> {
    replanWanted = mergedReplan(replanWanted, replan);
    const asked = ++plansAsked;
    await condition(() => plansDone >= asked);
  }

  setHandler(getTicketQuery, () => ticket);
  // Registered: planned, recorded in the read model, acknowledged or refused. A continued run was, long ago.
  let registered = carried !== undefined;
  setHandler(registeredUpdate, async () => {
    await condition(() => registered);
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
        await condition(() => registered);
        const decision = decide(ticket, { action, command } as TicketCommand, Date.now());
        if (!decision.accepted) throw asRefusal(decision.refusal);
        commit(decision.changes);
        if (decision.replan) await replanned(decision.replan);
        return ticket;
      },
      { validator: validate(action) },
    );
  }

  /**
   * Plans the clocks, then acknowledges the request or refuses it, and records that in the read model with its e-mail,
   * in one activity and one transaction: the ticket's first row is already acknowledged (or refused), never written
   * twice. The activity writes the state registeredTicket makes of its plan at `at`; the workflow adopts the same.
   */
  async function register(): Promise<void> {
    const at = Date.now();
    const answer = await registerTicket.executeWithOptions(
      { summary: 'plan the SLA deadlines, register the ticket, queue its acknowledgement or refusal' },
      [{ ticket, at }],
    );
    ticket = registeredTicket(ticket, answer, at).ticket;
    syncChangedSearchAttributes(ticket);
    recordedRevision = ticket.revision;
    registered = true;
  }
  if (!carried) await register();

  // The planner: runs in the background so that handlers waiting for a plan are served whatever the loop below does.
  void (async () => {
    for (;;) {
      await condition(() => replanWanted !== undefined);
      const replan = replanWanted!;
      const asked = plansAsked;
      replanWanted = undefined;
      planning = true;
      const answer = await planClocks.executeWithOptions(
        { summary: 'compute SLA deadlines on the business calendar' },
        [planQuestion(ticket, replan)],
      );
      ticket = replannedTicket(ticket, answer, replan, Date.now());
      syncChangedSearchAttributes(ticket);
      plansDone = asked;
      planning = false;
    }
  })();

  const planned = () => replanWanted === undefined && !planning;

  // The read model follows the workflow's revisions; it is written outside the Update handlers so they answer at once.
  // Each commit replaces the state whole, so the snapshot sent is one committed revision. A change waiting for its
  // plan, or a closed ticket for its bill, is written once with them, not once before.
  void (async () => {
    for (;;) {
      await condition(() => ticket.revision > recordedRevision && planned() && !awaitingBill(ticket));
      const snapshot = ticket;
      await recordTicketState.executeWithOptions(
        { summary: `update the read model to revision ${snapshot.revision}` },
        [snapshot],
      );
      // A notice's activity may have written a newer revision meanwhile (processDue below): never step back from it.
      if (snapshot.revision > recordedRevision) recordedRevision = snapshot.revision;
    }
  })();

  /**
   * Commits what the clocks bring about now (thresholds notified, deadlines passed, a release date reached), then
   * sends the notices. The last notice's activity writes the committed ticket in the notice's own transaction (so the
   * read model shows a threshold notified once its notice is queued): one activity and one workflow task per notice,
   * not a read-model write after each. A change waiting for its plan is written once with the plan, by the writer
   * above, as any other.
   */
  async function processDue(): Promise<void> {
    const { notices, changes, replan } = dueStep(ticket, Date.now());
    if (changes.length > 0) commit(changes);
    const row = notices.length > 0 && !replan ? ticket : undefined;
    if (row) recordedRevision = row.revision;
    const last = notices.at(-1);
    for (const notice of notices) {
      await notifyThreshold.executeWithOptions(
        { summary: `notify ${notice.notify.join(', ')}: ${notice.metric} at ${notice.percent}%` },
        notice === last && row ? [notice, row] : [notice],
      );
    }
    if (replan) await replanned(replan);
  }

  const pastHistoryBudget = () => {
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    return continueAsNewSuggested || historyLength > historyLimit;
  };
  const settled = () => allHandlersFinished() && recordedRevision === ticket.revision && planned();

  while (!hasEnded(ticket)) {
    const wakeAt = nextWakeUp(ticket);
    const seen = ticket.revision;
    // Crossing the history budget wakes the loop too, so that an idle ticket continues as new at once.
    const changed = () => ticket.revision !== seen || hasEnded(ticket) || pastHistoryBudget();
    if (wakeAt === undefined) await condition(changed);
    else if (wakeAt > Date.now())
      await condition(changed, wakeAt - Date.now(), { summary: `next SLA check at ${new Date(wakeAt).toISOString()}` });
    // A change that moves the deadlines (a reply, a new priority) is judged against its new plan, never the old one.
    await condition(planned);
    await processDue();
    if (pastHistoryBudget() && !hasEnded(ticket)) {
      // The read model holds a closed ticket back until its bill, and the bill is made after this loop: a closing
      // action that lands during this wait ends the loop instead, or both would wait for each other for ever.
      await condition(() => settled() || hasEnded(ticket));
      if (!hasEnded(ticket)) return continueAsNew<typeof ticketWorkflow>(input, ticket, options);
    }
  }

  if (awaitingBill(ticket)) {
    // Billed and written billed in one activity: the closed ticket's last row carries its bill, written once.
    const at = Date.now();
    const closing = ticket;
    const billing = await closeTicket.executeWithOptions(
      { summary: 'price the time worked, write the billing line and the billed ticket' },
      [{ ticket: closing, at }],
    );
    // What the activity wrote is this revision only if nothing was committed meanwhile; if something was, the writer follows.
    const written = ticket.revision === closing.revision;
    ticket = billedTicket(ticket, billing, at);
    syncChangedSearchAttributes(ticket);
    if (written) recordedRevision = ticket.revision;
  }
  await condition(settled);
  return ticket;
}
