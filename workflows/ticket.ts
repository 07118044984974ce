import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { PlanningActivities, PlanResult } from '../activities/clock-planner';
import type { TicketActivities } from '../activities/ticket-activities';
import {
  acceptQuoteUpdate,
  cancelUpdate,
  customerRepliedUpdate,
  declineQuoteUpdate,
  scheduleReleaseUpdate,
  submitQuoteUpdate,
  getTicketQuery,
  logTimeUpdate,
  proposeResolutionUpdate,
  provideWorkaroundUpdate,
  reassignUpdate,
  rejectUpdate,
  setPriorityUpdate,
  startInterventionUpdate,
  takeChargeUpdate,
  validateUpdate,
  waitForCustomerUpdate,
  type OpenTicketInput,
  type TicketEvent,
  type TicketState,
} from '../contracts/ticket';
import type { Metric } from '../domain/policy/vocabulary';
import {
  applyPlan,
  dueThresholds,
  isRunning,
  markBreaches,
  newClock,
  nextThresholdAt,
  pause,
  resume,
  stop,
  type SlaClock,
} from '../domain/sla/clock';
import { InvalidArgumentError } from '../domain/errors';
import type { PolicyTerms } from '../domain/policy/terms';
import { startedMinutes } from '../domain/pricing/increments';
import { checkEntryAgainstRateCard } from '../domain/pricing/rate-card';
import { isTerminal, transition, TicketRuleError, type TicketAction } from '../domain/ticket/lifecycle';
import { mayReviseQuote, timeRuleRefusal, type LoggedTime } from '../domain/ticket/time-rules';
import {
  checkAgentCommand,
  checkCancel,
  checkCustomerReply,
  checkQuoteDecision,
  checkScheduleRelease,
  checkSubmitQuote,
  checkLogTime,
  checkProposeResolution,
  checkReassign,
  checkReject,
  checkSetPriority,
  checkValidate,
  checkWaitForCustomer,
  checkWorkaround,
} from './command-checks';
import { asRefusal, refusing } from './failures';
import { createMutex } from './mutex';
import { syncChangedSearchAttributes, syncSearchAttributes } from './search-attributes';

const { acknowledgeTicket, recordTicketState, billTicket, notifyThreshold } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a ticket: retry without limit, backing off to one attempt a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const planningOptions = { startToCloseTimeout: '10 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } } as const;
/**
 * Runs recorded before PLANNED_IN_HISTORY planned their clocks in a local activity. A local activity's result can
 * reach the workflow one task later than its marker was written, behind Updates that arrived meanwhile; a replay
 * then resumes the handler before those Updates are accepted, and the run fails for good with a nondeterminism
 * error (issue 9: UpsertWorkflowSearchAttributesMachine against WorkflowExecutionUpdateAccepted). An ordinary
 * activity's completion is an event of its own, delivered at the same place on every replay.
 */
const { planClocks: planClocksLocally } = proxyLocalActivities<PlanningActivities>(planningOptions);
const { planClocks: planClocksInHistory } = proxyActivities<PlanningActivities>(planningOptions);

/**
 * The patch that plans clocks in an ordinary activity and upserts search attributes once per committed change,
 * only those that changed. Decided once, at the start of a run, so that a run keeps one way throughout.
 */
export const PLANNED_IN_HISTORY = 'plan-in-activity-commit-search-attributes-once';

/**
 * The patch that hands the planner the ticket's channel and its contract's emergency target, so that an emergency's
 * response clock runs in calendar time. Decided once, at the start of a run: a run opened before it keeps the clocks
 * it was promised.
 */
export const EMERGENCY_CLOCK = 'emergency-response-clock';

/**
 * The patch that applies the policy's rules on logged time (domain/ticket/time-rules.ts: the quote gate, the people
 * limit) and lets a quote extend an accepted one. Decided once, at the start of a run: a handler re-runs its checks on
 * replay, and an entry a run accepted before the rules existed must be accepted again.
 */
export const TIME_RULES = 'quote-gate-and-people-limit';

/** Well under Temporal's 51,200-event limit: a ticket open for months continues as new with its state. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 4_000;

export interface TicketWorkflowOptions {
  /** Lower it to exercise continue-as-new in tests. */
  historyEventsBeforeContinueAsNew?: number;
}

const METRIC_ORDER: readonly Metric[] = ['response', 'intervention', 'resolution'];

function newTicket(input: OpenTicketInput, now: number): TicketState {
  return {
    ...input,
    status: 'request',
    revision: 1,
    openedAt: now,
    priorityConfirmed: false,
    clocks: METRIC_ORDER.map(newClock),
    slaBreached: false,
    thresholdGeneration: 1,
    notifiedThresholds: [],
    timeEntries: [],
    events: [{ at: now, type: 'opened', by: input.contact.email }],
  };
}

/** Plans recorded before policy terms existed carried only the workaround rule; their histories must still replay. */
type RecordedPlan = Omit<PlanResult, 'terms' | 'openAtRegistration'> & Partial<Pick<PlanResult, 'terms' | 'openAtRegistration'>> & { workaroundStopsResolutionClock?: boolean };

function termsOfPlan(plan: RecordedPlan): PolicyTerms {
  return plan.terms ?? { outOfHoursContacts: 'any', workaroundStopsResolutionClock: plan.workaroundStopsResolutionClock ?? false };
}

/** Out of hours, where the policy says so, only the contacts the contract names may open an incident (seed 002). */
function refusalOf(ticket: TicketState, plan: RecordedPlan): string | undefined {
  if (termsOfPlan(plan).outOfHoursContacts !== 'authorized' || (plan.openAtRegistration ?? true) || ticket.kind !== 'incident') return undefined;
  if ((ticket.authorizedContacts ?? []).includes(ticket.contact.email)) return undefined;
  return `out of office hours only the contacts named in the contract may open an incident; ${ticket.contact.email} is not one of them`;
}

/**
 * One support ticket, from the customer's request to validation and billing, with its response, intervention and
 * resolution clocks running on the policy's business calendars. `carried` is the state handed over by
 * continue-as-new.
 */
export async function ticketWorkflow(input: OpenTicketInput, carried?: TicketState, options: TicketWorkflowOptions = {}): Promise<TicketState> {
  const historyLimit = options.historyEventsBeforeContinueAsNew ?? HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
  const ticket: TicketState = carried ?? newTicket(input, Date.now());
  const notified = new Set(ticket.notifiedThresholds);
  let recordedRevision = carried ? carried.revision : 0;
  const exclusive = createMutex();
  const plannedInHistory = patched(PLANNED_IN_HISTORY);
  const planClocks = plannedInHistory ? planClocksInHistory : planClocksLocally;
  const emergencyClock = patched(EMERGENCY_CLOCK);
  const timeRules = patched(TIME_RULES);

  const clock = (metric: Metric): SlaClock => ticket.clocks.find((candidate) => candidate.metric === metric)!;

  function record(event: Omit<TicketEvent, 'at'>, at = Date.now()): void {
    ticket.events.push({ at, ...event });
    ticket.revision += 1;
    if (!plannedInHistory) syncSearchAttributes(ticket);
  }

  /** Where a change is whole (a handler's end, the SLA loop's step): the search attributes follow it, once. */
  function commit({ legacyUpsert }: { legacyUpsert: boolean }): void {
    if (plannedInHistory) syncChangedSearchAttributes(ticket);
    else if (legacyUpsert) syncSearchAttributes(ticket);
  }

  /** Re-plans the clocks still to stop, on the ticket's calendar and policy version, from registration. */
  async function replan({ autoValidationFrom }: { autoValidationFrom?: number } = {}): Promise<RecordedPlan> {
    const open = ticket.clocks.filter((candidate) => candidate.stoppedAt === undefined);
    const plan: RecordedPlan = await planClocks.executeWithOptions(
      { summary: 'compute SLA deadlines on the business calendar', startToCloseTimeout: '10 seconds' },
      [
        {
          policyId: ticket.policyId,
          policyVersion: ticket.policyVersion,
          kind: ticket.kind,
          priority: ticket.priority,
          registeredAt: ticket.openedAt,
          pauses: Object.fromEntries(open.map((candidate) => [candidate.metric, candidate.pauses])),
          resolutionProposedAt: autoValidationFrom,
          ...(emergencyClock ? { channel: ticket.channel, emergencyResponseTarget: ticket.emergencyResponseTarget } : {}),
        },
      ],
    );
    ticket.policyVersion = plan.policyVersion;
    ticket.rateCard = plan.rateCard;
    ticket.terms = termsOfPlan(plan);
    for (const candidate of open) applyPlan(candidate, plan.clocks.find((planned) => planned.metric === candidate.metric));
    if (autoValidationFrom !== undefined) ticket.autoValidateAt = plan.autoValidateAt;
    return plan;
  }

  const pauseAll = (now: number) => ticket.clocks.forEach((candidate) => pause(candidate, now));
  const resumeAll = (now: number) => ticket.clocks.forEach((candidate) => resume(candidate, now));
  const stopAll = (now: number) => ticket.clocks.forEach((candidate) => stop(candidate, now));

  /** Work outside the contract, or longer than the policy allows unquoted, waits for the customer's yes. */
  function checkNoQuotePending(): void {
    const status = ticket.quote?.status;
    if (status === 'required' || status === 'submitted') {
      throw new TicketRuleError('QUOTE_PENDING', 'the customer has not accepted a quote for this work yet: no work can start before');
    }
  }

  /** The policy's rules on time logged (the quote gate, the people limit), in runs that carry them. */
  function checkTimeRules(entry: LoggedTime): void {
    if (!timeRules) return;
    const refusal = timeRuleRefusal({ ticketNumber: ticket.ticketNumber, entries: ticket.timeEntries, quote: ticket.quote, terms: ticket.terms }, entry);
    if (refusal) throw refusal;
  }

  /** Runs an Update's change once registration is done, refusing it if the ticket moved on meanwhile. */
  function handle<Command>(
    update: UpdateDefinition<TicketState, [Command]>,
    action: TicketAction,
    checkCommand: (command: Command) => void,
    change: (command: Command, now: number) => void | Promise<void>,
    checkRules: (command: Command) => void = () => undefined,
  ): void {
    const check = (command: Command) => {
      checkCommand(command);
      const next = transition(ticket.status, action);
      checkRules(command);
      return next;
    };
    setHandler(
      update,
      async (command) => {
        await condition(() => ticket.status !== 'request');
        return exclusive(async () => {
          try {
            const next = check(command);
            await change(command, Date.now());
            ticket.status = next;
          } catch (error) {
            throw asRefusal(error);
          }
          commit({ legacyUpsert: true });
          return ticket;
        });
      },
      { validator: refusing((command: Command) => void check(command)) },
    );
  }

  setHandler(getTicketQuery, () => ticket);

  handle(takeChargeUpdate, 'take-charge', checkAgentCommand, ({ agent }, now) => {
    ticket.assignee = agent;
    ticket.takenInChargeAt = now;
    stop(clock('response'), now);
    record({ type: 'taken-in-charge', by: agent }, now);
  });

  handle(
    startInterventionUpdate,
    'start-intervention',
    checkAgentCommand,
    ({ agent }, now) => {
      ticket.interventionStartedAt = now;
      ticket.assignee ??= agent;
      stop(clock('intervention'), now);
      record({ type: 'intervention-started', by: agent }, now);
    },
    () => {
      if (ticket.interventionStartedAt !== undefined) throw new TicketRuleError('ALREADY_DONE', 'the intervention has already started');
      checkNoQuotePending();
    },
  );

  handle(
    logTimeUpdate,
    'log-time',
    checkLogTime,
    (entry) => {
      ticket.timeEntries.push(entry);
      record({ type: 'time-logged', by: entry.agent, note: `${startedMinutes(entry.end - entry.start)} min${entry.onSite ? ' on site' : ''}` });
    },
    (entry) => {
      if (entry.end > Date.now()) throw new TicketRuleError('TIME_IN_FUTURE', 'end: time can only be logged once worked');
      checkNoQuotePending();
      // Work outside the contract is billed at its accepted quote, not at the contract's rates.
      if (ticket.scope !== 'excluded') checkEntryAgainstRateCard(ticket.rateCard, entry);
      checkTimeRules(entry);
    },
  );

  handle(
    setPriorityUpdate,
    'set-priority',
    checkSetPriority,
    async ({ priority, by, reason }, now) => {
      const previous = ticket.priority;
      ticket.priority = priority;
      ticket.priorityConfirmed = true;
      if (priority !== previous) {
        // Deadlines count from registration under the new priority; thresholds are armed again for them.
        ticket.thresholdGeneration += 1;
        await replan();
        for (const candidate of ticket.clocks) {
          if (isRunning(candidate) && candidate.deadline !== null && candidate.deadline > now) delete candidate.breachedAt;
        }
        ticket.slaBreached = ticket.clocks.some((candidate) => candidate.breachedAt !== undefined);
      }
      const change = priority === previous ? `${priority} confirmed` : `${previous} → ${priority}, deadlines recomputed from registration`;
      record({ type: 'priority-set', by, note: reason ? `${change}: ${reason}` : change }, now);
    },
    ({ priority }) => {
      if (priority === ticket.priority && ticket.priorityConfirmed) throw new TicketRuleError('ALREADY_DONE', `the priority is already ${priority}`);
    },
  );

  handle(
    reassignUpdate,
    'reassign',
    checkReassign,
    ({ agent, by }, now) => {
      ticket.assignee = agent;
      record({ type: 'reassigned', by, note: `to ${agent}` }, now);
    },
    ({ agent }) => {
      if (agent === ticket.assignee) throw new TicketRuleError('ALREADY_DONE', `the ticket is already assigned to ${agent}`);
    },
  );

  handle(waitForCustomerUpdate, 'wait-for-customer', checkWaitForCustomer, ({ agent, question }, now) => {
    pauseAll(now);
    record({ type: 'waiting-for-customer', by: agent, note: question }, now);
  });

  handle(customerRepliedUpdate, 'customer-replied', checkCustomerReply, async ({ contact, message }, now) => {
    resumeAll(now);
    await replan();
    record({ type: 'customer-replied', by: contact, note: message }, now);
  });

  handle(
    provideWorkaroundUpdate,
    'provide-workaround',
    checkWorkaround,
    ({ agent, description }, now) => {
      ticket.workaroundAt = now;
      if (ticket.terms?.workaroundStopsResolutionClock) stop(clock('resolution'), now);
      record({ type: 'workaround-provided', by: agent, note: description }, now);
    },
    () => {
      if (ticket.workaroundAt !== undefined) throw new TicketRuleError('ALREADY_DONE', 'a workaround has already been provided');
    },
  );

  handle(
    proposeResolutionUpdate,
    'propose-resolution',
    checkProposeResolution,
    async ({ agent, resolution, minutesWorked }, now) => {
    if (minutesWorked) ticket.timeEntries.push({ agent, start: now - minutesWorked * 60_000, end: now, onSite: false });
    ticket.resolution = resolution;
    ticket.resolutionProposedAt = now;
    // Proposing a resolution means the intervention happened; the resolution clock waits on the customer's answer.
    stop(clock('intervention'), now);
    pause(clock('resolution'), now);
    await replan({ autoValidationFrom: now });
    record({ type: 'resolution-proposed', by: agent, note: resolution }, now);
    },
    // Minutes given here carry no role or service: only a flat-rate contract can price them.
    ({ agent, minutesWorked }) => {
      checkNoQuotePending();
      if (minutesWorked && ticket.scope !== 'excluded') checkEntryAgainstRateCard(ticket.rateCard, {});
      if (minutesWorked) checkTimeRules({ agent, start: 0, end: minutesWorked * 60_000 });
    },
  );

  const close = (now: number) => {
    stopAll(now);
    ticket.validatedAt = now;
    delete ticket.autoValidateAt;
  };

  handle(validateUpdate, 'validate', checkValidate, ({ contact, comment }, now) => {
    close(now);
    ticket.validatedBy = contact;
    record({ type: 'validated', by: contact, note: comment }, now);
  });

  handle(rejectUpdate, 'reject', checkReject, async ({ contact, reason }, now) => {
    resume(clock('resolution'), now);
    delete ticket.autoValidateAt;
    await replan();
    record({ type: 'rejected', by: contact, note: reason }, now);
  });

  handle(cancelUpdate, 'cancel', checkCancel, ({ by, reason }, now) => {
    stopAll(now);
    ticket.cancelledAt = now;
    ticket.cancelReason = reason;
    delete ticket.autoValidateAt;
    record({ type: 'cancelled', by, note: reason }, now);
  });

  handle(
    submitQuoteUpdate,
    'submit-quote',
    checkSubmitQuote,
    ({ agent, estimateMinutes, amountCents, note }, now) => {
      const limit = ticket.terms?.quoteRequiredAboveMinutes;
      const reason = ticket.scope === 'excluded' ? 'excluded-work' : limit !== undefined && estimateMinutes > limit ? 'long-intervention' : undefined;
      if (!reason) {
        record({ type: 'estimate-recorded', by: agent, note: `${estimateMinutes} min estimated: no quote needed${note ? `; ${note}` : ''}` }, now);
        return;
      }
      ticket.quote = { status: 'submitted', reason, estimateMinutes, amountCents, submittedBy: agent, submittedAt: now };
      // The desk waits on the customer's decision: the clocks stand still meanwhile.
      pauseAll(now);
      record({ type: 'quote-submitted', by: agent, note: `${estimateMinutes} min${amountCents === undefined ? '' : `, ${amountCents} cents`} (${reason})${note ? `; ${note}` : ''}` }, now);
    },
    ({ amountCents, estimateMinutes }) => {
      // Where time is gated on quotes, a quote estimating more than the accepted one extends the work past it.
      const extending = timeRules && mayReviseQuote(ticket, estimateMinutes);
      if (!extending && (ticket.quote?.status === 'submitted' || ticket.quote?.status === 'accepted')) {
        const extend = timeRules && ticket.quote.status === 'accepted' && ticket.terms?.quoteRequiredAboveMinutes !== undefined;
        throw new TicketRuleError('ALREADY_DONE', `a quote is already ${ticket.quote.status}${extend ? `: a new quote extends it only by estimating more than its ${ticket.quote.estimateMinutes ?? 0} min` : ''}`);
      }
      if (ticket.scope === 'excluded' && amountCents === undefined) throw new InvalidArgumentError('amountCents', 'the quoted price: work outside the contract is billed at it');
    },
  );

  const checkQuoteSubmitted = () => {
    if (ticket.quote?.status !== 'submitted') throw new TicketRuleError('NO_QUOTE', 'there is no quote awaiting the customer\'s decision');
  };

  handle(
    acceptQuoteUpdate,
    'accept-quote',
    checkQuoteDecision,
    async ({ contact }, now) => {
      Object.assign(ticket.quote!, { status: 'accepted', decidedBy: contact, decidedAt: now });
      resumeAll(now);
      await replan();
      record({ type: 'quote-accepted', by: contact }, now);
    },
    checkQuoteSubmitted,
  );

  handle(
    declineQuoteUpdate,
    'decline-quote',
    checkQuoteDecision,
    ({ contact, reason }, now) => {
      Object.assign(ticket.quote!, { status: 'declined', decidedBy: contact, decidedAt: now, declineReason: reason });
      stopAll(now);
      ticket.cancelledAt = now;
      ticket.cancelReason = `quote declined${reason ? `: ${reason}` : ''}`;
      record({ type: 'quote-declined', by: contact, note: reason }, now);
    },
    checkQuoteSubmitted,
  );

  handle(
    scheduleReleaseUpdate,
    'schedule-release',
    checkScheduleRelease,
    ({ agent, releaseAt }, now) => {
      ticket.releaseAt = releaseAt;
      // The change waits for the date agreed with the customer: its clocks stand still until then.
      pauseAll(now);
      record({ type: 'release-scheduled', by: agent, note: new Date(releaseAt).toISOString() }, now);
    },
    ({ releaseAt }) => {
      if (ticket.kind !== 'change') throw new TicketRuleError('NOT_A_CHANGE', `only a change request has a release date; this ticket is an ${ticket.kind}`);
      if (releaseAt <= Date.now()) throw new InvalidArgumentError('releaseAt', 'an instant in the future');
    },
  );

  /** Notifies every threshold reached since the last look, marks breaches, and auto-validates when due. */
  async function processDueSlaEvents(): Promise<void> {
    const now = Date.now();
    for (const due of dueThresholds(ticket.clocks, now, ticket.thresholdGeneration, notified)) {
      await notifyThreshold.executeWithOptions({ summary: `notify ${due.notify.join(', ')}: ${due.metric} at ${due.percent}%` }, [
        {
          ticketNumber: ticket.ticketNumber,
          title: ticket.title,
          customerId: ticket.customerId,
          priority: ticket.priority,
          assignee: ticket.assignee,
          metric: due.metric,
          percent: due.percent,
          deadline: clock(due.metric).deadline ?? due.at,
          key: due.key,
          notify: due.notify,
        },
      ]);
      notified.add(due.key);
      ticket.notifiedThresholds.push(due.key);
      record({ type: 'sla-threshold', note: `${due.metric} ${due.percent}%: ${due.notify.join(', ')} notified` });
    }
    const breached = markBreaches(ticket.clocks, now);
    if (breached.length > 0) {
      ticket.slaBreached = true;
      for (const metric of breached) record({ type: 'sla-breached', note: `${metric} deadline passed` });
    }
    if (ticket.status === 'scheduled' && ticket.releaseAt !== undefined && ticket.releaseAt <= now) {
      ticket.status = transition(ticket.status, 'release');
      resumeAll(now);
      await replan();
      record({ type: 'release-due', note: 'release date reached: back to support' });
    }
    if (ticket.status === 'validation' && ticket.autoValidateAt !== undefined && ticket.autoValidateAt <= now) {
      ticket.status = transition(ticket.status, 'auto-validate');
      close(now);
      ticket.validatedBy = 'auto-validation';
      record({ type: 'auto-validated', note: 'no answer from the customer within the policy delay' });
    }
  }

  async function processDueSlaEventsAndCommit(): Promise<void> {
    await processDueSlaEvents();
    commit({ legacyUpsert: false });
  }

  function nextWakeUp(): number | undefined {
    const candidates = [
      nextThresholdAt(ticket.clocks, ticket.thresholdGeneration, notified),
      ticket.status === 'validation' ? ticket.autoValidateAt : undefined,
      ticket.status === 'scheduled' ? ticket.releaseAt : undefined,
    ];
    const defined = candidates.filter((at): at is number => at !== undefined);
    return defined.length === 0 ? undefined : Math.min(...defined);
  }

  if (!carried) {
    if (input.channel === 'emergency') {
      ticket.priority = 'P1';
      ticket.priorityConfirmed = true;
    }
    if (input.scope === 'excluded') ticket.quote = { status: 'required', reason: 'excluded-work' };
    const plan = await replan();
    const refusal = refusalOf(ticket, plan);
    if (refusal) {
      ticket.status = transition(ticket.status, 'refuse');
      ticket.refusalReason = refusal;
      stopAll(ticket.openedAt);
      record({ type: 'refused', note: refusal });
    }
    commit({ legacyUpsert: true });
    await acknowledgeTicket.executeWithOptions({ summary: refusal ? 'record the refusal, tell the contact why' : 'register the ticket, queue the acknowledgement e-mail' }, [ticket]);
    recordedRevision = ticket.revision;
    if (!refusal) {
      ticket.status = transition(ticket.status, 'acknowledge');
      ticket.acknowledgedAt = Date.now();
      record({ type: 'acknowledged', note: input.channel === 'emergency' ? 'emergency channel: P1, handled at once' : undefined });
      commit({ legacyUpsert: false });
    }
  }

  // The read model follows the workflow's revisions; it is written outside the Update handlers so they answer at once.
  void (async () => {
    // A handler bumps the revision before it may await (a replan) and sets the status after: the state is whole only
    // between handlers, so the snapshot is taken under their lock. Runs recorded before this keep their old order.
    const snapshotBetweenHandlers = patched('read-model-snapshot-between-handlers');
    const writeSnapshot = () => {
      const revision = ticket.revision;
      return { revision, written: recordTicketState.executeWithOptions({ summary: `update the read model to revision ${revision}` }, [ticket]) };
    };
    for (;;) {
      await condition(() => ticket.revision > recordedRevision);
      const { revision, written } = snapshotBetweenHandlers ? await exclusive(() => Promise.resolve(writeSnapshot())) : writeSnapshot();
      await written;
      recordedRevision = revision;
    }
  })();

  const pastHistoryBudget = () => {
    const { historyLength, continueAsNewSuggested } = workflowInfo();
    return continueAsNewSuggested || historyLength > historyLimit;
  };

  while (!isTerminal(ticket.status)) {
    const wakeAt = nextWakeUp();
    const seen = ticket.revision;
    // Crossing the history budget wakes the loop too, so that an idle ticket continues as new at once.
    const changed = () => ticket.revision !== seen || isTerminal(ticket.status) || pastHistoryBudget();
    if (wakeAt === undefined) await condition(changed);
    else if (wakeAt > Date.now()) await condition(changed, wakeAt - Date.now(), { summary: `next SLA check at ${new Date(wakeAt).toISOString()}` });
    // Older runs keep their exact promise chain: one more await would move their commands on replay.
    await exclusive(plannedInHistory ? processDueSlaEventsAndCommit : processDueSlaEvents);

    if (pastHistoryBudget() && !isTerminal(ticket.status)) {
      await condition(() => allHandlersFinished() && recordedRevision === ticket.revision);
      return continueAsNew<typeof ticketWorkflow>(input, ticket, options);
    }
  }

  if (ticket.status === 'closed' || ticket.timeEntries.length > 0 || ticket.channel === 'emergency') {
    ticket.billing = await billTicket.executeWithOptions({ summary: 'price the time worked, write the billing line' }, [ticket]);
    record({ type: 'billed' });
  }

  await condition(() => recordedRevision === ticket.revision && allHandlersFinished());
  return ticket;
}
