import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { PlanningActivities } from '../activities/clock-planner';
import type { TicketActivities } from '../activities/ticket-activities';
import {
  cancelUpdate,
  customerRepliedUpdate,
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
import { checkEntryAgainstRateCard } from '../domain/pricing/rate-card';
import { isTerminal, transition, TicketRuleError, type TicketAction } from '../domain/ticket/lifecycle';
import {
  checkAgentCommand,
  checkCancel,
  checkCustomerReply,
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
import { syncSearchAttributes } from './search-attributes';

const { acknowledgeTicket, recordTicketState, billTicket, notifyThreshold } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage must not lose a ticket: retry without limit, backing off to one attempt a minute.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const { planClocks } = proxyLocalActivities<PlanningActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Well under Temporal's 51,200-event limit: a ticket open for months continues as new with its state. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 4_000;

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
    workaroundStopsResolutionClock: false,
    thresholdGeneration: 1,
    notifiedThresholds: [],
    timeEntries: [],
    events: [{ at: now, type: 'opened', by: input.contact.email }],
  };
}

/**
 * One support ticket, from the customer's request to validation and billing, with its response, intervention and
 * resolution clocks running on the policy's business calendars. `carried` is the state handed over by
 * continue-as-new.
 */
export async function ticketWorkflow(input: OpenTicketInput, carried?: TicketState): Promise<TicketState> {
  const ticket: TicketState = carried ?? newTicket(input, Date.now());
  const notified = new Set(ticket.notifiedThresholds);
  let recordedRevision = carried ? carried.revision : 0;
  const exclusive = createMutex();

  const clock = (metric: Metric): SlaClock => ticket.clocks.find((candidate) => candidate.metric === metric)!;

  function record(event: Omit<TicketEvent, 'at'>, at = Date.now()): void {
    ticket.events.push({ at, ...event });
    ticket.revision += 1;
    syncSearchAttributes(ticket);
  }

  /** Re-plans the clocks still to stop, on the ticket's calendar and policy version, from registration. */
  async function replan({ autoValidationFrom }: { autoValidationFrom?: number } = {}): Promise<void> {
    const open = ticket.clocks.filter((candidate) => candidate.stoppedAt === undefined);
    const plan = await planClocks.executeWithOptions(
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
        },
      ],
    );
    ticket.policyVersion = plan.policyVersion;
    ticket.rateCard = plan.rateCard;
    ticket.workaroundStopsResolutionClock = plan.workaroundStopsResolutionClock;
    for (const candidate of open) applyPlan(candidate, plan.clocks.find((planned) => planned.metric === candidate.metric));
    if (autoValidationFrom !== undefined) ticket.autoValidateAt = plan.autoValidateAt;
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
          syncSearchAttributes(ticket);
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
    },
  );

  handle(
    logTimeUpdate,
    'log-time',
    checkLogTime,
    (entry) => {
      ticket.timeEntries.push(entry);
      record({ type: 'time-logged', by: entry.agent, note: `${Math.ceil((entry.end - entry.start) / 60_000)} min${entry.onSite ? ' on site' : ''}` });
    },
    (entry) => {
      if (entry.end > Date.now()) throw new TicketRuleError('TIME_IN_FUTURE', 'end: time can only be logged once worked');
      checkEntryAgainstRateCard(ticket.rateCard, entry);
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
    for (const candidate of ticket.clocks) pause(candidate, now);
    record({ type: 'waiting-for-customer', by: agent, note: question }, now);
  });

  handle(customerRepliedUpdate, 'customer-replied', checkCustomerReply, async ({ contact, message }, now) => {
    for (const candidate of ticket.clocks) resume(candidate, now);
    await replan();
    record({ type: 'customer-replied', by: contact, note: message }, now);
  });

  handle(
    provideWorkaroundUpdate,
    'provide-workaround',
    checkWorkaround,
    ({ agent, description }, now) => {
      ticket.workaroundAt = now;
      if (ticket.workaroundStopsResolutionClock) stop(clock('resolution'), now);
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
    ({ minutesWorked }) => {
      if (minutesWorked) checkEntryAgainstRateCard(ticket.rateCard, {});
    },
  );

  const close = (now: number) => {
    for (const candidate of ticket.clocks) stop(candidate, now);
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
    for (const candidate of ticket.clocks) stop(candidate, now);
    ticket.cancelledAt = now;
    ticket.cancelReason = reason;
    delete ticket.autoValidateAt;
    record({ type: 'cancelled', by, note: reason }, now);
  });

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
    if (ticket.status === 'validation' && ticket.autoValidateAt !== undefined && ticket.autoValidateAt <= now) {
      ticket.status = transition(ticket.status, 'auto-validate');
      close(now);
      ticket.validatedBy = 'auto-validation';
      record({ type: 'auto-validated', note: 'no answer from the customer within the policy delay' });
    }
  }

  function nextWakeUp(): number | undefined {
    const candidates = [nextThresholdAt(ticket.clocks, ticket.thresholdGeneration, notified), ticket.status === 'validation' ? ticket.autoValidateAt : undefined];
    const defined = candidates.filter((at): at is number => at !== undefined);
    return defined.length === 0 ? undefined : Math.min(...defined);
  }

  if (!carried) {
    await replan();
    syncSearchAttributes(ticket);
    await acknowledgeTicket.executeWithOptions({ summary: 'register the ticket, queue the acknowledgement e-mail' }, [ticket]);
    recordedRevision = ticket.revision;
    ticket.status = transition(ticket.status, 'acknowledge');
    ticket.acknowledgedAt = Date.now();
    record({ type: 'acknowledged' });
  }

  // The read model follows the workflow's revisions; it is written outside the Update handlers so they answer at once.
  void (async () => {
    for (;;) {
      await condition(() => ticket.revision > recordedRevision);
      const revision = ticket.revision;
      await recordTicketState.executeWithOptions({ summary: `update the read model to revision ${revision}` }, [ticket]);
      recordedRevision = revision;
    }
  })();

  while (!isTerminal(ticket.status)) {
    const wakeAt = nextWakeUp();
    const seen = ticket.revision;
    const changed = () => ticket.revision !== seen || isTerminal(ticket.status);
    if (wakeAt === undefined) await condition(changed);
    else if (wakeAt > Date.now()) await condition(changed, wakeAt - Date.now(), { summary: `next SLA check at ${new Date(wakeAt).toISOString()}` });
    await exclusive(processDueSlaEvents);

    const { historyLength, continueAsNewSuggested } = workflowInfo();
    if ((continueAsNewSuggested || historyLength > HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW) && !isTerminal(ticket.status)) {
      await condition(() => allHandlersFinished() && recordedRevision === ticket.revision);
      return continueAsNew<typeof ticketWorkflow>(input, ticket);
    }
  }

  if (ticket.status === 'closed' || ticket.timeEntries.length > 0) {
    ticket.billing = await billTicket.executeWithOptions({ summary: 'price the time worked, write the billing line' }, [ticket]);
    record({ type: 'billed' });
  }

  await condition(() => recordedRevision === ticket.revision && allHandlersFinished());
  return ticket;
}
