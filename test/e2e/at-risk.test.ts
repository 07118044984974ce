import type { TicketState } from '../../messages/ticket';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const NOW = Date.parse('2026-03-02T11:00:00+01:00');

// The manager's at-risk list (db/ticket-queries.ts atRisk) over the real read model, as GET /v1/reports/at-risk serves it.
describe('GET /v1/reports/at-risk on PostgreSQL', () => {
  let harness: ReadModelHarness;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  const numbers: Record<string, string> = {};

  /** A response clock due at `deadline`, warned at `warnedAt` (its policy's first threshold below 100 %) when given. */
  const withDeadline = (deadline: number | null, warnedAt?: number) => {
    const warnings = warnedAt === undefined ? [] : [{ percent: 75, at: warnedAt, notify: ['desk'] }];
    const response = {
      metric: 'response' as const,
      deadline,
      thresholds: deadline === null ? [] : [...warnings, { percent: 100, at: deadline, notify: ['desk'] }],
      pauses: [],
    };
    return [
      response,
      { ...response, metric: 'intervention' as const, deadline: null },
      { ...response, metric: 'resolution' as const, deadline: null },
    ];
  };

  beforeAll(async () => {
    harness = await readModelHarness(() => NOW);
    customer = await harness.customer('risky');
    other = await harness.customer('calm');
    const cases: Record<string, Partial<TicketState>> = {
      flagged: { status: 'support', slaBreached: true, assignee: 'marc', clocks: withDeadline(null) },
      // Past its first warning: at risk, however far its deadline (a long target warns days ahead).
      warned: {
        status: 'support',
        assignee: 'ines',
        clocks: withDeadline(NOW + 2 * 24 * 60 * MINUTE, NOW - 10 * MINUTE),
      },
      passed: { status: 'acknowledgement', clocks: withDeadline(NOW - 5 * MINUTE, NOW - 20 * MINUTE) },
      // Its warning is still ahead: not at risk, however near its deadline.
      later: { status: 'support', assignee: 'ines', clocks: withDeadline(NOW + 30 * MINUTE, NOW + 5 * MINUTE) },
      // A policy that warns of nothing before the deadline.
      unwarned: { status: 'support', assignee: 'ines', clocks: withDeadline(NOW + 10 * MINUTE) },
      closed: { status: 'closed', slaBreached: true, assignee: 'marc', clocks: withDeadline(null) },
      bestEffort: { status: 'support', clocks: withDeadline(null) },
    };
    for (const [name, fields] of Object.entries(cases)) {
      const ticket = await harness.ticket(customer.id, fields);
      numbers[name] = ticket.ticketNumber;
      await harness.record(ticket);
    }
    await harness.record(await harness.ticket(other.id, { status: 'support', slaBreached: true }));
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("lists open tickets breached (flagged, or their deadline passed) and past their policy's first warning, breached first; closed, later and best-effort ones stay out", async () => {
    const { status, body } = await harness.get(
      `/v1/reports/at-risk?customer=${customer.id}`,
      await harness.staffToken('manager'),
    );
    expect(status).toBe(200);
    expect(
      body.tickets.map(({ ticketNumber, state }: { ticketNumber: string; state: string }) => [ticketNumber, state]),
    ).toEqual([
      [numbers.flagged, 'breached'],
      [numbers.passed, 'breached'],
      [numbers.warned, 'at-risk'],
    ]);
    expect(body.byAssignee).toEqual([
      { key: 'marc', breached: 1, atRisk: 0 },
      { key: null, breached: 1, atRisk: 0 },
      { key: 'ines', breached: 0, atRisk: 1 },
    ]);
    expect(body.byCustomer).toEqual([{ key: customer.id, breached: 2, atRisk: 1 }]);
    expect(
      body.tickets.find(({ ticketNumber }: { ticketNumber: string }) => ticketNumber === numbers.warned).atRiskFrom,
    ).toBe(new Date(NOW - 10 * MINUTE).toISOString());
  });

  it('lists the same tickets at risk on the board (GET /v1/tickets?atRisk=true): not breached, past their first warning', async () => {
    const { status, body } = await harness.get(
      `/v1/tickets?atRisk=true&order=deadline&customer=${customer.id}`,
      await harness.staffToken('agent'),
    );
    expect(status).toBe(200);
    expect(body.items.map(({ ticketNumber }: { ticketNumber: string }) => ticketNumber)).toEqual([numbers.warned]);
  });

  it("holds a customer's key to its own company", async () => {
    const own = await harness.get('/v1/reports/at-risk', other.token);
    expect(own.body.tickets.map(({ customerId }: { customerId: string }) => customerId)).toEqual([other.id]);
    expect((await harness.get(`/v1/reports/at-risk?customer=${customer.id}`, other.token)).status).toBe(403);
  });
});
