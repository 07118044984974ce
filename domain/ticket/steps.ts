import type { BillingSummary, TicketState } from '../../messages/ticket';
import type { Duration } from '../calendar';
import type { Interval } from '../calendar/intervals';
import type { PolicyTerms } from '../policy/terms';
import type { Metric, Priority, TicketKind } from '../policy/vocabulary';
import type { RateCard } from '../pricing/rate-card';
import { applyPlan, dueThresholds, isRunning, nextThresholdAt, type ClockPlan, type DueThreshold } from '../sla/clock';
import { sameEmailAddress } from '../text';
import type { Replan } from './decide';
import { applyChanges, type TicketChange } from './evolve';
import { isTerminal } from './status';

/**
 * The steps a ticket takes on its own, as pure functions of its state and the time: what its planner is asked and
 * what its answer changes, whether its registration is refused, which thresholds and dates are due, and when it must
 * look again. The workflow (workflows/ticket.ts) runs them; calendar maths stays in the planning activity.
 */

/** What the planner is asked (activities/clock-planner.ts). */
export interface PlanQuestion {
  policyId: string;
  /** Absent at registration: the version in force at `registeredAt` is chosen and returned. */
  policyVersion?: number;
  kind: TicketKind;
  priority: Priority;
  registeredAt: number;
  /** Closed pauses of each clock; a clock that is not listed is not planned. */
  pauses: Partial<Record<Metric, Interval[]>>;
  /** When a resolution was proposed: the auto-validation instant is planned from it. */
  resolutionProposedAt?: number;
  /** Opened through the emergency channel: the response clock runs on the policy's emergency target, in calendar time. */
  channel?: 'standard' | 'emergency';
  /** The contract's emergency response target, replacing the policy's (calendar hours). */
  emergencyResponseTarget?: Duration;
  /** The contract's quote limit (logged minutes), replacing the policy's where it has one. */
  quoteRequiredAboveMinutes?: number;
  /** The contract's people count, replacing the policy's where it has a people limit. */
  maxPeoplePerTicket?: number;
}

/** What the planner answers (activities/clock-planner.ts). */
export interface PlanAnswer {
  policyVersion: number;
  terms: PolicyTerms;
  /** Whether the ticket's calendar was open at registration (out-of-hours rules apply otherwise). */
  openAtRegistration: boolean;
  rateCard: RateCard | null;
  clocks: ClockPlan[];
  autoValidateAt?: number;
  /**
   * An emergency's escalation levels told as it is registered (its policy's emergency `atOpening`): its
   * acknowledgement records them (registration) and the registration activity tells them (openingNotice).
   */
  atOpening?: string[];
}

/** The clocks still to stop are planned again, on the ticket's calendar and policy version, from registration. */
export function planQuestion(ticket: TicketState, replan: Replan): PlanQuestion {
  const open = ticket.clocks.filter((clock) => clock.stoppedAt === undefined);
  return {
    policyId: ticket.policyId,
    policyVersion: ticket.policyVersion,
    kind: ticket.kind,
    priority: ticket.priority,
    registeredAt: ticket.openedAt,
    pauses: Object.fromEntries(open.map((clock) => [clock.metric, clock.pauses])),
    resolutionProposedAt: replan.autoValidationFrom,
    channel: ticket.channel,
    emergencyResponseTarget: ticket.emergencyResponseTarget,
    quoteRequiredAboveMinutes: ticket.quoteRequiredAboveMinutes,
    maxPeoplePerTicket: ticket.maxPeoplePerTicket,
  };
}

/**
 * The ticket with the planner's answer: its policy version, rate card and terms, the deadlines and thresholds of the
 * clocks still running, and when it validates itself. After a priority change (`rearm`), breaches the new deadlines
 * no longer justify are lifted.
 */
export function withPlan(ticket: TicketState, plan: PlanAnswer, replan: Replan, now: number): TicketState {
  const clocks = ticket.clocks.map((clock) => {
    if (clock.stoppedAt !== undefined) return clock;
    const planned = { ...clock, pauses: [...clock.pauses] };
    applyPlan(
      planned,
      plan.clocks.find((candidate) => candidate.metric === clock.metric),
    );
    if (replan.rearm && isRunning(planned) && planned.deadline !== null && planned.deadline > now)
      delete planned.breachedAt;
    return planned;
  });
  const next: TicketState = {
    ...ticket,
    policyVersion: plan.policyVersion,
    rateCard: plan.rateCard,
    terms: plan.terms,
    clocks,
    slaBreached: replan.rearm ? clocks.some((clock) => clock.breachedAt !== undefined) : ticket.slaBreached,
  };
  // Asked when the resolution was proposed; a rejection since (back to support) leaves it unset.
  if (
    replan.autoValidationFrom !== undefined &&
    ticket.status === 'validation' &&
    ticket.resolutionProposedAt === replan.autoValidationFrom
  ) {
    if (plan.autoValidateAt === undefined) delete next.autoValidateAt;
    else next.autoValidateAt = plan.autoValidateAt;
  }
  return next;
}

/**
 * Two replans asked before the planner took either: one plan serves both, from the latest proposal of a resolution,
 * lifting breaches if either changed the priority.
 */
export const mergedReplan = (wanted: Replan | undefined, more: Replan): Replan => ({
  autoValidationFrom: more.autoValidationFrom ?? wanted?.autoValidationFrom,
  rearm: Boolean(wanted?.rearm || more.rearm),
});

/** The ticket with a later plan: a committed change of its own, one revision more (the read model records it). */
export function replannedTicket(ticket: TicketState, plan: PlanAnswer, replan: Replan, now: number): TicketState {
  return { ...withPlan(ticket, plan, replan, now), revision: ticket.revision + 1 };
}

/**
 * Out of hours, where the policy says so, only the contacts the contract names may open an incident (the care-solutions
 * preset): the ticket's contact is one of them whatever the capitals of either address (domain/text.ts sameEmailAddress).
 */
export function registrationRefusal(ticket: TicketState, plan: PlanAnswer, now: number): TicketChange | undefined {
  if (plan.terms.outOfHoursContacts !== 'authorized' || plan.openAtRegistration || ticket.kind !== 'incident')
    return undefined;
  const { email } = ticket.contact;
  if ((ticket.authorizedContacts ?? []).some((authorized) => sameEmailAddress(authorized, email))) return undefined;
  return {
    type: 'refused',
    at: now,
    refusal: { reason: 'contact-not-authorized-out-of-hours', contact: ticket.contact.email },
  };
}

/**
 * An emergency's acknowledgement says so through the ticket's channel, which its readers word
 * (api/web/ticket-history.ts), and names the escalation levels its registration tells at once (`notified`).
 */
export function acknowledgement(now: number, notified: readonly string[] = []): TicketChange {
  return notified.length > 0
    ? { type: 'acknowledged', at: now, notified: [...notified] }
    : { type: 'acknowledged', at: now };
}

/**
 * How a planned request is registered: refused, dated from its opening, where registrationRefusal says so; otherwise
 * acknowledged now.
 */
export function registration(
  ticket: TicketState,
  plan: PlanAnswer,
  now: number,
): { change: TicketChange; refused: boolean } {
  const refusal = registrationRefusal(ticket, plan, ticket.openedAt);
  return refusal
    ? { change: refusal, refused: true }
    : { change: acknowledgement(now, ticket.channel === 'emergency' ? (plan.atOpening ?? []) : []), refused: false };
}

/**
 * The ticket registered at `at` with its first plan: planned, then acknowledged or refused (registration), as one
 * committed change. The registration activity writes this state and the workflow adopts it from the same plan and
 * instant, so that both hold one state and the first row is written once.
 */
export function registeredTicket(
  ticket: TicketState,
  plan: PlanAnswer,
  at: number,
): { ticket: TicketState; refused: boolean } {
  const planned = withPlan(ticket, plan, {}, at);
  const { change, refused } = registration(planned, plan, at);
  return { ticket: applyChanges(planned, [change]), refused };
}

/**
 * What an emergency's notice at opening says (the registration activity queues it with the acknowledgement,
 * activities/ticket-activities.ts writeRegistration): the people the policy's emergency `atOpening` names hear of
 * it when it is registered, not at its first threshold.
 */
export interface OpeningNotice {
  ticketNumber: string;
  title: string;
  customerId: string;
  priority: string;
  /** When it was registered (acknowledged). */
  openedAt: number;
  /** By when it must be taken in charge: its response clock's deadline. */
  deadline: number;
  /** The escalation levels to tell (`desk`, `emergency-escalation`): activities/escalation-contacts.ts resolves them. */
  notify: string[];
}

/**
 * The notice an emergency's registration sends at once, to the levels its acknowledgement names (registration, from
 * the policy's emergency `atOpening`): none for a ticket of the standard channel, for a request refused (the desk
 * does not take it), or where the policy names nobody at opening. What the ticket records as told is what is sent.
 */
export function openingNotice(ticket: TicketState): OpeningNotice | undefined {
  const atOpening = ticket.events.find((event) => event.type === 'acknowledged')?.notified ?? [];
  if (ticket.channel !== 'emergency' || ticket.status === 'refused' || atOpening.length === 0) return undefined;
  const { ticketNumber, title, customerId, priority, clocks } = ticket;
  const openedAt = ticket.acknowledgedAt ?? ticket.openedAt;
  // The emergency section that names people at opening gives the response clock its target, so the deadline is
  // planned; without one, "handled at once" is read literally: it is due when it was registered.
  const deadline = clocks.find((clock) => clock.metric === 'response')?.deadline ?? openedAt;
  return { ticketNumber, title, customerId, priority, openedAt, deadline, notify: [...atOpening] };
}

const notifiedOf = (ticket: TicketState) => new Set(ticket.notifiedThresholds);

/** What a threshold's notice says (the notifyThreshold activity, activities/ticket-notices.ts, sends it). */
export interface ThresholdNotice {
  ticketNumber: string;
  title: string;
  customerId: string;
  priority: string;
  assignee?: string;
  metric: string;
  percent: number;
  deadline: number;
  /** Identifies the threshold within the ticket (clock, percent, arming generation). */
  key: string;
  /** The policy's escalation levels to tell (`desk`, `desk-manager`, ...): activities/escalation-contacts.ts resolves them. */
  notify: string[];
}

/** The notice of a threshold reached: the clock's deadline as planned now, or the threshold's own instant without one. */
export function thresholdNotice(ticket: TicketState, due: DueThreshold): ThresholdNotice {
  const { ticketNumber, title, customerId, priority, assignee, clocks } = ticket;
  const deadline = clocks.find((clock) => clock.metric === due.metric)?.deadline ?? due.at;
  return {
    ticketNumber,
    title,
    customerId,
    priority,
    assignee,
    metric: due.metric,
    percent: due.percent,
    deadline,
    key: due.key,
    notify: due.notify,
  };
}

export function thresholdNotified(due: DueThreshold, now: number): TicketChange {
  return {
    type: 'sla-threshold',
    at: now,
    key: due.key,
    metric: due.metric,
    percent: due.percent,
    notified: due.notify,
  };
}

/**
 * Everything the clocks bring about at `now`, at that one instant: the notices of the thresholds reached and not yet
 * notified, and the changes to commit: the facts that record those notices, then what time alone changes
 * (dueChanges). The workflow commits the changes before it sends the notices, so that the last notice's activity
 * writes the committed ticket in the notice's own transaction instead of a read-model write of its own after it.
 */
export function dueStep(
  ticket: TicketState,
  now: number,
): { notices: ThresholdNotice[]; changes: TicketChange[]; replan?: Replan } {
  const reached = dueThresholds(ticket.clocks, now, ticket.thresholdGeneration, notifiedOf(ticket));
  const { changes, replan } = dueChanges(ticket, now);
  return {
    notices: reached.map((due) => thresholdNotice(ticket, due)),
    changes: [...reached.map((due) => thresholdNotified(due, now)), ...changes],
    ...(replan ? { replan } : {}),
  };
}

/** What the time alone changes, thresholds aside: deadlines passed, a release date reached, validation by silence. */
export function dueChanges(ticket: TicketState, now: number): { changes: TicketChange[]; replan?: Replan } {
  const changes: TicketChange[] = ticket.clocks
    .filter(
      (clock) => isRunning(clock) && clock.deadline !== null && clock.deadline <= now && clock.breachedAt === undefined,
    )
    .map((clock) => ({ type: 'sla-breached', at: now, metric: clock.metric }));
  if (ticket.status === 'scheduled' && ticket.releaseAt !== undefined && ticket.releaseAt <= now) {
    return {
      changes: [...changes, { type: 'release-due', at: now }],
      replan: {},
    };
  }
  if (ticket.status === 'validation' && ticket.autoValidateAt !== undefined && ticket.autoValidateAt <= now) {
    changes.push({ type: 'auto-validated', at: now });
  }
  return { changes };
}

/** When the ticket must look at its clocks and dates again; undefined while only people can move it. */
export function nextWakeUp(ticket: TicketState): number | undefined {
  const candidates = [
    nextThresholdAt(ticket.clocks, ticket.thresholdGeneration, notifiedOf(ticket)),
    ticket.status === 'validation' ? ticket.autoValidateAt : undefined,
    ticket.status === 'scheduled' ? ticket.releaseAt : undefined,
  ].filter((at): at is number => at !== undefined);
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}

/** Billed at its end: a closed ticket, one with time logged, or an emergency (its fee). */
export const isBillable = (ticket: TicketState): boolean =>
  ticket.status === 'closed' || ticket.timeEntries.length > 0 || ticket.channel === 'emergency';

/** Whether the ticket has ended: no action moves it any more; its workflow bills it where due, then finishes. */
export const hasEnded = (ticket: TicketState): boolean => isTerminal(ticket.status);

/** Ended, billable and not billed yet: the bill is due, and the ticket's last write waits for it so as to carry it. */
export const awaitingBill = (ticket: TicketState): boolean =>
  hasEnded(ticket) && isBillable(ticket) && ticket.billing === undefined;

/** The bill of an ended ticket (the billing activity's answer), recorded as a fact of its own. */
export function billed(billing: BillingSummary, now: number): TicketChange {
  return { type: 'billed', at: now, billing };
}

/**
 * The ended ticket with its bill at `at`, one committed change: the closing activity writes this state with the bill,
 * and the workflow adopts it from the same bill and instant.
 */
export const billedTicket = (ticket: TicketState, billing: BillingSummary, at: number): TicketState =>
  applyChanges(ticket, [billed(billing, at)]);
