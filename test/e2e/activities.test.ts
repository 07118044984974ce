import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createActivities } from '../../activities/ticket-activities';
import type { BillingSummary, TicketState } from '../../contracts/ticket';
import { ticketWorkflowId } from '../../contracts/ticket';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { migratedPool } from './support';

jest.setTimeout(30_000);

// Activities are retried and replayed: each must leave PostgreSQL as if it had run once.
describe('ticket activities on PostgreSQL', () => {
  let db: Pool;
  let ticket: TicketState;
  let env: MockActivityEnvironment;

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await db?.end();
  });

  beforeEach(async () => {
    const ticketNumber = await ticketNumberAllocator(db)();
    env = new MockActivityEnvironment({ workflowExecution: { workflowId: ticketWorkflowId(ticketNumber), runId: 'run-1' } });
    ticket = {
      ticketNumber,
      customerId: 'acme',
      policyId: 'econnect-maintenance',
      kind: 'request',
      priority: 'P4',
      title: 'New mailbox',
      description: 'Please create a mailbox for our new colleague.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
      status: 'request',
      revision: 1,
      openedAt: Date.parse('2026-03-02T08:45:00Z'),
      priorityConfirmed: false,
      clocks: [],
      slaBreached: false,
      thresholdGeneration: 1,
      notifiedThresholds: [],
      timeEntries: [],
      events: [],
    };
  });

  const activities = () => createActivities({ db });
  const count = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ticket_number = $1`, [ticket.ticketNumber])).rows[0]!.n);

  it('acknowledgement: one ticket row and one e-mail, however often it runs', async () => {
    const { acknowledgeTicket } = activities();
    await env.run(acknowledgeTicket, ticket);
    await env.run(acknowledgeTicket, ticket);
    const rows = await db.query('SELECT status, opened_at FROM tickets WHERE number = $1', [ticket.ticketNumber]);
    expect(rows.rows).toEqual([{ status: 'request', opened_at: new Date('2026-03-02T08:45:00Z') }]);
    expect(await count('outbox')).toBe(1);
  });

  it('the read model never goes back to an older revision', async () => {
    const { acknowledgeTicket, recordTicketState } = activities();
    await env.run(acknowledgeTicket, ticket);
    await env.run(recordTicketState, { ...ticket, status: 'support' as const, assignee: 'marc', revision: 3 });
    await env.run(recordTicketState, { ...ticket, status: 'acknowledgement' as const, revision: 2 });
    const rows = await db.query('SELECT status, assignee, revision FROM tickets WHERE number = $1', [ticket.ticketNumber]);
    expect(rows.rows).toEqual([{ status: 'support', assignee: 'marc', revision: 3 }]);
  });

  it('billing: one line at the policy rate, by the started minute, however often it runs', async () => {
    const { acknowledgeTicket, billTicket } = activities();
    await env.run(acknowledgeTicket, ticket);
    const worked = { agent: 'marc', start: Date.parse('2026-03-02T09:00:00Z'), end: Date.parse('2026-03-02T10:35:00Z'), onSite: false };
    const closed = { ...ticket, status: 'closed' as const, timeEntries: [worked], revision: 5 };
    const first: BillingSummary = await env.run(billTicket, closed);
    const retried = await env.run(billTicket, closed);
    // 95 started minutes at 95 EUR/h (the maintenance contract's 5% off): 150.416… EUR, rounded to the cent.
    expect(first.totalCents).toBe(15_042);
    expect(first.lines.map(({ minutes, rateCents, amountCents }) => ({ minutes, rateCents, amountCents }))).toEqual([{ minutes: 95, rateCents: 9_500, amountCents: 15_042 }]);
    expect(retried).toEqual(first);
    expect(await count('billing_lines')).toBe(first.lines.length);
  });

  it('an emergency carries the policy fee; work outside the contract is billed at its accepted quote', async () => {
    const { acknowledgeTicket, billTicket } = activities();
    await env.run(acknowledgeTicket, ticket);
    const emergency: BillingSummary = await env.run(billTicket, { ...ticket, policyId: 'econnect', channel: 'emergency' as const, status: 'closed' as const });
    // e-connect: 150 EUR charged at opening, nothing else logged.
    expect(emergency.lines.map(({ minutes, amountCents }) => ({ minutes, amountCents }))).toEqual([{ minutes: 0, amountCents: 15_000 }]);
    expect(emergency.totalCents).toBe(15_000);

    const excluded = { ...ticket, ticketNumber: ticket.ticketNumber, scope: 'excluded' as const, quote: { status: 'accepted' as const, reason: 'excluded-work' as const, amountCents: 25_000 } };
    const quoted: BillingSummary = await new MockActivityEnvironment({ workflowExecution: { workflowId: `${ticketWorkflowId(ticket.ticketNumber)}-excluded`, runId: 'run-1' } }).run(billTicket, excluded);
    expect(quoted).toEqual({ lines: [{ description: 'work outside the contract, per the accepted quote', minutes: 0, rateCents: 25_000, multiplier: 1, amountCents: 25_000 }], totalCents: 25_000 });
  });
});
