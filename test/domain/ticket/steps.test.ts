import type { OpenTicketInput, TicketState } from '../../../messages/ticket';
import { applyChanges, openedTicket } from '../../../domain/ticket/evolve';
import {
  awaitingBill,
  billed,
  billedTicket,
  hasEnded,
  mergedReplan,
  openingNotice,
  registeredTicket,
  registration,
  replannedTicket,
  thresholdNotice,
  withPlan,
} from '../../../domain/ticket/steps';
import { findPolicy } from '../../../policies/registry';
import { HOUR, input, planAt, registered, T0, terms } from '../../support/ticket-lifecycle';

// The decisions the workflow shell (workflows/ticket.ts) takes between its activities and timers, as pure functions:
// how replans merge, what a plan changes, how a request is registered, when the bill is due, what a notice says.

/** A request opened at T0 and planned, not yet registered. */
const planned = (overrides: Partial<OpenTicketInput> = {}, plan = planAt(T0)): TicketState =>
  withPlan(openedTicket({ ...input, ...overrides }, T0), plan, {}, T0 + 50);

describe('registration', () => {
  it('acknowledges a request at the instant given', () => {
    const { change, refused } = registration(planned(), planAt(T0), T0 + 50);
    expect(refused).toBe(false);
    expect(change).toEqual({ type: 'acknowledged', at: T0 + 50 });
  });

  it('refuses an unauthorized contact out of hours, dated from the opening rather than from the plan', () => {
    const outOfHours = planAt(T0, { openAtRegistration: false, terms: { ...terms, outOfHoursContacts: 'authorized' } });
    const { change, refused } = registration(
      planned({ authorizedContacts: ['boss@acme.lu'] }, outOfHours),
      outOfHours,
      T0 + 50,
    );
    expect(refused).toBe(true);
    expect(change).toMatchObject({
      type: 'refused',
      at: T0,
      refusal: { reason: 'contact-not-authorized-out-of-hours', contact: 'ana@acme.lu' },
    });
  });
});

describe('the contacts a contract authorizes out of hours', () => {
  const outOfHours = planAt(T0, { openAtRegistration: false, terms: { ...terms, outOfHoursContacts: 'authorized' } });
  const refusedFor = (contact: string, authorized: string[]) =>
    registration(
      planned({ contact: { name: 'Ana Lopes', email: contact }, authorizedContacts: authorized }, outOfHours),
      outOfHours,
      T0 + 50,
    ).refused;

  it.each([
    ['Ana@ACME.lu', ['ana@acme.lu']],
    ['ana@acme.lu', ['ANA@Acme.LU']],
    ['ana@acme.lu', ['boss@acme.lu', 'Ana@acme.lu']],
  ])('registers %s, whom the contract names as %j, whatever the capitals', (contact, authorized) => {
    expect(refusedFor(contact, authorized)).toBe(false);
  });

  it.each([
    ['ana@acme.lu', ['ana@acme.lux']],
    ['ana@acme.lu', ['anna@acme.lu']],
    ['ana@acme.lu', []],
  ])('refuses %s, whom %j does not name', (contact, authorized) => {
    expect(refusedFor(contact, authorized)).toBe(true);
  });
});

describe('registeredTicket: the state the registration activity writes and the workflow adopts', () => {
  it('is the request planned, then acknowledged at the instant given, as one committed change', () => {
    const opened = openedTicket(input, T0);
    const { ticket, refused } = registeredTicket(opened, planAt(T0), T0 + 50);
    expect(refused).toBe(false);
    expect(ticket).toEqual(applyChanges(planned(), [registration(planned(), planAt(T0), T0 + 50).change]));
    expect(ticket).toMatchObject({ status: 'acknowledgement', revision: opened.revision + 1 });
  });

  it('is the request refused where registration refuses it', () => {
    const outOfHours = planAt(T0, { openAtRegistration: false, terms: { ...terms, outOfHoursContacts: 'authorized' } });
    const { ticket, refused } = registeredTicket(
      openedTicket({ ...input, authorizedContacts: ['boss@acme.lu'] }, T0),
      outOfHours,
      T0 + 50,
    );
    expect(refused).toBe(true);
    expect(ticket.status).toBe('refused');
  });
});

describe('replans', () => {
  it('merge: the latest proposal wins, a rearm asked by either is kept', () => {
    expect(mergedReplan(undefined, {})).toEqual({ autoValidationFrom: undefined, rearm: false });
    expect(mergedReplan({ autoValidationFrom: 1, rearm: true }, { autoValidationFrom: 2 })).toEqual({
      autoValidationFrom: 2,
      rearm: true,
    });
    expect(mergedReplan({ autoValidationFrom: 1 }, {})).toEqual({ autoValidationFrom: 1, rearm: false });
    expect(mergedReplan({}, { rearm: true })).toEqual({ autoValidationFrom: undefined, rearm: true });
  });

  it('a plan is a committed change of its own: one revision more, the auto-validation instant of the proposal it answers', () => {
    const proposed = applyChanges(registered(), [
      { type: 'resolution-proposed', at: T0 + HOUR, by: 'marc', resolution: 'done' },
    ]);
    const replanned = replannedTicket(
      proposed,
      planAt(T0, { autoValidateAt: T0 + 48 * HOUR }),
      { autoValidationFrom: T0 + HOUR },
      T0 + HOUR,
    );
    expect(replanned).toMatchObject({
      revision: proposed.revision + 1,
      autoValidateAt: T0 + 48 * HOUR,
      status: 'validation',
    });
    // An answer to an older proposal (rejected since) sets nothing, and is still a revision of its own.
    const stale = replannedTicket(proposed, planAt(T0, { autoValidateAt: 1 }), { autoValidationFrom: T0 }, T0 + HOUR);
    expect(stale.autoValidateAt).toBeUndefined();
    expect(stale.revision).toBe(proposed.revision + 1);
  });

  it('a rearm lifts the breaches the new deadlines no longer justify; a plain replan keeps them', () => {
    const breached = applyChanges(registered(), [{ type: 'sla-breached', at: T0 + 3 * HOUR, metric: 'response' }]);
    expect(breached.slaBreached).toBe(true);
    const later = planAt(T0, {
      clocks: planAt(T0).clocks.map((clock) => ({ ...clock, deadline: clock.deadline + 10 * HOUR })),
    });
    expect(replannedTicket(breached, later, { rearm: true }, T0 + 3 * HOUR)).toMatchObject({ slaBreached: false });
    expect(replannedTicket(breached, later, {}, T0 + 3 * HOUR)).toMatchObject({ slaBreached: true });
  });
});

describe('billing at the end', () => {
  const closed = applyChanges(registered(), [{ type: 'validated', at: T0 + HOUR, by: 'ana@acme.lu' }]);
  const cancelled = applyChanges(registered(), [{ type: 'cancelled', at: T0 + HOUR, by: 'marc', reason: 'duplicate' }]);

  it('ends with validation, cancellation or refusal, not before', () => {
    expect(hasEnded(registered())).toBe(false);
    expect(hasEnded(closed)).toBe(true);
    expect(hasEnded(cancelled)).toBe(true);
    expect(hasEnded({ ...registered(), status: 'refused' })).toBe(true);
  });

  it('is due once ended and billable: closed, or with time logged, or an emergency; not for a bare cancellation', () => {
    expect(awaitingBill(registered())).toBe(false);
    expect(awaitingBill(closed)).toBe(true);
    expect(awaitingBill(cancelled)).toBe(false);
    const worked = applyChanges(registered(), [
      { type: 'time-logged', at: T0, by: 'marc', entry: { agent: 'marc', start: T0, end: T0 + HOUR, onSite: false } },
    ]);
    expect(awaitingBill(worked)).toBe(false);
    expect(awaitingBill(applyChanges(worked, [{ type: 'cancelled', at: T0 + HOUR, by: 'marc', reason: 'gone' }]))).toBe(
      true,
    );
    expect(awaitingBill({ ...cancelled, channel: 'emergency' })).toBe(true);
  });

  it('the bill is a committed change: the billed fact logged, the status kept, no bill awaited after it', () => {
    const billing = { lines: [], totalCents: 1_200 };
    const withBill = applyChanges(closed, [billed(billing, T0 + 2 * HOUR)]);
    expect(withBill).toMatchObject({ status: 'closed', revision: closed.revision + 1, billing });
    expect(withBill.events.at(-1)).toEqual({ type: 'billed', at: T0 + 2 * HOUR });
    expect(awaitingBill(withBill)).toBe(false);
  });

  it('billedTicket, the state the closing activity writes and the workflow adopts, is that same change', () => {
    const billing = { lines: [], totalCents: 1_200 };
    expect(billedTicket(closed, billing, T0 + 2 * HOUR)).toEqual(
      applyChanges(closed, [billed(billing, T0 + 2 * HOUR)]),
    );
  });
});

describe('threshold notices', () => {
  const due = {
    metric: 'response' as const,
    percent: 50,
    at: T0 + HOUR,
    notify: ['desk', 'desk-manager'],
    key: 'response:50:g1',
  };

  it("tell the ticket, the threshold and the clock's deadline as planned now", () => {
    expect(thresholdNotice({ ...registered(), assignee: 'marc' }, due)).toEqual({
      ticketNumber: 'VIG-000001',
      title: 'Printer down',
      customerId: 'acme',
      priority: 'P2',
      assignee: 'marc',
      metric: 'response',
      percent: 50,
      deadline: T0 + 2 * HOUR,
      key: 'response:50:g1',
      notify: ['desk', 'desk-manager'],
    });
  });

  it("tell the threshold's own instant for a clock planned without a deadline", () => {
    const ticket = registered();
    const noTarget = { ...ticket, clocks: ticket.clocks.map((clock) => ({ ...clock, deadline: null })) };
    expect(thresholdNotice(noTarget, due).deadline).toBe(T0 + HOUR);
  });
});

describe('the notice at opening of an emergency', () => {
  const AT_OPENING = ['desk', 'emergency-escalation'];
  /** Opened at T0 through `channel`, planned and registered 50 ms later, as the registration activity writes it. */
  const registeredThrough = (channel: 'standard' | 'emergency', plan = planAt(T0, { atOpening: AT_OPENING })) =>
    registeredTicket(openedTicket({ ...input, channel }, T0), plan, T0 + 50).ticket;

  it('tells the levels named at opening of the emergency just registered, whose it is and by when it must be taken in charge', () => {
    expect(openingNotice(registeredThrough('emergency'))).toEqual({
      ticketNumber: 'VIG-000001',
      title: 'Printer down',
      customerId: 'acme',
      priority: 'P1',
      openedAt: T0 + 50,
      deadline: T0 + 2 * HOUR,
      notify: ['desk', 'emergency-escalation'],
    });
  });

  it('is recorded on the acknowledgement: the ticket shows who was told at its registration', () => {
    const acknowledged = registeredThrough('emergency').events.find((event) => event.type === 'acknowledged');
    expect(acknowledged).toEqual({ at: T0 + 50, type: 'acknowledged', notified: AT_OPENING });
    const standard = registeredThrough('standard').events.find((event) => event.type === 'acknowledged');
    expect(standard).toEqual({ at: T0 + 50, type: 'acknowledged' });
  });

  it('tells nobody of a ticket of the standard channel, of a request refused, or where the policy names nobody at opening', () => {
    expect(openingNotice(registeredThrough('standard'))).toBeUndefined();
    expect(openingNotice(registeredThrough('emergency', planAt(T0)))).toBeUndefined();
    const outOfHours = planAt(T0, {
      atOpening: AT_OPENING,
      openAtRegistration: false,
      terms: { ...terms, outOfHoursContacts: 'authorized' },
    });
    const refused = registeredThrough('emergency', outOfHours);
    expect(refused.status).toBe('refused');
    expect(openingNotice(refused)).toBeUndefined();
  });

  it("is e-connect's: the desk and the emergency-escalation contacts", () => {
    const atOpening = [...findPolicy('econnect', 1).emergencyResponse()!.atOpening];
    expect(openingNotice(registeredThrough('emergency', planAt(T0, { atOpening })))?.notify).toEqual(AT_OPENING);
  });

  it('reads "at once" literally for a response clock planned without a deadline: due when registered', () => {
    const ticket = registeredThrough('emergency');
    const noTarget = { ...ticket, clocks: ticket.clocks.map((clock) => ({ ...clock, deadline: null })) };
    expect(openingNotice(noTarget)?.deadline).toBe(T0 + 50);
  });
});
