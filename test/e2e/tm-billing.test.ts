import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run';
import { ticketWorkflowId, type TicketState } from '../../messages/ticket';
import { type Stack, contractsStartOn, startStack } from './support';

jest.setTimeout(90_000);

interface CliLine {
  description: string;
  minutes: number;
  rateCents: number;
  multiplier: number;
  amountCents: number;
}

// Seed 001 on a real ticket: the time entries carry the T&M flags through the API and the workflow to billing, the
// request's minimum is billed once, and the lines in PostgreSQL are the ones `vigil price` gives for the same entries.
describe('a time-and-materials ticket (tm-minimum), end to end', () => {
  let stack: Stack;
  let customerId: string;
  let customerToken: string;

  beforeAll(async () => {
    stack = await startStack('tm-billing');
    customerId = `tm-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Tm Customer' });
    await stack.accounts.createContract({ customerId, policyId: 'tm-minimum', startsOn: contractsStartOn(), authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@tm.lu' }] });
    customerToken = (await stack.accounts.createApiKey({ role: 'customer', customerId, label: 'e2e tm customer' })).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const call: Stack['call'] = (...args) => stack.call(...args);

  it('two 5-minute entries, one with the remote tool missing: 60 minutes billed once, as vigil price bills the same entries', async () => {
    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P3',
      title: 'Outlook will not start',
      description: 'Outlook closes at once on start.',
      contact: { name: 'Ana Lopes', email: 'ana@tm.lu' },
    });
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    expect((await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' })).status).toBe(200);

    const entries = [
      { start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T10:05:00+02:00', urgent: true },
      { start: '2026-05-13T14:00:00+02:00', end: '2026-05-13T14:05:00+02:00', remoteToolMissing: true, outOfHoursRequested: true },
    ];
    for (const entry of entries) {
      const logged = await call('POST', `/tickets/${number}/time-entries`, { agent: 'marc', ...entry });
      expect([logged.status, logged.body.detail]).toEqual([200, undefined]);
    }
    const proposed = await call('POST', `/tickets/${number}/propose-resolution`, { agent: 'marc', resolution: 'Repaired the Outlook profile' });
    // Who logged the time is who is authenticated (the stack's agent key, test/e2e/support.ts), not the body's `agent`.
    const agent = 'e2e tm-billing agent';
    expect(proposed.body.timeEntries).toEqual([
      { agent, start: '2026-05-13T08:00:00.000Z', end: '2026-05-13T08:05:00.000Z', onSite: false, urgent: true },
      { agent, start: '2026-05-13T12:00:00.000Z', end: '2026-05-13T12:05:00.000Z', onSite: false, remoteToolMissing: true, outOfHoursRequested: true },
    ]);
    expect((await call('POST', `/tickets/${number}/validate`, { contact: 'ana@tm.lu' }, { token: customerToken })).status).toBe(200);
    const final = await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).result() as TicketState;

    const dir = mkdtempSync(join(tmpdir(), 'vigil-tm-e2e-'));
    const file = join(dir, 'entries.json');
    writeFileSync(file, JSON.stringify({ items: entries }));
    const priced = runCli(['price', '--policy', 'tm-minimum', '--entries', file, '--json']);
    expect([priced.exitCode, priced.stderr]).toEqual([0, '']);
    const cli = JSON.parse(priced.stdout) as { lines: CliLine[]; totalCents: number };
    // Urgent: 5 x 10000 x 2 / 60 = 1666.67 -> 1667. The last one tops the request up to 60 minutes at x3:
    // 55 x 10000 x 3 / 60 = 27500. Not 15 + 60 minutes: the minimum is the request's, billed once.
    expect(cli).toEqual({
      lines: [
        { description: 'Intervention 1, 2026-05-13 10:00–10:05, urgent handling', minutes: 5, rateCents: 10_000, multiplier: 2, amountCents: 1667 },
        {
          description: 'Intervention 2, 2026-05-13 14:00–14:05, remote-control tool installed first, out-of-hours intervention requested, request minimum 60 min: +50 min',
          minutes: 55,
          rateCents: 10_000,
          multiplier: 3,
          amountCents: 27_500,
        },
      ],
      totalCents: 29_167,
    });

    const { rows } = await stack.db.query('SELECT description, minutes, rate_cents, multiplier, amount_cents FROM billing_lines WHERE ticket_number = $1 ORDER BY id', [number]);
    expect(rows.map((row) => ({
      description: row.description,
      minutes: row.minutes,
      rateCents: Number(row.rate_cents),
      multiplier: Number(row.multiplier),
      amountCents: Number(row.amount_cents),
    }))).toEqual(cli.lines.map((line) => ({ ...line, description: `${number}: ${line.description}` })));
    expect(final.billing).toEqual(cli);
  });
});
