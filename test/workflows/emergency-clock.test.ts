import { getTicketQuery, TICKET_UPDATES } from '../../messages/ticket';
import { SlaBreachedKey } from '../../messages/search-attributes';
import { clockOf, TicketHarness } from '../support/ticket-harness';

jest.setTimeout(180_000);

/** e-connect's emergency channel: one calendar hour to take charge, day and night (the econnect preset's reading of "traité dans l'immédiat"). */
describe('an emergency runs its response clock in calendar time on the time-skipping server', () => {
  let harness: TicketHarness;

  afterEach(async () => {
    await harness?.stop();
  });

  it('opened at 23:00 on a Saturday, it warns the desk and the escalation at 50% and 75% and breaches at midnight', async () => {
    harness = await TicketHarness.start();
    // Saturday 5 June 2027, 23:00 in Luxembourg: the desk (Monday-Friday 08:30-17:30) is closed until Monday.
    await harness.jumpTo('2027-06-05T23:00:00+02:00');
    const handle = await harness.open({
      ticketNumber: 'VIG-000201',
      policyId: 'econnect',
      priority: 'P3',
      channel: 'emergency',
    });
    const opened = await harness.settle(handle);
    expect(opened).toMatchObject({ priority: 'P1', channel: 'emergency', status: 'acknowledgement' });
    const response = clockOf(opened, 'response');
    await harness.expectInstant(response.deadline, '2027-06-06T00:00:00+02:00');
    expect(response.thresholds.map((threshold) => threshold.percent)).toEqual([50, 75, 100]);
    await harness.expectInstant(response.thresholds[0]!.at, '2027-06-05T23:30:00+02:00');
    await harness.expectInstant(response.thresholds[1]!.at, '2027-06-05T23:45:00+02:00');
    // Intervention and resolution stay best effort, as for every e-connect ticket.
    expect(clockOf(opened, 'intervention').deadline).toBeNull();
    expect(clockOf(opened, 'resolution').deadline).toBeNull();

    await harness.advanceTo(handle, '2027-06-05T23:50:00+02:00');
    expect(harness.recorded.notices.map(({ key, notify }) => `${key} ${notify.join(',')}`)).toEqual([
      'response:50:g1 desk,emergency-escalation',
      'response:75:g1 desk,emergency-escalation',
    ]);
    expect((await handle.query(getTicketQuery)).slaBreached).toBe(false);

    await harness.advanceTo(handle, '2027-06-06T00:10:00+02:00');
    const breached = await harness.settle(handle);
    expect(harness.recorded.notices.map((notice) => notice.key)).toEqual([
      'response:50:g1',
      'response:75:g1',
      'response:100:g1',
    ]);
    expect(breached.slaBreached).toBe(true);
    await harness.expectInstant(clockOf(breached, 'response').breachedAt, '2027-06-06T00:00:00+02:00');
    expect(breached.events.filter((event) => event.type === 'sla-breached')).toEqual([
      { at: expect.any(Number), type: 'sla-breached', metric: 'response' },
    ]);
    expect(
      breached.events
        .filter((event) => event.type === 'sla-threshold')
        .map(({ percent, notified }) => [percent, notified]),
    ).toEqual([
      [50, ['desk', 'emergency-escalation']],
      [75, ['desk', 'emergency-escalation']],
      [100, ['desk', 'emergency-escalation']],
    ]);
    expect((await handle.describe()).typedSearchAttributes.get(SlaBreachedKey)).toBe(true);
    await harness.keepHistory(handle, 'emergency-saturday-night');
  });

  it("runs on the contract's target, and taken in charge in time it warns nobody", async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-05T23:00:00+02:00');
    const handle = await harness.open({
      ticketNumber: 'VIG-000202',
      policyId: 'econnect',
      priority: 'P1',
      channel: 'emergency',
      emergencyResponseTarget: { amount: 4, unit: 'calendarHours' },
    });
    const opened = await harness.settle(handle);
    await harness.expectInstant(clockOf(opened, 'response').deadline, '2027-06-06T03:00:00+02:00');
    await harness.expectInstant(clockOf(opened, 'response').thresholds[0]!.at, '2027-06-06T01:00:00+02:00');

    await harness.advanceTo(handle, '2027-06-06T00:30:00+02:00');
    const taken = await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    expect(clockOf(taken, 'response').breachedAt).toBeUndefined();
    await harness.advanceTo(handle, '2027-06-06T05:00:00+02:00');
    expect(harness.recorded.notices).toEqual([]);
    expect((await harness.settle(handle)).slaBreached).toBe(false);
  });

  it('a standard e-connect ticket opened at the same hour still has no clock', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-05T23:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000203', policyId: 'econnect', priority: 'P1' });
    const opened = await harness.settle(handle);
    expect(opened.clocks.map((clock) => clock.deadline)).toEqual([null, null, null]);
  });
});
