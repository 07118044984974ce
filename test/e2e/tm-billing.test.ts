import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run';
import { ticketWorkflowId, type TicketState } from '../../messages/ticket';
import { type Stack, contractsStartOn, openTicket, startStack } from '../support/e2e/stack';

jest.setTimeout(90_000);

interface PricedByCli {
  lines: { description: string; minutes: number; rateCents: number; multiplier: number; amountCents: number }[];
  totalCents: number;
}

// The tm-minimum preset on a real ticket: the time entries carry the T&M flags through the API and the workflow to billing, the
// request's minimum is billed once, and the lines in PostgreSQL are the ones `vigil price` gives for the same entries.
describe('a time-and-materials ticket (tm-minimum), end to end', () => {
  let stack: Stack;
  let customerId: string;
  let customerToken: string;
  const contact = { name: 'Ana Lopes', email: 'ana@tm.lu' };

  beforeAll(async () => {
    stack = await startStack('tm-billing');
    customerId = `tm-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Tm Customer' });
    await stack.accounts.createContract({
      customerId,
      policyId: 'tm-minimum',
      startsOn: contractsStartOn(),
      authorizedContacts: [contact],
    });
    customerToken = (await stack.accounts.createApiKey({ role: 'customer', customerId, label: 'e2e tm customer' }))
      .token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const call: Stack['call'] = (...args) => stack.call(...args);

  /** What `vigil price --policy tm-minimum` gives for these entries, written as a person writes its entries file. */
  function pricedByCli(items: unknown[]): PricedByCli {
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-tm-e2e-')), 'entries.json');
    writeFileSync(file, JSON.stringify({ items }));
    const priced = runCli(['price', '--policy', 'tm-minimum', '--entries', file, '--json']);
    expect([priced.exitCode, priced.stderr]).toEqual([0, '']);
    return JSON.parse(priced.stdout) as PricedByCli;
  }

  /** The closed ticket's billing, and its lines in PostgreSQL under its number, are the ones the CLI gave. */
  async function expectBilledAsCli(number: string, closed: TicketState, cli: PricedByCli): Promise<void> {
    const { rows } = await stack.db.query(
      'SELECT description, minutes, rate_cents, multiplier, amount_cents FROM billing_lines WHERE ticket_number = $1 ORDER BY id',
      [number],
    );
    expect(
      rows.map((row) => ({
        description: row.description,
        minutes: row.minutes,
        rateCents: Number(row.rate_cents),
        multiplier: Number(row.multiplier),
        amountCents: Number(row.amount_cents),
      })),
    ).toEqual(cli.lines.map((line) => ({ ...line, description: `${number}: ${line.description}` })));
    expect(closed.billing).toEqual(cli);
  }

  it('two 5-minute entries, one with the remote tool missing: 60 minutes billed once, as vigil price bills the same entries', async () => {
    const number = await openTicket(stack, {
      customerId,
      priority: 'P3',
      title: 'Outlook will not start',
      description: 'Outlook closes at once on start.',
      contact,
    });
    expect((await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' })).status).toBe(200);

    const entries = [
      { start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T10:05:00+02:00', urgent: true },
      {
        start: '2026-05-13T14:00:00+02:00',
        end: '2026-05-13T14:05:00+02:00',
        remoteToolMissing: true,
        outOfHoursRequested: true,
      },
    ];
    for (const entry of entries) {
      const logged = await call('POST', `/tickets/${number}/time-entries`, { agent: 'marc', ...entry });
      expect([logged.status, logged.body.detail]).toEqual([200, undefined]);
    }
    const proposed = await call('POST', `/tickets/${number}/propose-resolution`, {
      agent: 'marc',
      resolution: 'Repaired the Outlook profile',
    });
    // Who logged the time is who is authenticated (the stack's agent key, test/support/e2e/stack.ts), not the body's `agent`.
    const agent = 'e2e tm-billing agent';
    expect(proposed.body.timeEntries).toEqual([
      { agent, start: '2026-05-13T08:00:00.000Z', end: '2026-05-13T08:05:00.000Z', onSite: false, urgent: true },
      {
        agent,
        start: '2026-05-13T12:00:00.000Z',
        end: '2026-05-13T12:05:00.000Z',
        onSite: false,
        remoteToolMissing: true,
        outOfHoursRequested: true,
      },
    ]);
    expect(
      (await call('POST', `/tickets/${number}/validate`, { contact: 'ana@tm.lu' }, { token: customerToken })).status,
    ).toBe(200);
    const final = (await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).result()) as TicketState;

    const cli = pricedByCli(entries);
    // Urgent: 5 x 10000 x 2 / 60 = 1666.67 -> 1667. The last one tops the request up to 60 minutes at x3:
    // 55 x 10000 x 3 / 60 = 27500. Not 15 + 60 minutes: the minimum is the request's, billed once.
    expect(cli).toEqual({
      lines: [
        {
          description: 'Intervention 1, 2026-05-13 10:00–10:05, urgent handling',
          minutes: 5,
          rateCents: 10_000,
          multiplier: 2,
          amountCents: 1667,
        },
        {
          description:
            'Intervention 2, 2026-05-13 14:00–14:05, remote-control tool installed first, out-of-hours intervention requested, request minimum 60 min: +50 min',
          minutes: 55,
          rateCents: 10_000,
          multiplier: 3,
          amountCents: 27_500,
        },
      ],
      totalCents: 29_167,
    });

    await expectBilledAsCli(number, final, cli);
  });

  it("propose-resolution's minutesWorked carries the same flags to billing, priced as vigil price prices that entry", async () => {
    const number = await openTicket(stack, {
      customerId,
      priority: 'P3',
      title: 'VPN drops every hour',
      description: 'The VPN client disconnects.',
      contact,
    });
    expect((await call('POST', `/tickets/${number}/take-charge`, {})).status).toBe(200);
    const logged = await call('POST', `/tickets/${number}/time-entries`, {
      start: '2026-05-13T10:00:00+02:00',
      end: '2026-05-13T10:05:00+02:00',
    });
    expect([logged.status, logged.body.detail]).toEqual([200, undefined]);

    // A flag alone qualifies no time: refused, naming it, and nothing changes.
    const flagOnly = await call('POST', `/tickets/${number}/propose-resolution`, {
      resolution: 'Reinstalled the VPN client',
      urgent: true,
    });
    expect([flagOnly.status, flagOnly.body.code]).toEqual([422, 'INVALID_ARGUMENT']);
    expect(flagOnly.body.detail).toContain('urgent');

    const proposed = await call('POST', `/tickets/${number}/propose-resolution`, {
      resolution: 'Reinstalled the VPN client',
      minutesWorked: 5,
      remoteToolMissing: true,
      urgent: true,
    });
    expect([proposed.status, proposed.body.detail]).toEqual([200, undefined]);
    const entries = proposed.body.timeEntries as Array<{
      agent: string;
      start: string;
      end: string;
      onSite: boolean;
      remoteToolMissing?: boolean;
      urgent?: boolean;
    }>;
    expect(entries).toHaveLength(2);
    const last = entries[1]!;
    expect(last).toEqual({
      agent: 'e2e tm-billing agent',
      start: expect.any(String),
      end: expect.any(String),
      onSite: false,
      remoteToolMissing: true,
      urgent: true,
    });
    expect(Date.parse(last.end) - Date.parse(last.start)).toBe(5 * 60_000);

    expect((await call('POST', `/tickets/${number}/validate`, {}, { token: customerToken })).status).toBe(200);
    const final = (await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).result()) as TicketState;

    // The same two entries, as a person would write them in vigil price's entries file.
    const cli = pricedByCli(entries.map(({ agent: _agent, ...entry }) => entry));
    // 5 minutes at 100 EUR/h; then the minutes worked, urgent (x2), topped up to the request's 60 minutes (the remote
    // tool was missing): 55 x 10000 x 2 / 60 = 18333.33 -> 18333.
    expect(cli.lines.map(({ minutes, multiplier, amountCents }) => ({ minutes, multiplier, amountCents }))).toEqual([
      { minutes: 5, multiplier: 1, amountCents: 833 },
      { minutes: 55, multiplier: 2, amountCents: 18_333 },
    ]);
    expect(cli.lines[1]!.description).toContain(
      'remote-control tool installed first, urgent handling, request minimum 60 min: +50 min',
    );

    await expectBilledAsCli(number, final, cli);
  });
});
