import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type LogTimeCommand, type TimeEntry, TICKET_UPDATES } from '../../messages/ticket';
import { TicketHarness } from '../support/ticket-harness';

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

/** Time worked between two local instants, as an agent logs it. */
/** A time entry as the workflow takes it: logged by the one who worked it. */
const worked = (actor: string, from: string, to: string, extra: Partial<LogTimeCommand> = {}): LogTimeCommand => ({
  actor,
  start: Date.parse(from),
  end: Date.parse(to),
  onSite: false,
  ...extra,
});

const minutesOf = (entries: readonly TimeEntry[]) =>
  entries.reduce((sum, entry) => sum + (entry.end - entry.start) / 60_000, 0);

describe('rules on logged time, on the time-skipping server', () => {
  let harness: TicketHarness;

  afterEach(async () => {
    await harness?.stop();
  });

  it('e-connect: time past a day waits for an accepted quote, which allows time up to its estimate, and a new quote extends it', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-07T08:30:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000201', policyId: 'econnect', priority: 'P3' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.advanceTo(handle, '2027-06-08T09:00:00+02:00');

    // One working day, 480 min, is taken without a quote.
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('marc', '2027-06-07T08:30:00+02:00', '2027-06-07T12:30:00+02:00')],
    });
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('marc', '2027-06-07T13:30:00+02:00', '2027-06-07T17:30:00+02:00')],
    });
    const beyond = await refusal(
      handle.executeUpdate(TICKET_UPDATES['log-time'], {
        args: [worked('marc', '2027-06-08T08:30:00+02:00', '2027-06-08T09:00:00+02:00')],
      }),
    );
    expect(beyond).toMatchObject({
      type: 'QUOTE_REQUIRED',
      message:
        'work beyond 480 min on a ticket needs a quote the customer has accepted: 480 min logged, 0 min left, this entry is 30 min; submit a quote estimating the whole intervention (POST /v1/tickets/VIG-000201/quote) and log the rest once the customer accepts it',
      details: [{ allowedMinutes: 480, loggedMinutes: 480, minutesLeft: 0, entryMinutes: 30 }],
    });
    // Minutes given with a proposed resolution are time too: same gate, and the ticket stays in support.
    expect(
      (
        await refusal(
          handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
            args: [{ actor: 'marc', resolution: 'done', minutesWorked: 5 }],
          }),
        )
      ).type,
    ).toBe('QUOTE_REQUIRED');

    await handle.executeUpdate(TICKET_UPDATES['submit-quote'], {
      args: [{ actor: 'marc', estimateMinutes: 960, amountCents: 160_000, note: 'second day of migration' }],
    });
    expect(
      (
        await refusal(
          handle.executeUpdate(TICKET_UPDATES['log-time'], {
            args: [worked('marc', '2027-06-08T08:30:00+02:00', '2027-06-08T09:00:00+02:00')],
          }),
        )
      ).type,
    ).toBe('QUOTE_PENDING');
    const accepted = await handle.executeUpdate(TICKET_UPDATES['accept-quote'], { args: [{ actor: 'ana@acme.lu' }] });
    expect(accepted.quote).toMatchObject({ status: 'accepted', estimateMinutes: 960 });
    await harness.advanceTo(handle, '2027-06-08T17:30:00+02:00');

    // Up to the estimate exactly: 480 more minutes.
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('marc', '2027-06-08T08:30:00+02:00', '2027-06-08T12:30:00+02:00')],
    });
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('lena', '2027-06-08T13:30:00+02:00', '2027-06-08T17:29:00+02:00')],
    });
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('lena', '2027-06-08T17:29:00+02:00', '2027-06-08T17:30:00+02:00')],
    });
    const pastQuote = await refusal(
      handle.executeUpdate(TICKET_UPDATES['log-time'], {
        args: [worked('marc', '2027-06-08T17:00:00+02:00', '2027-06-08T17:30:00+02:00')],
      }),
    );
    expect(pastQuote).toMatchObject({
      type: 'QUOTE_REQUIRED',
      message: expect.stringMatching(
        /^the accepted quote covers 960 min of work on this ticket: 960 min logged, 0 min left, this entry is 30 min; submit a new quote/,
      ),
      details: [{ allowedMinutes: 960, minutesLeft: 0 }],
    });

    // A quote that estimates no more than the accepted one is no extension; one that does waits for the customer again.
    expect(
      await refusal(
        handle.executeUpdate(TICKET_UPDATES['submit-quote'], { args: [{ actor: 'marc', estimateMinutes: 960 }] }),
      ),
    ).toMatchObject({
      type: 'ALREADY_DONE',
      message: 'a quote is already accepted: a new quote extends it only by estimating more than its 960 min',
    });
    const extension = await handle.executeUpdate(TICKET_UPDATES['submit-quote'], {
      args: [{ actor: 'marc', estimateMinutes: 1080, amountCents: 180_000 }],
    });
    expect(extension.quote).toMatchObject({ status: 'submitted', reason: 'long-intervention', estimateMinutes: 1080 });
    await handle.executeUpdate(TICKET_UPDATES['accept-quote'], { args: [{ actor: 'ana@acme.lu' }] });
    await harness.advanceTo(handle, '2027-06-09T10:00:00+02:00');
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('lena', '2027-06-09T08:30:00+02:00', '2027-06-09T10:00:00+02:00')],
    });
    const proposed = await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'marc', resolution: 'Mail server migrated', minutesWorked: 30 }],
    });
    expect(proposed.status).toBe('validation');
    await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] });
    expect((await handle.result()).status).toBe('closed');
    expect(minutesOf(harness.recorded.billed[0]!.timeEntries)).toBe(1080);
    await harness.keepHistory(handle, 'quote-gate');
  });

  it('Care Solutions: a fourth person on remote assistance is refused, naming the three; other services and the three go on', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-07T09:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000202', policyId: 'care-solutions', priority: 'P3' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'anna' }] });
    await harness.advanceTo(handle, '2027-06-07T12:00:00+02:00');

    const remote = { service: 'remote-assistance' };
    for (const [agent, hour] of [
      ['anna', '09'],
      ['bert', '10'],
      ['carl', '11'],
    ] as const) {
      await handle.executeUpdate(TICKET_UPDATES['log-time'], {
        args: [worked(agent, `2027-06-07T${hour}:00:00+02:00`, `2027-06-07T${hour}:30:00+02:00`, remote)],
      });
    }
    const fourth = await refusal(
      handle.executeUpdate(TICKET_UPDATES['log-time'], {
        args: [worked('dora', '2027-06-07T11:30:00+02:00', '2027-06-07T12:00:00+02:00', remote)],
      }),
    );
    expect(fourth).toMatchObject({
      type: 'TOO_MANY_PEOPLE',
      message:
        'at most 3 people may log time on one ticket under remote-assistance, and anna, bert, carl already have: dora cannot; one of them logs this time',
      details: [{ maxPeople: 3, people: ['anna', 'bert', 'carl'], services: ['remote-assistance'] }],
    });
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('dora', '2027-06-07T11:30:00+02:00', '2027-06-07T12:00:00+02:00', { service: 'database' })],
    });
    const third = await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('bert', '2027-06-07T11:30:00+02:00', '2027-06-07T12:00:00+02:00', remote)],
    });
    expect(third.timeEntries.map((entry) => `${entry.agent} ${entry.service}`)).toEqual([
      'anna remote-assistance',
      'bert remote-assistance',
      'carl remote-assistance',
      'dora database',
      'bert remote-assistance',
    ]);
    await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'anna', resolution: 'Backup restored' }],
    });
    await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] });
    expect((await handle.result()).status).toBe('closed');
    expect(harness.recorded.billed[0]!.timeEntries).toHaveLength(5);
    await harness.keepHistory(handle, 'people-limit');
  });

  it("Care Solutions under a contract of 2 people: the ticket keeps the contract's count on the policy's services", async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-07T09:00:00+02:00');
    const handle = await harness.open({
      ticketNumber: 'VIG-000203',
      policyId: 'care-solutions',
      priority: 'P3',
      maxPeoplePerTicket: 2,
    });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'anna' }] });
    await harness.advanceTo(handle, '2027-06-07T12:00:00+02:00');

    const remote = { service: 'remote-assistance' };
    for (const [agent, hour] of [
      ['anna', '09'],
      ['bert', '10'],
    ] as const) {
      await handle.executeUpdate(TICKET_UPDATES['log-time'], {
        args: [worked(agent, `2027-06-07T${hour}:00:00+02:00`, `2027-06-07T${hour}:30:00+02:00`, remote)],
      });
    }
    const third = await refusal(
      handle.executeUpdate(TICKET_UPDATES['log-time'], {
        args: [worked('carl', '2027-06-07T11:00:00+02:00', '2027-06-07T11:30:00+02:00', remote)],
      }),
    );
    expect(third).toMatchObject({
      type: 'TOO_MANY_PEOPLE',
      details: [{ maxPeople: 2, people: ['anna', 'bert'], services: ['remote-assistance'] }],
    });
    await handle.executeUpdate(TICKET_UPDATES['log-time'], {
      args: [worked('carl', '2027-06-07T11:00:00+02:00', '2027-06-07T11:30:00+02:00', { service: 'settings' })],
    });
    await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'anna', resolution: 'Profile repaired' }],
    });
    await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] });
    expect((await handle.result()).status).toBe('closed');
    expect(harness.recorded.billed[0]!.timeEntries).toHaveLength(3);
    await harness.keepHistory(handle, 'contract-people-limit');
  });

  it('tm-minimum: minutes worked given with the resolution carry the intervention flags to billing, as a time entry', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-06-07T09:00:00+02:00');
    const handle = await harness.open({ ticketNumber: 'VIG-000204', policyId: 'tm-minimum', priority: 'P3' });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.advanceTo(handle, '2027-06-07T10:00:00+02:00');
    const flagAlone = await refusal(
      handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
        args: [{ actor: 'marc', resolution: 'done', outOfHoursRequested: true }],
      }),
    );
    expect(flagAlone).toMatchObject({
      type: 'INVALID_ARGUMENT',
      message: 'outOfHoursRequested: expected to come with minutesWorked, the time it qualifies',
    });
    const proposed = await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [
        {
          actor: 'marc',
          resolution: 'Outlook repaired',
          minutesWorked: 10,
          remoteToolMissing: true,
          outOfHoursRequested: true,
          urgent: false,
        },
      ],
    });
    expect(proposed.timeEntries).toEqual([
      {
        agent: 'marc',
        start: proposed.timeEntries[0]!.end - 600_000,
        end: expect.any(Number),
        onSite: false,
        remoteToolMissing: true,
        outOfHoursRequested: true,
      },
    ]);
    await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana@acme.lu' }] });
    expect((await handle.result()).status).toBe('closed');
    expect(harness.recorded.billed[0]!.timeEntries).toEqual(proposed.timeEntries);
    await harness.keepHistory(handle, 'resolution-flags');
  });
});
