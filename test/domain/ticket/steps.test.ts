import type { OpenTicketInput, TicketState } from '../../../messages/ticket';
import type { PolicyTerms } from '../../../domain/policy/terms';
import { applyChanges, openedTicket } from '../../../domain/ticket/evolve';
import {
  awaitingBill, billedTicket, mergedReplan, registeredTicket, replannedTicket, thresholdNotice, type PlanAnswer,
} from '../../../domain/ticket/steps';

// The steps the workflow shell (workflows/ticket.ts) takes between activities, as pure functions: the activities that
// write a step compute the same state with them (activities/ticket-activities.ts), so both must agree on every field.

const HOUR = 3_600_000;
const T0 = Date.parse('2027-06-03T09:00:00+02:00');

const input: OpenTicketInput = {
  ticketNumber: 'VIG-000001',
  customerId: 'acme',
  policyId: 'econnect',
  kind: 'incident',
  priority: 'P2',
  title: 'Printer down',
  description: 'Blank pages',
  contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
  openedBy: 'acme portal key',
};

const terms: PolicyTerms = { outOfHoursContacts: 'any', workaroundStopsResolutionClock: true, quoteRequiredAboveMinutes: 480, maxPeoplePerTicket: { people: 2 } };

function planAt(openedAt: number, overrides: Partial<PlanAnswer> = {}): PlanAnswer {
  const clock = (metric: 'response' | 'intervention' | 'resolution', hours: number) => ({
    metric,
    deadline: openedAt + hours * HOUR,
    thresholds: [50, 100].map((percent) => ({ percent, at: openedAt + (hours * HOUR * percent) / 100, notify: ['desk'] })),
  });
  return { policyVersion: 3, terms, openAtRegistration: true, rateCard: null, clocks: [clock('response', 2), clock('intervention', 4), clock('resolution', 8)], ...overrides };
}

const registered = (overrides: Partial<OpenTicketInput> = {}): TicketState => registeredTicket(openedTicket({ ...input, ...overrides }, T0), planAt(T0), T0 + 50);

describe('the opening is recorded as who opened it', () => {
  it('is the authenticated principal, not the contact the body names; the contact stays the contact', () => {
    const opened = openedTicket(input, T0);
    expect(opened.events).toEqual([{ at: T0, type: 'opened', by: 'acme portal key' }]);
    expect(opened.contact).toEqual({ name: 'Ana Lopes', email: 'ana@acme.lu' });
  });

  it('names nobody when nobody was authenticated (a test, a tool), rather than the contact', () => {
    const { openedBy: _nobody, ...anonymous } = input;
    expect(openedTicket(anonymous, T0).events).toEqual([{ at: T0, type: 'opened' }]);
  });
});

describe('registration: planned, then acknowledged or refused, as one committed change', () => {
  it('acknowledges at the instant given, with the plan applied, one revision after the opening', () => {
    const ticket = registered();
    expect(ticket).toMatchObject({ status: 'acknowledgement', revision: 2, acknowledgedAt: T0 + 50, policyVersion: 3, terms, rateCard: null });
    expect(ticket.clocks.map((clock) => clock.deadline)).toEqual([T0 + 2 * HOUR, T0 + 4 * HOUR, T0 + 8 * HOUR]);
    expect(ticket.events.map((event) => event.type)).toEqual(['opened', 'acknowledged']);
  });

  it('refuses an unauthorized contact out of hours, at the opening instant, every clock stopped', () => {
    const outOfHours = planAt(T0, { openAtRegistration: false, terms: { ...terms, outOfHoursContacts: 'authorized' } });
    const ticket = registeredTicket(openedTicket({ ...input, authorizedContacts: ['boss@acme.lu'] }, T0), outOfHours, T0 + 50);
    expect(ticket).toMatchObject({ status: 'refused', revision: 2 });
    expect(ticket.events.at(-1)).toMatchObject({ type: 'refused', at: T0 });
    expect(ticket.clocks.every((clock) => clock.stoppedAt === T0)).toBe(true);
  });
});

describe('replans', () => {
  it('merge: the latest proposal wins, a rearm asked by either is kept', () => {
    expect(mergedReplan(undefined, {})).toEqual({ autoValidationFrom: undefined, rearm: false });
    expect(mergedReplan({ autoValidationFrom: 1, rearm: true }, { autoValidationFrom: 2 })).toEqual({ autoValidationFrom: 2, rearm: true });
    expect(mergedReplan({ autoValidationFrom: 1 }, {})).toEqual({ autoValidationFrom: 1, rearm: false });
  });

  it('a plan is a committed change of its own: one revision more, the auto-validation instant of the proposal it answers', () => {
    const proposed = applyChanges(registered(), [{ type: 'resolution-proposed', at: T0 + HOUR, by: 'marc', resolution: 'done' }]);
    const planned = replannedTicket(proposed, planAt(T0, { autoValidateAt: T0 + 48 * HOUR }), { autoValidationFrom: T0 + HOUR }, T0 + HOUR);
    expect(planned).toMatchObject({ revision: proposed.revision + 1, autoValidateAt: T0 + 48 * HOUR, status: 'validation' });
    // An answer to an older proposal (rejected since) sets nothing.
    expect(replannedTicket(proposed, planAt(T0, { autoValidateAt: 1 }), { autoValidationFrom: T0 }, T0 + HOUR).autoValidateAt).toBeUndefined();
  });

  it('a rearm lifts the breaches the new deadlines no longer justify', () => {
    const breached = applyChanges(registered(), [{ type: 'sla-breached', at: T0 + 3 * HOUR, metric: 'response' }]);
    expect(breached.slaBreached).toBe(true);
    const later = planAt(T0, { clocks: planAt(T0).clocks.map((clock) => ({ ...clock, deadline: clock.deadline + 10 * HOUR })) });
    expect(replannedTicket(breached, later, { rearm: true }, T0 + 3 * HOUR)).toMatchObject({ slaBreached: false });
    expect(replannedTicket(breached, later, {}, T0 + 3 * HOUR)).toMatchObject({ slaBreached: true });
  });
});

describe('billing at the end', () => {
  const closed = applyChanges(registered(), [{ type: 'validated', at: T0 + HOUR, by: 'ana@acme.lu' }]);
  const cancelled = applyChanges(registered(), [{ type: 'cancelled', at: T0 + HOUR, by: 'marc', reason: 'duplicate' }]);

  it('waits for a bill when ended and billable: closed, or with time logged, or an emergency', () => {
    expect(awaitingBill(registered())).toBe(false);
    expect(awaitingBill(closed)).toBe(true);
    expect(awaitingBill(cancelled)).toBe(false);
    const worked = applyChanges(registered(), [{ type: 'time-logged', at: T0, by: 'marc', entry: { agent: 'marc', start: T0, end: T0 + HOUR, onSite: false } }]);
    expect(awaitingBill(applyChanges(worked, [{ type: 'cancelled', at: T0 + HOUR, by: 'marc', reason: 'gone' }]))).toBe(true);
    expect(awaitingBill({ ...cancelled, channel: 'emergency' })).toBe(true);
  });

  it('the bill is a committed change: the billed fact logged, the status kept, no bill awaited after it', () => {
    const billing = { lines: [], totalCents: 1_200 };
    const billed = billedTicket(closed, billing, T0 + 2 * HOUR);
    expect(billed).toMatchObject({ status: 'closed', revision: closed.revision + 1, billing });
    expect(billed.events.at(-1)).toEqual({ type: 'billed', at: T0 + 2 * HOUR });
    expect(awaitingBill(billed)).toBe(false);
  });
});

describe('threshold notices', () => {
  it('tell the clock’s planned deadline, or the threshold’s own instant for a clock without one', () => {
    const ticket = { ...registered(), assignee: 'marc' };
    const due = { metric: 'response' as const, percent: 50, at: T0 + HOUR, notify: ['desk'], key: 'response:50:g1' };
    expect(thresholdNotice(ticket, due)).toEqual({
      ticketNumber: 'VIG-000001', title: 'Printer down', customerId: 'acme', priority: 'P2', assignee: 'marc',
      metric: 'response', percent: 50, deadline: T0 + 2 * HOUR, key: 'response:50:g1', notify: ['desk'],
    });
    const noTarget = { ...ticket, clocks: ticket.clocks.map((clock) => ({ ...clock, deadline: null })) };
    expect(thresholdNotice(noTarget, due).deadline).toBe(T0 + HOUR);
  });
});
