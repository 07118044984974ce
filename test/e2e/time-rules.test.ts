import { randomUUID } from 'node:crypto';
import { ticketWorkflowId } from '../../messages/ticket';
import { type Stack, contractsStartOn, startStack } from '../support/e2e/stack';

jest.setTimeout(90_000);

const HOUR = 3_600_000;

// The rules on logged time through the real API: Fastify on a port, the real Temporal dev server and PostgreSQL.
describe('rules on logged time, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('time-rules');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const call: Stack['call'] = (...args) => stack.call(...args);

  async function openTicket(customerId: string, title: string): Promise<string> {
    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P3',
      title,
      description: 'Logged time under the contract’s rules.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    expect((await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' })).status).toBe(200);
    return number;
  }

  /** An entry of `minutes` ending `endsAgoMs` before now; its agent is the key that logs it, never a name in the body. */
  const entry = (_agent: string, minutes: number, endsAgoMs: number, extra: Record<string, unknown> = {}) => {
    const end = Date.now() - endsAgoMs;
    return { start: new Date(end - minutes * 60_000).toISOString(), end: new Date(end).toISOString(), ...extra };
  };

  /** An agent's own API key, labelled with the agent's name: who acts is who is authenticated. */
  const keys = new Map<string, { token: string }>();
  async function keyOf(agent: string): Promise<{ token: string }> {
    if (!keys.has(agent))
      keys.set(agent, { token: (await stack.accounts.createApiKey({ role: 'agent', label: agent })).token });
    return keys.get(agent)!;
  }
  const logAs = async (agent: string, number: string, body: object) =>
    call('POST', `/tickets/${number}/time-entries`, body, await keyOf(agent));

  it('e-connect: past a day of logged time, an entry is refused (409, minutes left) until the customer accepts a quote, then taken up to its estimate', async () => {
    const number = await openTicket(stack.customerId, 'Mail server migration');
    const day = await call('POST', `/tickets/${number}/time-entries`, entry('marc', 480, 3 * HOUR));
    expect(day.status).toBe(200);

    const beyond = await call('POST', `/tickets/${number}/time-entries`, entry('marc', 60, 2 * HOUR));
    expect(beyond.status).toBe(409);
    expect(beyond.type).toMatch(/^application\/problem\+json/);
    expect(beyond.body).toMatchObject({
      type: 'https://vigil.dev/problems/quote-required',
      title: 'More time needs a quote the customer accepted',
      status: 409,
      code: 'QUOTE_REQUIRED',
      minutesLeft: 0,
      allowedMinutes: 480,
      loggedMinutes: 480,
      entryMinutes: 60,
      detail: `work beyond 480 min on a ticket needs a quote the customer has accepted: 480 min logged, 0 min left, this entry is 60 min; submit a quote estimating the whole intervention (POST /v1/tickets/${number}/quote) and log the rest once the customer accepts it`,
    });
    expect(
      (
        await call('POST', `/tickets/${number}/propose-resolution`, {
          agent: 'marc',
          resolution: 'done',
          minutesWorked: 15,
        })
      ).body.code,
    ).toBe('QUOTE_REQUIRED');

    const quoted = await call('POST', `/tickets/${number}/quote`, {
      agent: 'marc',
      estimateMinutes: 600,
      amountCents: 100_000,
    });
    expect(quoted.body.quote).toMatchObject({ status: 'submitted', reason: 'long-intervention', estimateMinutes: 600 });
    const accepted = await call('POST', `/tickets/${number}/quote/accept`, { contact: 'ana@acme.lu' }, 'customer');
    // Decided by the customer's key (labelled by test/support/e2e/stack.ts), whatever contact the body names.
    expect(accepted.body.quote).toMatchObject({ status: 'accepted', decidedBy: 'e2e time-rules customer' });

    expect((await call('POST', `/tickets/${number}/time-entries`, entry('marc', 60, 2 * HOUR))).status).toBe(200);
    const pastQuote = await call('POST', `/tickets/${number}/time-entries`, entry('marc', 61, HOUR));
    expect(pastQuote.status).toBe(409);
    expect(pastQuote.body).toMatchObject({
      code: 'QUOTE_REQUIRED',
      allowedMinutes: 600,
      loggedMinutes: 540,
      minutesLeft: 60,
    });
    expect(
      (
        await call('POST', `/tickets/${number}/propose-resolution`, {
          agent: 'marc',
          resolution: 'Mail server migrated',
          minutesWorked: 60,
        })
      ).status,
    ).toBe(200);
    expect((await call('POST', `/tickets/${number}/validate`, { contact: 'ana@acme.lu' }, 'customer')).status).toBe(
      200,
    );

    // 600 minutes at 100 EUR/h, the quoted day and a quarter, and not a minute more.
    const final = await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).result();
    expect(final).toMatchObject({ status: 'closed', billing: { totalCents: 100_000 } });
  });

  it('Care Solutions: a fourth person on remote assistance is refused (409, naming the three)', async () => {
    const customerId = `care-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Acme BE' });
    // Named for out-of-hours calls, so that the ticket opens whatever the hour this test runs at.
    await stack.accounts.createContract({
      customerId,
      policyId: 'care-solutions',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true }],
    });
    const number = await openTicket(customerId, 'Backup restore');

    const remote = { service: 'remote-assistance' };
    for (const agent of ['anna', 'bert', 'carl'])
      expect((await logAs(agent, number, entry(agent, 20, HOUR, remote))).status).toBe(200);
    const fourth = await logAs('dora', number, entry('dora', 20, HOUR, remote));
    expect(fourth.status).toBe(409);
    expect(fourth.body).toMatchObject({
      type: 'https://vigil.dev/problems/too-many-people',
      status: 409,
      code: 'TOO_MANY_PEOPLE',
      maxPeople: 3,
      people: ['anna', 'bert', 'carl'],
      detail:
        'at most 3 people may log time on one ticket under remote-assistance, and anna, bert, carl already have: dora cannot; one of them logs this time',
    });
    // Other services are not capped, and the three go on.
    expect((await logAs('dora', number, entry('dora', 20, HOUR, { service: 'database' }))).status).toBe(200);
    expect((await logAs('bert', number, entry('bert', 20, HOUR / 2, remote))).status).toBe(200);
    const view = await call('GET', `/tickets/${number}`);
    expect((view.body.timeEntries as { agent: string }[]).map(({ agent }) => agent)).toEqual([
      'anna',
      'bert',
      'carl',
      'dora',
      'bert',
    ]);
  });
});
