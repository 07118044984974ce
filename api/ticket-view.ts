import type { ClockFacts, TicketState } from '../messages/ticket';
import { budgetOf, elapsedOf } from '../domain/calendar';
import { isRunning, nextDeadline, pausesUntil, thresholdKey, type SlaClock } from '../domain/sla/clock';
import type { Policy } from '../domain/policy';
import type { PolicySource } from '../policies/catalog';
import type { ClockView, TicketView } from './schemas/ticket';
import { en } from '../mail/wording/en';

const iso = (epochMs: number | undefined) => (epochMs === undefined ? undefined : new Date(epochMs).toISOString());

function clockState(clock: SlaClock): ClockView['state'] {
  if (clock.deadline === null) return 'no-target';
  if (clock.stoppedAt !== undefined) return 'stopped';
  return isRunning(clock) ? 'running' : 'paused';
}

/**
 * Elapsed and remaining business time are figures of the moment of reading: the workflow records the facts
 * (deadlines, pauses, stops), the edge measures them against `now` on the clock's own calendar, and tells the unit
 * they are counted in (every hour for an emergency's response, which the ticket page says rather than "business").
 */
function businessTime(
  ticket: ClockFacts,
  policy: Policy | undefined,
  clock: SlaClock,
  now: number,
): Pick<ClockView, 'elapsedMs' | 'remainingMs' | 'unit'> {
  if (!policy) return {};
  const target = policy.clockTargetFor(clock.metric, ticket);
  // A clock planned without a target (an emergency opened before its clock existed) has no figures to show.
  if (!target || clock.deadline === null) return {};
  const calendar = policy.calendarFor(ticket.kind);
  const until = Math.max(ticket.openedAt, clock.stoppedAt ?? now);
  const elapsedMs = elapsedOf(calendar, target.unit, ticket.openedAt, until, pausesUntil(clock, until));
  return { elapsedMs, remainingMs: budgetOf(calendar, ticket.openedAt, target) - elapsedMs, unit: target.unit };
}

function toClockView(ticket: TicketState, policy: Policy | undefined, clock: SlaClock, now: number): ClockView {
  const notified = new Set(ticket.notifiedThresholds);
  return {
    metric: clock.metric,
    state: clockState(clock),
    deadline: iso(clock.deadline ?? undefined) ?? null,
    met: clock.stoppedAt !== undefined && clock.deadline !== null ? clock.breachedAt === undefined : undefined,
    breachedAt: iso(clock.breachedAt),
    pausedSince: iso(clock.pausedSince),
    stoppedAt: iso(clock.stoppedAt),
    pauses: clock.pauses.map(([start, end]) => ({ start: iso(start)!, end: iso(end)! })),
    thresholds: clock.thresholds.map((threshold) => ({
      percent: threshold.percent,
      at: iso(threshold.at)!,
      notify: threshold.notify,
      notified: notified.has(thresholdKey(clock.metric, threshold.percent, ticket.thresholdGeneration)),
    })),
    ...businessTime(ticket, policy, clock, now),
  };
}

/**
 * The time left until the ticket's next deadline (domain/sla/clock.ts nextDeadline), as the ticket page shows it on
 * that deadline's clock: business time, or every hour for an emergency's response (the list's businessTimeLeftMs,
 * named before emergencies had a clock); undefined without a deadline ahead or without the policy to measure it with.
 */
export function timeLeftToNextDeadline(
  ticket: ClockFacts,
  policy: Policy | undefined,
  now: number,
): number | undefined {
  const next = nextDeadline(ticket.clocks);
  const clock = ticket.clocks.find((candidate) => isRunning(candidate) && candidate.deadline === next);
  return clock && businessTime(ticket, policy, clock, now).remainingMs;
}

/**
 * A ticket's pinned policy version, for the figures of the moment; none before it is pinned, nor while the store
 * cannot say (the view then goes without elapsed and remaining time rather than failing). Each version is looked up
 * once per lookup made: a page of tickets under one policy asks the store once.
 */
export function pinnedPolicies(policies: PolicySource): (ticket: ClockFacts) => Promise<Policy | undefined> {
  const found = new Map<string, Promise<Policy | undefined>>();
  return (ticket) => {
    if (ticket.policyVersion === undefined) return Promise.resolve(undefined);
    const key = `${ticket.policyId}@${ticket.policyVersion}`;
    let policy = found.get(key);
    if (!policy) {
      policy = Promise.resolve()
        .then(() => policies.find(ticket.policyId, ticket.policyVersion))
        .catch(() => undefined);
      found.set(key, policy);
    }
    return policy;
  };
}

/** The workflow keeps epoch milliseconds; the API speaks ISO-8601. */
export async function toTicketView(ticket: TicketState, now: number, policies: PolicySource): Promise<TicketView> {
  const policy = await pinnedPolicies(policies)(ticket);
  return {
    ...ticket,
    asOf: iso(now)!,
    openedAt: iso(ticket.openedAt)!,
    acknowledgedAt: iso(ticket.acknowledgedAt),
    takenInChargeAt: iso(ticket.takenInChargeAt),
    interventionStartedAt: iso(ticket.interventionStartedAt),
    workaroundAt: iso(ticket.workaroundAt),
    resolutionProposedAt: iso(ticket.resolutionProposedAt),
    autoValidateAt: iso(ticket.autoValidateAt),
    validatedAt: iso(ticket.validatedAt),
    cancelledAt: iso(ticket.cancelledAt),
    releaseAt: iso(ticket.releaseAt),
    // The refusal's reason in English, as the refusal mail words it (the mail words it in the customer's language).
    refusalReason: ticket.refusal && en.refusal.reasons[ticket.refusal.reason](ticket.refusal.contact),
    quote: ticket.quote && {
      ...ticket.quote,
      submittedAt: iso(ticket.quote.submittedAt),
      decidedAt: iso(ticket.quote.decidedAt),
    },
    clocks: ticket.clocks.map((clock) => toClockView(ticket, policy, clock, now)),
    timeEntries: ticket.timeEntries.map((entry) => ({ ...entry, start: iso(entry.start)!, end: iso(entry.end)! })),
    events: ticket.events.map((event) => ({ ...event, at: iso(event.at)! })),
  };
}
