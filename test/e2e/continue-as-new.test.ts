import { ticketWorkflowId, type OpenTicketInput, TICKET_UPDATES } from '../../messages/ticket';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { ticketWorkflow } from '../../workflows';
import { eventually, type Stack, startStack } from '../support/e2e/stack';

jest.setTimeout(120_000);

// On the real dev server: Updates sent through the API while a busy ticket continues as new all land, once each.
describe('a busy ticket continuing as new', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('continue-as-new');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const runsOf = async (workflowId: string) => {
    const statuses: string[] = [];
    for await (const execution of stack.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      statuses.push(execution.status.name);
    return statuses;
  };

  it('applies every concurrent action exactly once across the runs, and carries the state', async () => {
    const ticketNumber = await ticketNumberAllocator(stack.db)();
    const input: OpenTicketInput = {
      ticketNumber,
      customerId: stack.customerId,
      policyId: 'econnect',
      kind: 'incident',
      priority: 'P3',
      title: 'Busy ticket',
      description: 'Handed around a lot.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    };
    // A small history budget, so that the ticket continues as new many times within the test.
    const handle = await stack.temporal.workflow.start(ticketWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: ticketWorkflowId(ticketNumber),
      args: [input, undefined, { historyEventsBeforeContinueAsNew: 40 }],
    });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });

    const reassign = (agent: string) =>
      fetch(`${stack.baseUrl}/tickets/${ticketNumber}/reassign`, {
        method: 'POST',
        headers: { ...stack.auth('agent'), 'content-type': 'application/json' },
        body: JSON.stringify({ agent, by: 'desk-lead' }),
      }).then((response) => response.status);
    const agents: string[] = [];
    for (let round = 0; round < 15; round += 1) {
      const batch = [0, 1, 2].map((slot) => `agent-${round}-${slot}`);
      agents.push(...batch);
      expect(await Promise.all(batch.map(reassign))).toEqual([200, 200, 200]);
      // Idle gaps of varying length: the run continues as new in some of them, and some actions arrive just then.
      await new Promise((resolve) => setTimeout(resolve, (round % 5) * 40));
    }

    const runs = await eventually(
      () => runsOf(handle.workflowId),
      (statuses) => statuses.filter((status) => status === 'CONTINUED_AS_NEW').length >= 2,
    );
    expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((status) => status === 'RUNNING')).toHaveLength(1);
    // Live, not the stale snapshot a GET answers while a run is being continued as new.
    const ticket = await eventually(
      () =>
        fetch(`${stack.baseUrl}/tickets/${ticketNumber}`, { headers: stack.auth('agent') }).then(
          (response) => response.json() as Promise<any>,
        ),
      (answer) => Array.isArray(answer.events) && answer.stale === undefined,
    );
    if (!Array.isArray(ticket.events) || ticket.stale)
      process.stderr.write(`GET answered: ${JSON.stringify(ticket)}\n`);
    const reassigned = (ticket.events as Array<{ type: string; note?: string }>)
      .filter((event) => event.type === 'reassigned')
      .map((event) => event.note);
    expect(reassigned.sort()).toEqual(agents.map((agent) => `to ${agent}`).sort());
    // The last round's three actions raced one another: one of them is the assignee.
    expect(ticket).toMatchObject({ status: 'support', assignee: expect.stringMatching(/^agent-14-[012]$/) });

    // The carried run goes on to the end: it takes the proposal and the validation, closes and bills the ticket.
    const proposed = await stack.call('POST', `/tickets/${ticketNumber}/propose-resolution`, {
      resolution: 'Handed back to its owner',
    });
    expect(proposed).toMatchObject({ status: 200, body: { status: 'validation' } });
    const validated = await stack.call('POST', `/tickets/${ticketNumber}/validate`, {}, 'customer');
    expect(validated).toMatchObject({ status: 200, body: { status: 'closed' } });
    const closed = await handle.result();
    expect(closed).toMatchObject({ status: 'closed', ticketNumber });
    expect(closed.events.filter((event) => event.type === 'reassigned')).toHaveLength(agents.length);
  });
});
