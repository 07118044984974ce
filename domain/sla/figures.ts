import { DAY_MS, businessTimeBetween, nextOpening, type BusinessCalendar } from '../calendar';
import { METRICS, type Metric } from '../policy/vocabulary';
import type { SlaClock } from './clock';

/**
 * What became of a metric on one ticket. `withdrawn`: the ticket ended (cancelled, refused, quote declined)
 * before the desk did what the metric measures, so it is neither met nor breached. `no-target`: the policy sets
 * no target for this metric and priority (best effort), so met and breached do not apply.
 */
export const SLA_OUTCOMES = ['met', 'breached', 'pending', 'withdrawn', 'no-target'] as const;
export type SlaOutcome = (typeof SLA_OUTCOMES)[number];

/** The facts of a ticket the report needs (a subset of the workflow's TicketState). */
export interface TicketFacts {
  openedAt: number;
  takenInChargeAt?: number;
  interventionStartedAt?: number;
  resolutionProposedAt?: number;
  workaroundAt?: number;
  validatedAt?: number;
  terms?: { workaroundStopsResolutionClock: boolean };
  clocks: readonly SlaClock[];
}

/** Per-ticket figures of the SLA report, computed where the calendar is known so that SQL only aggregates. */
export interface SlaFigures {
  outcomes: Record<Metric, SlaOutcome>;
  /** Business time from registration to the response clock's stop, its pauses left out; absent until taken in charge. */
  responseBusinessMs?: number;
  /** The end (local midnight) of the business day of registration: taken in charge before it is "the same day". */
  sameDayUntil: number;
}

// A clock also stops when the ticket ends; only these events mean the desk did what the metric measures.
const REACHED: Record<Metric, (ticket: TicketFacts) => boolean> = {
  response: (ticket) => ticket.takenInChargeAt !== undefined,
  // Proposing a resolution stops the intervention clock: the intervention happened.
  intervention: (ticket) => ticket.interventionStartedAt !== undefined || ticket.resolutionProposedAt !== undefined,
  resolution: (ticket) =>
    ticket.validatedAt !== undefined ||
    (ticket.workaroundAt !== undefined && ticket.terms?.workaroundStopsResolutionClock === true),
};

function outcomeOf(ticket: TicketFacts, metric: Metric): SlaOutcome {
  const clock = ticket.clocks.find((candidate) => candidate.metric === metric);
  if (!clock || clock.deadline === null) return 'no-target';
  if (clock.breachedAt !== undefined) return 'breached';
  if (clock.stoppedAt === undefined) return 'pending';
  return REACHED[metric](ticket) ? 'met' : 'withdrawn';
}

function responseBusinessMs(calendar: BusinessCalendar, ticket: TicketFacts): number | undefined {
  const clock = ticket.clocks.find((candidate) => candidate.metric === 'response');
  if (!REACHED.response(ticket) || clock?.stoppedAt === undefined) return undefined;
  return businessTimeBetween(calendar, ticket.openedAt, clock.stoppedAt, clock.pauses);
}

/** A ticket registered out of hours belongs to the business day of the next opening. */
export function endOfRegistrationBusinessDay(calendar: BusinessCalendar, openedAt: number): number {
  const day = calendar.zone.localDayOf(nextOpening(calendar, openedAt));
  return calendar.zone.instantOfWall((day + 1) * DAY_MS);
}

/** `calendar` is the one the ticket's clocks run on (the policy's calendar for the ticket's kind). */
export function slaFiguresOf(calendar: BusinessCalendar, ticket: TicketFacts): SlaFigures {
  return {
    outcomes: Object.fromEntries(METRICS.map((metric) => [metric, outcomeOf(ticket, metric)])) as Record<
      Metric,
      SlaOutcome
    >,
    responseBusinessMs: responseBusinessMs(calendar, ticket),
    sameDayUntil: endOfRegistrationBusinessDay(calendar, ticket.openedAt),
  };
}
