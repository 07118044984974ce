import type { AtRiskTicket } from '../../db/ticket-queries';
import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem, NOW } from '../support/api/harness';

const ticket = (number: number, customerId: string, state: AtRiskTicket['state'], assignee?: string): AtRiskTicket => ({
  ticketNumber: `VIG-00000${number}`,
  customerId,
  title: `Ticket ${number}`,
  kind: 'incident',
  priority: 'P2',
  status: 'support',
  ...(assignee ? { assignee } : {}),
  openedAt: NOW - 7_200_000,
  nextDeadline: state === 'breached' ? undefined : NOW + 1_800_000,
  slaBreached: state === 'breached',
  state,
});

describe('GET /v1/reports/at-risk', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
    harness.ticketQueries.atRiskAnswer = [
      ticket(1, 'acme', 'breached', 'marc'),
      ticket(2, 'globex', 'breached', 'marc'),
      ticket(3, 'globex', 'breached'),
      ticket(4, 'acme', 'at-risk', 'ines'),
      ticket(5, 'globex', 'at-risk', 'marc'),
    ];
  });
  beforeEach(() => (harness.ticketQueries.atRiskRequests.length = 0));

  it('lists the tickets as of now and counts them per assignee and per customer, most breaches first', async () => {
    const response = await harness.call('manager', 'GET', '/v1/reports/at-risk');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ asOf: new Date(NOW).toISOString() });
    expect(body.tickets.map(({ ticketNumber, state }: AtRiskTicket) => `${ticketNumber} ${state}`)).toEqual([
      'VIG-000001 breached',
      'VIG-000002 breached',
      'VIG-000003 breached',
      'VIG-000004 at-risk',
      'VIG-000005 at-risk',
    ]);
    expect(body.tickets[3]).toMatchObject({
      nextDeadline: new Date(NOW + 1_800_000).toISOString(),
      links: { self: '/v1/tickets/VIG-000004' },
    });
    expect(body.byAssignee).toEqual([
      { key: 'marc', breached: 2, atRisk: 1 },
      { key: null, breached: 1, atRisk: 0 },
      { key: 'ines', breached: 0, atRisk: 1 },
    ]);
    expect(body.byCustomer).toEqual([
      { key: 'globex', breached: 2, atRisk: 1 },
      { key: 'acme', breached: 1, atRisk: 1 },
    ]);
    expect(harness.ticketQueries.atRiskRequests).toEqual([{ customerId: undefined, priority: undefined, now: NOW }]);
  });

  it('narrows to a customer and a priority', async () => {
    await harness.call('agent', 'GET', '/v1/reports/at-risk?customer=globex&priority=P1');
    expect(harness.ticketQueries.atRiskRequests).toEqual([{ customerId: 'globex', priority: 'P1', now: NOW }]);
  });

  it.each(['admin', 'agent', 'manager', 'customer'] as Caller[])('may be read with a %s key', async (caller) => {
    expect((await harness.call(caller, 'GET', '/v1/reports/at-risk')).statusCode).toBe(200);
  });

  it("holds a customer to its own tickets and refuses another company's with 403, reading nothing", async () => {
    await harness.call('acme', 'GET', '/v1/reports/at-risk');
    expect(harness.ticketQueries.atRiskRequests.map(({ customerId }) => customerId)).toEqual(['acme']);
    expectProblem(await harness.call('acme', 'GET', '/v1/reports/at-risk?customer=globex'), 403, 'forbidden');
    expect(harness.ticketQueries.atRiskRequests).toHaveLength(1);
  });

  it('answers 401 without a key, 422 naming a bad priority or an unknown parameter', async () => {
    expectProblem(await harness.call(undefined, 'GET', '/v1/reports/at-risk'), 401, 'unauthorized');
    expectProblem(
      await harness.call('manager', 'GET', '/v1/reports/at-risk?priority=P9'),
      422,
      'invalid-request',
      'querystring.priority',
    );
    expectProblem(
      await harness.call('manager', 'GET', '/v1/reports/at-risk?assignee=marc'),
      422,
      'invalid-request',
      'querystring.assignee',
    );
    expect(harness.ticketQueries.atRiskRequests).toEqual([]);
  });
});
