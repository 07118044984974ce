import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ticketWorkflowId, type TicketState } from '../../messages/ticket';
import { acknowledgeTicket } from '../support/e2e/registration';
import { contractsStartOn, openTicket, startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(60_000);

interface NoticeRow {
  idempotency_key: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: Date;
}

// e-connect's emergencies are "traités dans l'immédiat": the desk and the contract's
// emergency-escalation contacts are told when the ticket is registered, not first at 50% of its hour. Through the real
// API, worker, Temporal and PostgreSQL; the stack's worker has no SMTP server, so the notices stay in the outbox.
describe('an e-connect emergency tells the desk and its escalation contacts at opening', () => {
  let stack: Stack;
  const customerId = `emergency-opening-${randomUUID().slice(0, 8)}`;
  const escalation = `cleo-${customerId}@acme.lu`;

  beforeAll(async () => {
    stack = await startStack('emergency-opening');
    await stack.accounts.createCustomer({ id: customerId, name: 'Acme Emergencies', language: 'en' });
    await stack.accounts.createContract({
      customerId,
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      escalationContacts: [{ level: 'emergency-escalation', name: 'Cleo Marx', email: escalation }],
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const open = (channel: 'emergency' | 'standard') =>
    openTicket(
      stack,
      {
        customerId,
        channel,
        priority: 'P1',
        title: 'Site down',
        description: 'The web shop answers 502.',
        contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
      },
      'admin',
    );

  const rows = async (ticketNumber: string, kind: string) =>
    (
      await stack.db.query<NoticeRow>(
        'SELECT idempotency_key, recipient, subject, body, created_at FROM outbox WHERE ticket_number = $1 AND kind = $2 ORDER BY recipient',
        [ticketNumber, kind],
      )
    ).rows;

  it('queues the notice to the desk and the emergency-escalation contact with the registration, once each', async () => {
    const number = await open('emergency');
    // The opening answers the ticket registered: its notices at opening are committed by then, no waiting.
    const opened = await rows(number, 'emergency-opened');
    // The desk, which the contract does not name, through its own address (the tests' VIGIL_DESK_ROLES catch-all).
    expect(opened.map((row) => row.recipient)).toEqual([escalation, 'desk@vigil.test'].sort());
    expect(opened.map((row) => row.idempotency_key).sort()).toEqual(
      [escalation, 'desk@vigil.test'].map((recipient) => `${ticketWorkflowId(number)}:emergency-opened:${recipient}`),
    );
    // In the registration's own transaction: the acknowledgement's, the same transaction time.
    const [acknowledgement] = await rows(number, 'acknowledgement');
    for (const row of opened) expect(row.created_at).toEqual(acknowledgement!.created_at);

    const { rows: tickets } = await stack.db.query<{ snapshot: TicketState }>(
      'SELECT snapshot FROM tickets WHERE number = $1',
      [number],
    );
    const ticket = tickets[0]!.snapshot;
    expect(ticket).toMatchObject({ channel: 'emergency', priority: 'P1', policyId: 'econnect', policyVersion: 1 });
    // The ticket records whom its registration told, on its acknowledgement: in its row and in what the API answers.
    const told = { type: 'acknowledged', notified: ['desk', 'emergency-escalation'] };
    expect(ticket.events.find((event) => event.type === 'acknowledged')).toMatchObject(told);
    const read = await stack.call('GET', `/tickets/${number}`);
    expect(read.body.events.find((event: { type: string }) => event.type === 'acknowledged')).toMatchObject(told);
    const deadline = ticket.clocks.find((clock) => clock.metric === 'response')!.deadline!;
    expect(deadline - (ticket.acknowledgedAt ?? ticket.openedAt)).toBeLessThanOrEqual(3_600_000);
    for (const row of opened) {
      expect(row.body).toContain(`Ticket ${number} of customer ${customerId}: Site down`);
      expect(row.body).toMatch(new RegExp(`once signed in: http\\S+/console/tickets/${number}$`, 'm'));
    }
    // Only the desk takes a ticket in charge: it is asked to, the contract's escalation contact is told by when it must.
    const [toEscalation, toDesk] = [escalation, 'desk@vigil.test'].map((recipient) =>
      opened.find((row) => row.recipient === recipient)!,
    );
    expect(toDesk!.subject).toMatch(
      new RegExp(`^\\[${number}\\] Emergency just opened, to take in charge by .+: Site down$`),
    );
    expect(toDesk!.body).toContain('it must be taken in charge by');
    expect(toDesk!.body).toContain("Take it in charge on the ticket's page");
    expect(toEscalation!.subject).toMatch(
      new RegExp(`^\\[${number}\\] Emergency just opened, the support desk must take it in charge by .+: Site down$`),
    );
    expect(toEscalation!.body).toContain('nothing is asked of you');
    expect(toEscalation!.body).not.toContain('Take it in charge');

    // A registration written again (an activity retried after its commit) queues nothing more, and later writes of the
    // ticket (taken in charge) tell the contact of their own steps only.
    const env = new MockActivityEnvironment({
      workflowExecution: { workflowId: ticketWorkflowId(number), runId: 'r' },
    });
    await env.run(acknowledgeTicket(stack.db), ticket);
    const taken = await stack.call('POST', `/tickets/${number}/take-charge`, {});
    expect(taken.status).toBe(200);
    expect((await rows(number, 'emergency-opened')).map((row) => row.recipient)).toEqual(
      opened.map((row) => row.recipient),
    );
  });

  it('tells nobody at opening of a standard ticket of the same contract', async () => {
    const number = await open('standard');
    expect(await rows(number, 'acknowledgement')).toHaveLength(1);
    expect(await rows(number, 'emergency-opened')).toEqual([]);
    const read = await stack.call('GET', `/tickets/${number}`);
    const acknowledged = read.body.events.find((event: { type: string }) => event.type === 'acknowledged');
    expect(acknowledged).toBeDefined();
    expect(acknowledged).not.toHaveProperty('notified');
  });
});
