import type { OpenTicketInput, TicketEvent, TicketState } from '../../messages/ticket';
import type { CommandOf, TicketCommand } from '../../messages/ticket-actions';
import type { PolicyTerms } from '../../domain/policy/terms';
import { dueThresholds, type DueThreshold } from '../../domain/sla/clock';
import { decide } from '../../domain/ticket/decide';
import { applyChanges, openedTicket } from '../../domain/ticket/evolve';
import { acknowledgement, withPlan, type PlanAnswer } from '../../domain/ticket/steps';

// A ticket as the pure tests of domain/ticket/ build it: no Temporal, no server, no clock but the one handed in.

export const HOUR = 3_600_000;
export const T0 = Date.parse('2027-06-03T09:00:00+02:00');

export const input: OpenTicketInput = {
  ticketNumber: 'VIG-000001',
  customerId: 'acme',
  policyId: 'econnect',
  kind: 'incident',
  priority: 'P2',
  title: 'Printer down',
  description: 'Blank pages',
  contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
};

export const terms: PolicyTerms = {
  outOfHoursContacts: 'any',
  workaroundStopsResolutionClock: true,
  autoValidates: true,
  quoteRequiredAboveMinutes: 480,
  maxPeoplePerTicket: { people: 2 },
};

/** A plan as the planner answers it: each clock due a few hours after registration, warned at 50% and 75%. */
export function planAt(openedAt: number, overrides: Partial<PlanAnswer> = {}): PlanAnswer {
  const clock = (metric: 'response' | 'intervention' | 'resolution', hours: number) => ({
    metric,
    deadline: openedAt + hours * HOUR,
    thresholds: [50, 75].map((percent) => ({
      percent,
      at: openedAt + (hours * HOUR * percent) / 100,
      notify: ['desk'],
    })),
  });
  return {
    policyVersion: 1,
    terms,
    openAtRegistration: true,
    rateCard: { pricesBy: 'flat', names: [], excluded: [] },
    clocks: [clock('response', 2), clock('intervention', 4), clock('resolution', 8)],
    ...overrides,
  };
}

/** What an agent submits with submit-quote, and the event the domain records for it, but for its time. */
export interface QuoteSubmission {
  command: CommandOf<'submit-quote'>;
  event: Omit<TicketEvent, 'at'>;
}

/**
 * An estimate under `terms`' quote limit, recorded with no quote needed, and one over it, submitted as a quote: the
 * figures the ticket page words (api/web/ticket-history.ts). test/domain/ticket/lifecycle.test.ts checks that
 * domain/ticket/decide.ts records exactly these events for these commands, so that the web tests word what the domain
 * writes.
 */
export const estimateSubmission: QuoteSubmission = {
  command: { actor: 'marc', estimateMinutes: 120, note: 'one printer' },
  event: {
    type: 'estimate-recorded',
    by: 'marc',
    note: '120 min estimated: no quote needed; one printer',
    estimateMinutes: 120,
    remark: 'one printer',
  },
};
export const quoteSubmission: QuoteSubmission = {
  command: { actor: 'marc', estimateMinutes: 800, amountCents: 123_450 },
  event: {
    type: 'quote-submitted',
    by: 'marc',
    note: '800 min, 123450 cents (long-intervention)',
    estimateMinutes: 800,
    amountCents: 123_450,
    quoteReason: 'long-intervention',
  },
};

/** A ticket registered and acknowledged at `at`, as the workflow leaves it. */
export function registered(overrides: Partial<OpenTicketInput> = {}, at = T0): TicketState {
  const opened = withPlan(openedTicket({ ...input, ...overrides }, at), planAt(at), {}, at);
  return applyChanges(opened, [acknowledgement(at)]);
}

/** Applies a decision the way the workflow commits it; fails the test on a refusal, naming the action refused. */
export function accepted(ticket: TicketState, command: TicketCommand, now: number): TicketState {
  const decision = decide(ticket, command, now);
  if (!decision.accepted) throw new Error(`${command.action} refused: ${decision.refusal.message}`);
  return applyChanges(ticket, decision.changes);
}

/**
 * The first threshold reached at `now` and not yet notified: the naive reference that notifies one threshold at a time,
 * against which test/domain/ticket/lifecycle.test.ts checks domain/ticket/steps.ts's dueStep (which gives them all at
 * once, with the facts that record them).
 */
export function dueThreshold(ticket: TicketState, now: number): DueThreshold | undefined {
  return dueThresholds(ticket.clocks, now, ticket.thresholdGeneration, new Set(ticket.notifiedThresholds))[0];
}
