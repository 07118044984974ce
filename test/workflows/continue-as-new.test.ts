import { TICKET_UPDATES } from '../../messages/ticket';
import { TicketHarness } from '../support/ticket-harness';

jest.setTimeout(180_000);

// A ticket past its history budget waits for its read model to catch up before it continues as new. The read model
// never records a closed ticket before its bill, and the bill comes after the loop: a validation arriving during that
// wait must end the loop, not leave both waiting for each other with the ticket never billed.
describe('a ticket at its history budget when it is validated', () => {
  let harness: TicketHarness;

  afterEach(async () => {
    await harness?.stop();
  });

  it('is closed and billed, not left waiting to continue as new', async () => {
    harness = await TicketHarness.start();
    await harness.jumpTo('2027-03-02T10:00:00+01:00');
    const handle = await harness.open(
      { ticketNumber: 'VIG-000701', policyId: 'econnect', priority: 'P3' },
      { historyEventsBeforeContinueAsNew: 40 },
    );
    await harness.settle(handle);

    const release = harness.gates.readModel.hold();
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    // Every Update grows the history while the first write is held: the loop crosses the budget and waits for it.
    for (let round = 0; round < 8; round += 1)
      await handle.executeUpdate(TICKET_UPDATES.reassign, { args: [{ actor: 'desk-lead', agent: `agent-${round}` }] });
    await handle.executeUpdate(TICKET_UPDATES['propose-resolution'], {
      args: [{ actor: 'agent-7', resolution: 'Handed back to its owner', minutesWorked: 20 }],
    });
    const validated = await handle.executeUpdate(TICKET_UPDATES.validate, { args: [{ actor: 'ana' }] });
    expect(validated.status).toBe('closed');
    expect((await handle.describe()).historyLength).toBeGreaterThan(40);
    release();

    const closed = await handle.result();
    expect(closed).toMatchObject({ status: 'closed', billing: expect.any(Object) });
    expect(harness.recorded.billed).toHaveLength(1);
    expect(harness.recorded.revisions.at(-1)).toBe(closed.revision);
  });
});
