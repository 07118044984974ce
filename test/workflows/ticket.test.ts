import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Policy, PolicyRegistry } from '../../domain/policy';
import { SlaBreachedKey, StatusKey } from '../../messages/search-attributes';
import { getTicketQuery, TICKET_UPDATES } from '../../messages/ticket';
import esker from '../../policies/presets/esker.v1.json';
import { presetRegistry } from '../../policies/registry';
import { clockOf, TicketHarness } from '../support/ticket-harness';

jest.setTimeout(180_000);

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('ticket workflow on the time-skipping server, over the presets’ real calendars', () => {
  let harness: TicketHarness;

  afterEach(async () => {
    await harness?.stop();
  });

  it('a P1 opened late on the Friday before Whit Monday counts from the Tuesday (Mixvoip Bureau, LU)', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-05-14T17:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000101', policyId: 'mixvoip-bureau', priority: 'P1' });

    // MRT 8 h, DMI 12 h on Mon-Fri 07:30-18:00: one hour on Friday, Monday 17 May closed (Whit Monday), then Tuesday.
    const ticket = await harness.settle(handle);
    expect(ticket).toMatchObject({ status: 'acknowledgement', policyVersion: 1 });
    await harness.expectInstant(clockOf(ticket, 'response').deadline, '2027-05-18T14:30:00+02:00');
    await harness.expectInstant(clockOf(ticket, 'intervention').deadline, '2027-05-19T08:00:00+02:00');
    expect(clockOf(ticket, 'resolution').deadline).toBeNull();
    expect(harness.recorded.acknowledged).toHaveLength(1);

    await harness.advanceTo(handle, '2027-05-18T08:00:00+02:00');
    const taken = await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.expectInstant(clockOf(taken, 'response').stoppedAt, '2027-05-18T08:00:00+02:00');
    expect(clockOf(taken, 'response').breachedAt).toBeUndefined();
    const intervening = await handle.executeUpdate(TICKET_UPDATES['start-intervention'], { args: [{ actor: 'marc' }] });
    await harness.expectInstant(clockOf(intervening, 'intervention').stoppedAt, '2027-05-18T08:00:00+02:00');
    expect(intervening.slaBreached).toBe(false);
    await harness.keepHistory(handle, 'friday-before-holiday');
  });

  it('a pause across a weekend moves the deadline by the paused business time only (Esker P1, Paris)', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-04T16:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000102', policyId: 'esker', priority: 'P1' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    // 4 business hours on Mon-Fri 09:00-18:00: Friday 16:00-18:00, then Monday 09:00-11:00.
    const planned = clockOf(await harness.settle(handle), 'resolution').deadline!;
    await harness.expectInstant(planned, '2027-06-07T11:00:00+02:00');

    await harness.advanceTo(handle, '2027-06-04T17:00:00+02:00');
    const waiting = await handle.executeUpdate(TICKET_UPDATES['wait-for-customer'], {
      args: [{ actor: 'marc', question: 'Which ERP company file?' }],
    });
    expect(waiting.status).toBe('waiting');
    await harness.settle(handle);

    await harness.advanceTo(handle, '2027-06-07T10:00:00+02:00');
    const resumed = await handle.executeUpdate(TICKET_UPDATES['customer-replied'], {
      args: [{ actor: 'ana@acme.lu', message: 'The Luxembourg one' }],
    });
    // Paused 65 wall hours but only 2 business hours (Friday 17-18, Monday 09-10): the deadline moves by 2 hours.
    expect(resumed.status).toBe('support');
    const resolution = clockOf(resumed, 'resolution');
    expect(resolution.pauses).toHaveLength(1);
    const [pausedAt, resumedAt] = resolution.pauses[0]!;
    await harness.expectInstant(pausedAt, '2027-06-04T17:00:00+02:00');
    await harness.expectInstant(resumedAt, '2027-06-07T10:00:00+02:00');
    // Moved by the business time paused, to the millisecond: Friday from the pause to 18:00, Monday from 09:00 to the
    // reply. Each instant carries the server's run-on, so the move may fall either side of two hours, never the rule.
    const pausedBusinessMs =
      Date.parse('2027-06-04T18:00:00+02:00') - pausedAt + (resumedAt - Date.parse('2027-06-07T09:00:00+02:00'));
    expect(resolution.deadline).toBe(planned + pausedBusinessMs);
    expect(harness.recorded.notices).toEqual([]);
    await harness.keepHistory(handle, 'pause-across-weekend');
  });

  it('warns at 50% and 75%, then escalates the breach, each exactly once across a worker restart', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-03T10:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000103', policyId: 'esker', priority: 'P1' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.settle(handle);

    await harness.advanceTo(handle, '2027-06-03T13:30:00+02:00');
    await harness.settle(handle);
    expect(harness.recorded.notices.map(({ key, notify, assignee }) => ({ key, notify, assignee }))).toEqual([
      { key: 'resolution:50:g1', notify: ['desk'], assignee: 'marc' },
      { key: 'resolution:75:g1', notify: ['desk'], assignee: 'marc' },
    ]);
    expect((await handle.query(getTicketQuery)).slaBreached).toBe(false);

    await harness.restartWorker();
    await harness.advanceTo(handle, '2027-06-03T15:00:00+02:00');
    const breached = await harness.settle(handle);
    expect(harness.recorded.notices.map(({ key, notify }) => `${key} ${notify.join(',')}`)).toEqual([
      'resolution:50:g1 desk',
      'resolution:75:g1 desk',
      'resolution:100:g1 desk-manager',
    ]);
    expect(breached.slaBreached).toBe(true);
    await harness.expectInstant(clockOf(breached, 'resolution').breachedAt, '2027-06-03T14:00:00+02:00');
    expect(breached.events.filter((event) => event.type === 'sla-breached')).toHaveLength(1);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SlaBreachedKey)).toBe(true);
    expect(description.typedSearchAttributes.get(StatusKey)).toBe('support');

    await harness.advanceTo(handle, '2027-06-10T15:00:00+02:00');
    await harness.settle(handle);
    expect(harness.recorded.notices).toHaveLength(3);
    await harness.keepHistory(handle, 'warning-then-breach');
  });

  it('a priority change recomputes every deadline from registration and re-arms the thresholds', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-07T10:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000104', policyId: 'esker', priority: 'P3' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    // P3: 3 business days, same time of day: Thursday 10 June 10:00.
    await harness.expectInstant(
      clockOf(await harness.settle(handle), 'resolution').deadline,
      '2027-06-10T10:00:00+02:00',
    );

    await harness.advanceTo(handle, '2027-06-07T13:01:00+02:00');
    const raised = await handle.executeUpdate(TICKET_UPDATES['set-priority'], {
      args: [{ priority: 'P1', actor: 'desk-lead', reason: 'production stopped' }],
    });
    // P1 from registration: 4 business hours after Monday 10:00, so 14:00; 50% (12:00) and 75% (13:00) are already past.
    expect(raised).toMatchObject({ priority: 'P1', priorityConfirmed: true, thresholdGeneration: 2 });
    await harness.expectInstant(clockOf(raised, 'resolution').deadline, '2027-06-07T14:00:00+02:00');
    // The thresholds already past are committed as the new plan is applied, before their notices go: the answer may
    // carry them after the change.
    expect(raised.events.filter((event) => event.type !== 'sla-threshold').at(-1)).toMatchObject({
      type: 'priority-set',
      by: 'desk-lead',
      note: 'P3 → P1, deadlines recomputed from registration: production stopped',
    });

    await harness.settle(handle);
    expect(harness.recorded.notices.map((notice) => notice.key)).toEqual(['resolution:50:g2', 'resolution:75:g2']);
    await harness.advanceTo(handle, '2027-06-07T14:30:00+02:00');
    const late = await harness.settle(handle);
    expect(harness.recorded.notices.map((notice) => notice.key)).toEqual([
      'resolution:50:g2',
      'resolution:75:g2',
      'resolution:100:g2',
    ]);
    expect(late.slaBreached).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(SlaBreachedKey)).toBe(true);
    await harness.keepHistory(handle, 'priority-change');
  });

  it('a rejection reopens support and the resolution clock resumes where it stood', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-03T09:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000105', policyId: 'esker', priority: 'P1' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.settle(handle);

    await harness.advanceTo(handle, '2027-06-03T10:00:00+02:00');
    // Esker prices time by service: minutes without one are refused, an entry naming it is taken.
    const unpriced = await refusal(
      handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
        args: [{ actor: 'marc', resolution: 'Restarted the export job', minutesWorked: 45 }],
      }),
    );
    expect(unpriced).toMatchObject({
      type: 'RATE_UNKNOWN',
      message: 'service: missing: this contract prices time by service (expected one of support)',
    });
    const now = await harness.env.currentTimeMs();
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [{ actor: 'marc', service: 'support', start: now - 45 * 60_000, end: now, onSite: false }],
    });
    const proposed = await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'marc', resolution: 'Restarted the export job' }],
    });
    expect(proposed.status).toBe('validation');
    await harness.expectInstant(clockOf(proposed, 'resolution').pausedSince, '2027-06-03T10:00:00+02:00');
    await harness.settle(handle);

    await harness.advanceTo(handle, '2027-06-03T11:00:00+02:00');
    const rejected = await handle.executeUpdate(TICKET_UPDATES.reject, {
      args: [{ actor: 'ana@acme.lu', reason: 'Still no export this morning' }],
    });
    expect(rejected.status).toBe('support');
    // One hour in validation is not the desk's time: the 13:00 deadline moves to 14:00.
    const reopened = clockOf(rejected, 'resolution');
    expect(reopened.pauses).toHaveLength(1);
    const [pausedAt, resumedAt] = reopened.pauses[0]!;
    await harness.expectInstant(pausedAt, '2027-06-03T10:00:00+02:00');
    await harness.expectInstant(resumedAt, '2027-06-03T11:00:00+02:00');
    // The deadline is the 4 business hours from registration plus the pause, to the millisecond: each instant above
    // carries the server's own run-on, so their difference may fall either side of one hour, never the rule.
    expect(reopened.deadline).toBe(rejected.openedAt + 4 * 3_600_000 + (resumedAt - pausedAt));
    await harness.expectInstant(rejected.openedAt, '2027-06-03T09:00:00+02:00');
    expect(rejected.events.at(-1)).toMatchObject({
      type: 'rejected',
      by: 'ana@acme.lu',
      note: 'Still no export this morning',
    });
    await harness.settle(handle);

    await harness.advanceTo(handle, '2027-06-03T11:30:00+02:00');
    const later = await harness.env.currentTimeMs();
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [{ actor: 'marc', service: 'support', start: later - 20 * 60_000, end: later, onSite: false }],
    });
    await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'marc', resolution: 'Fixed the export credentials' }],
    });
    await harness.settle(handle);
    await harness.advanceTo(handle, '2027-06-03T16:00:00+02:00');
    const closed = await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] });
    // Validated after the deadline, but the resolution was delivered at 11:30: the clock stopped there, met.
    await harness.expectInstant(clockOf(closed, 'resolution').stoppedAt, '2027-06-03T11:30:00+02:00');
    expect(clockOf(closed, 'resolution').breachedAt).toBeUndefined();
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', validatedBy: 'ana@acme.lu', slaBreached: false });
    expect(harness.recorded.billed).toHaveLength(1);
    expect(harness.recorded.billed[0]!.timeEntries.map((entry) => (entry.end - entry.start) / 60_000)).toEqual([
      45, 20,
    ]);
    await harness.keepHistory(handle, 'reject-and-reopen');
  });

  it('auto-validates after the policy delay when the customer does not answer', async () => {
    const autoClosing = Policy.parse(
      { ...esker, id: 'esker-auto-close', autoValidationAfter: { amount: 2, unit: 'businessDays' } },
      'esker with auto-validation',
    );
    harness = await TicketHarness.start(
      new PolicyRegistry([...presetRegistry.list().map(({ id }) => presetRegistry.find(id)), autoClosing]),
    );
    await harness.jumpTo('2027-06-03T09:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000106', policyId: 'esker-auto-close', priority: 'P2' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.advanceTo(handle, '2027-06-03T10:00:00+02:00');
    const proposed = await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'marc', resolution: 'Done' }],
    });
    // Two business days after Thursday 10:00: Friday, then Monday 7 June at 10:00.
    await harness.expectInstant(proposed.autoValidateAt, '2027-06-07T10:00:00+02:00');
    await harness.settle(handle);

    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', validatedBy: 'auto-validation' });
    await harness.expectInstant(final.validatedAt, '2027-06-07T10:00:00+02:00');
    expect(final.events.map((event) => event.type)).toContain('auto-validated');
    expect(harness.recorded.billed).toHaveLength(1);
    await harness.keepHistory(handle, 'auto-validation');
  });

  it('refuses an action the status does not allow, with a reason, and changes nothing', async () => {
    harness = await TicketHarness.start();
    const handle = await harness.open({ ticketNumber: 'VIG-000107', policyId: 'econnect', priority: 'P3' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    const before = await harness.settle(handle);

    const failure = await refusal(handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] }));
    expect(failure.type).toBe('INVALID_TRANSITION');
    expect(failure.message).toBe("cannot validate a ticket in status 'support': only a ticket in validation can");
    const twice = await refusal(
      handle
        .executeUpdate(TICKET_UPDATES['start-intervention'], { args: [{ actor: 'marc' }] })
        .then(() => handle.executeUpdate(TICKET_UPDATES['start-intervention'], { args: [{ actor: 'marc' }] })),
    );
    expect(twice).toMatchObject({ type: 'ALREADY_DONE', message: 'the intervention has already started' });
    const malformed = await refusal(
      handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
        args: [{ actor: 'marc', resolution: 'done', minutesWorked: -5 }],
      }),
    );
    expect(malformed).toMatchObject({
      type: 'INVALID_ARGUMENT',
      message: 'minutesWorked: expected a non-negative integer up to 1000000',
    });

    const after = await handle.query(getTicketQuery);
    expect(after.status).toBe('support');
    expect(after.revision).toBe(before.revision + 1);
    await handle.executeUpdate(TICKET_UPDATES.cancel, { args: [{ actor: 'marc', reason: 'duplicate of VIG-000100' }] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled', cancelReason: 'duplicate of VIG-000100' });
    expect(harness.recorded.billed).toHaveLength(0);
    await harness.keepHistory(handle, 'refusals-then-cancel');
  });

  it('an emergency is P1 at once, whatever was proposed, and is billed even without logged time', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-03T09:00:00+02:00');
    const handle = await harness.open({
      ticketNumber: 'VIG-000108',
      policyId: 'econnect',
      priority: 'P4',
      channel: 'emergency',
    });
    const ticket = await harness.settle(handle);
    expect(ticket).toMatchObject({
      status: 'acknowledgement',
      priority: 'P1',
      priorityConfirmed: true,
      channel: 'emergency',
    });
    // The ticket's channel says it is an emergency, and its acknowledgement whom e-connect's policy tells at once; the
    // pages word both in their reader's language (api/web/ticket-history.ts).
    expect(ticket.events.find((event) => event.type === 'acknowledged')).toEqual({
      at: expect.any(Number),
      type: 'acknowledged',
      notified: ['desk', 'emergency-escalation'],
    });
    await handle.executeUpdate(TICKET_UPDATES.cancel, { args: [{ actor: 'ana@acme.lu', reason: 'solved itself' }] });
    expect((await handle.result()).status).toBe('cancelled');
    // The emergency fee is charged at opening: the ticket goes to billing although nobody logged time.
    expect(harness.recorded.billed).toHaveLength(1);
    await harness.keepHistory(handle, 'emergency');
  });

  it('refuses an incident opened out of hours by a contact the contract does not name, and records the refusal (Care Solutions)', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-05T10:00:00+02:00'); // a Saturday: outside Monday-Friday 09:00-17:00 Brussels
    const refused = await harness.open({
      ticketNumber: 'VIG-000109',
      policyId: 'care-solutions',
      priority: 'P2',
      authorizedContacts: ['it-lead@acme.be'],
    });
    const outcome = await refused.result();
    expect(outcome).toMatchObject({
      status: 'refused',
      refusal: { reason: 'contact-not-authorized-out-of-hours', contact: 'ana@acme.lu' },
    });
    expect(outcome.events.map((event) => event.type)).toEqual(['opened', 'refused']);
    // The refusal is recorded like a registration: a row and an e-mail saying why.
    expect(harness.recorded.acknowledged.map((ticket) => ticket.status)).toEqual(['refused']);
    expect(harness.recorded.billed).toHaveLength(0);
    await harness.keepHistory(refused, 'refused-out-of-hours');

    const authorized = await harness.open({
      ticketNumber: 'VIG-000110',
      policyId: 'care-solutions',
      priority: 'P2',
      authorizedContacts: ['it-lead@acme.be'],
      contact: { name: 'IT lead', email: 'it-lead@acme.be' },
    });
    expect((await harness.settle(authorized)).status).toBe('acknowledgement');
    await authorized.terminate('test over');
  });

  it('work estimated beyond a day waits for the quote; a declined quote cancels the ticket and bills nothing (e-connect)', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-03T09:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000111', policyId: 'econnect', priority: 'P3' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });

    const small = await handle.executeUpdate(TICKET_UPDATES['submit-quote'], {
      args: [{ actor: 'marc', estimateMinutes: 120 }],
    });
    expect(small.quote).toBeUndefined();
    expect(small.events.at(-1)).toMatchObject({
      type: 'estimate-recorded',
      note: '120 min estimated: no quote needed',
    });

    const quoted = await handle.executeUpdate(TICKET_UPDATES['submit-quote'], {
      args: [{ actor: 'marc', estimateMinutes: 900, amountCents: 150_000, note: 'migrate the mail server' }],
    });
    expect(quoted.quote).toMatchObject({
      status: 'submitted',
      reason: 'long-intervention',
      estimateMinutes: 900,
      amountCents: 150_000,
    });
    const blocked = await refusal(
      handle.executeUpdate(TICKET_UPDATES['start-intervention'], { args: [{ actor: 'marc' }] }),
    );
    expect(blocked).toMatchObject({
      type: 'QUOTE_PENDING',
      message: 'the customer has not accepted a quote for this work yet: no work can start before',
    });

    const declined = await handle.executeUpdate(TICKET_UPDATES['decline-quote'], {
      args: [{ actor: 'ana@acme.lu', reason: 'too expensive' }],
    });
    expect(declined).toMatchObject({ status: 'cancelled', cancelReason: 'quote declined: too expensive' });
    expect(declined.quote).toMatchObject({
      status: 'declined',
      decidedBy: 'ana@acme.lu',
      declineReason: 'too expensive',
    });
    expect((await handle.result()).status).toBe('cancelled');
    expect(harness.recorded.billed).toHaveLength(0);
    await harness.keepHistory(handle, 'quote-declined');
  });

  it('work outside the contract starts only once its quote is accepted, and is billed apart at it (Esker)', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-03T09:00:00+02:00');
    const handle = await harness.open({
      ticketNumber: 'VIG-000112',
      policyId: 'esker',
      priority: 'P4',
      kind: 'request',
      scope: 'excluded',
    });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    expect(
      (await refusal(handle.executeUpdate(TICKET_UPDATES['start-intervention'], { args: [{ actor: 'marc' }] }))).type,
    ).toBe('QUOTE_PENDING');
    const unpriced = await refusal(
      handle.executeUpdate(TICKET_UPDATES['submit-quote'], { args: [{ actor: 'marc', estimateMinutes: 60 }] }),
    );
    expect(unpriced).toMatchObject({
      type: 'INVALID_ARGUMENT',
      message: 'amountCents: expected the quoted price: work outside the contract is billed at it',
    });

    await handle.executeUpdate(TICKET_UPDATES['submit-quote'], {
      args: [{ actor: 'marc', estimateMinutes: 60, amountCents: 25_000 }],
    });
    const accepted = await handle.executeUpdate(TICKET_UPDATES['accept-quote'], { args: [{ actor: 'ana@acme.lu' }] });
    expect(accepted.quote).toMatchObject({ status: 'accepted', decidedBy: 'ana@acme.lu' });
    await handle.executeUpdate(TICKET_UPDATES['start-intervention'], { args: [{ actor: 'marc' }] });
    const now = await harness.env.currentTimeMs();
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [{ actor: 'marc', start: now - 3_600_000, end: now, onSite: true }],
    });
    await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'marc', resolution: 'Trained the new accountant' }],
    });
    await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] });
    expect((await handle.result()).status).toBe('closed');
    expect(harness.recorded.billed).toHaveLength(1);
    expect(harness.recorded.billed[0]).toMatchObject({
      scope: 'excluded',
      quote: { status: 'accepted', amountCents: 25_000 },
    });
    await harness.keepHistory(handle, 'excluded-work-quote-accepted');
  });

  it('a change waits for the release date the desk communicates, its clocks standing still until then', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-01T10:00:00+02:00');
    const handle = await harness.open({
      ticketNumber: 'VIG-000113',
      policyId: 'esker',
      priority: 'P3',
      kind: 'change',
    });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    const releaseAt = Date.parse('2027-06-10T08:00:00+02:00');
    const scheduled = await handle.executeUpdate(TICKET_UPDATES['schedule-release'], {
      args: [{ actor: 'marc', releaseAt }],
    });
    expect(scheduled).toMatchObject({ status: 'scheduled', releaseAt });
    expect(clockOf(scheduled, 'resolution').pausedSince).toBeDefined();

    const released = await harness.advanceTo(handle, '2027-06-10T08:30:00+02:00');
    expect(released.status).toBe('support');
    expect(released.events.at(-1)).toMatchObject({ type: 'release-due' });
    const resolution = clockOf(released, 'resolution');
    expect(resolution.pausedSince).toBeUndefined();
    expect(resolution.pauses).toHaveLength(1);
    await harness.expectInstant(resolution.pauses[0]![1], '2027-06-10T08:00:00+02:00');
    // 3 business days from Tuesday 10:00 would be Friday 10:00; the whole wait until the release is given back.
    expect(resolution.deadline!).toBeGreaterThan(Date.parse('2027-06-10T08:00:00+02:00'));
    const incident = await harness.open({ ticketNumber: 'VIG-000114', policyId: 'esker', priority: 'P3' });
    await incident.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    const notChange = await refusal(
      incident.executeUpdate(TICKET_UPDATES['schedule-release'], {
        args: [{ actor: 'marc', releaseAt: releaseAt + 86_400_000 }],
      }),
    );
    expect(notChange).toMatchObject({ type: 'NOT_A_CHANGE' });
    await harness.keepHistory(handle, 'change-release-date');
    await handle.terminate('test over');
    await incident.terminate('test over');
  });

  // Continue-as-new is tested on the real dev server (test/e2e/continue-as-new.test.ts): on the Java time-skipping
  // server a query or Update reaching a run as it continued as new could wait for minutes under load.
});
