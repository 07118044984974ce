import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createInvoicingActivities } from '../../activities/invoicing';
import { INVOICING_SCHEDULE_ID, invoicingProgressQuery } from '../../contracts/invoicing';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { ensureInvoicingSchedule } from '../../worker/invoicing-schedule';
import { invoicingWorkflow } from '../../workflows';
import { type Stack, startStack } from './support';

jest.setTimeout(60_000);

const Q1_2020 = { periodStart: '2020-01-01', periodEnd: '2020-03-31' };
const Q2_2020 = { periodStart: '2020-04-01', periodEnd: '2020-06-30' };

// Invoicing on the real PostgreSQL and Temporal: tickets and billing lines are written directly, as billTicket would.
describe('invoicing, end to end', () => {
  let stack: Stack;
  let db: Pool;
  let temporal: Client;
  let baseUrl: string;
  let taskQueue: string;

  beforeAll(async () => {
    stack = await startStack('invoicing');
    ({ db, temporal, baseUrl, taskQueue } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function ticketOf(customerId: string, policyId: string): Promise<string> {
    const number = await ticketNumberAllocator(db)();
    await db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
       VALUES ($1, $2, $3, $4, 'incident', 'P3', 'closed', 'Printer down', 'ana@example.lu', '2020-02-03T09:00:00+01:00', 1, '{}')`,
      [number, `ticket-${number}`, customerId, policyId],
    );
    return number;
  }

  async function lineOf(ticketNumber: string, customerId: string, minutes: number, amountCents: number, createdAt = '2020-02-10T10:00:00+01:00'): Promise<void> {
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
       VALUES ($1, $2, $3, $4, $5, 10000, 1.5, $6, $7)`,
      [randomUUID(), ticketNumber, customerId, `${ticketNumber}: remote assistance`, minutes, amountCents, createdAt],
    );
  }

  const runInvoicing = (period: typeof Q1_2020) =>
    temporal.workflow.execute(invoicingWorkflow, { taskQueue, workflowId: `invoicing-e2e-${randomUUID()}`, args: [period] });

  const invoicesOf = async (customerId: string) =>
    (await db.query('SELECT id, number, total_cents, html FROM invoices WHERE customer_id = $1', [customerId])).rows;

  it('invoices each customer once for a period, gapless, with its lines billed and shown in the HTML', async () => {
    const acme = `acme-${randomUUID()}`;
    const globex = `globex-${randomUUID()}`;
    const acmeTicket = await ticketOf(acme, 'econnect');
    await lineOf(acmeTicket, acme, 37, 9251);
    await lineOf(acmeTicket, acme, 15, 3750, '2019-12-30T10:00:00+01:00');
    const globexTicket = await ticketOf(globex, 'mixvoip-standard');
    await lineOf(globexTicket, globex, 45, 11250);
    // Written after the period's last day in Luxembourg (23:30 UTC on 31 March is 1 April there): next period's.
    await lineOf(globexTicket, globex, 60, 15000, '2020-03-31T23:30:00Z');

    const first = await runInvoicing(Q1_2020);
    const second = await runInvoicing(Q1_2020);

    expect(second).toEqual({ ...Q1_2020, invoiceNumbers: [] });
    const [acmeInvoice, ...moreAcme] = await invoicesOf(acme);
    const [globexInvoice, ...moreGlobex] = await invoicesOf(globex);
    expect([moreAcme, moreGlobex]).toEqual([[], []]);
    expect(first.invoiceNumbers).toEqual(expect.arrayContaining([acmeInvoice.number, globexInvoice.number]));
    const sequence = first.invoiceNumbers.map((number) => Number(number.slice(-6)));
    expect(sequence).toEqual(sequence.map((_, index) => sequence[0]! + index));
    expect(first.invoiceNumbers[0]).toMatch(/^INV-\d{4}-\d{6}$/);

    expect(Number(acmeInvoice.total_cents)).toBe(9251 + 3750);
    // Three monthly fees of the Mixvoip Standard contract (58 EUR) beside the quarter's one line.
    expect(Number(globexInvoice.total_cents)).toBe(11250 + 3 * 5800);
    const billed = await db.query('SELECT customer_id, minutes, invoice_id FROM billing_lines WHERE customer_id IN ($1, $2) ORDER BY id', [acme, globex]);
    expect(billed.rows).toEqual([
      { customer_id: acme, minutes: 37, invoice_id: acmeInvoice.id },
      { customer_id: acme, minutes: 15, invoice_id: acmeInvoice.id },
      { customer_id: globex, minutes: 45, invoice_id: globexInvoice.id },
      { customer_id: globex, minutes: 60, invoice_id: null },
    ]);
    expect(acmeInvoice.html).toContain(acmeTicket);
    expect(acmeInvoice.html).toMatch(/<td class="num">37<\/td><td class="num">100.00 EUR\/h<\/td><td class="num">×1.5<\/td><td class="num">92.51 EUR<\/td>/);
    expect(acmeInvoice.html).toContain('130.01 EUR');
    expect(globexInvoice.html).toContain('Monthly contract fee');
    // The next quarter's line has served its purpose; the next test wants a period with nothing new.
    await db.query('DELETE FROM billing_lines WHERE customer_id = $1 AND invoice_id IS NULL', [globex]);
  });

  it('makes no invoice for a period without new lines, and reports its progress through the Query', async () => {
    const handle = await temporal.workflow.start(invoicingWorkflow, { taskQueue, workflowId: `invoicing-e2e-${randomUUID()}`, args: [Q2_2020] });
    await handle.result();
    const progress = await handle.query(invoicingProgressQuery);
    expect(progress).toMatchObject({ phase: 'done', period: Q2_2020, invoiceNumbers: [] });
    expect(progress.customersDone).toBe(progress.customersTotal);
  });

  it('refuses a period that is not one, for good', async () => {
    await expect(runInvoicing({ periodStart: '2020-04-01', periodEnd: '2020-03-31' })).rejects.toThrow(/workflow execution failed/i);
  });

  it('claims thousands of lines in batches, heartbeating the count, in one invoice', async () => {
    const initech = `initech-${randomUUID()}`;
    const ticket = await ticketOf(initech, 'econnect');
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, amount_cents, created_at)
       SELECT $1 || n, $2, $3, 'work ' || n, 1, 10000, 167, '2020-05-05T10:00:00+02:00' FROM generate_series(1, 2500) AS n`,
      [`${initech}:`, ticket, initech],
    );
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: `invoicing-${initech}`, runId: 'run-1' } });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const { createInvoice } = createInvoicingActivities({ db, batchSize: 1000 });

    const invoice = await env.run(createInvoice, { customerId: initech, ...Q2_2020 });
    const again = await env.run(createInvoice, { customerId: initech, ...Q2_2020 });

    expect(invoice).toMatchObject({ totalCents: 2500 * 167, created: true });
    expect(again).toEqual({ ...invoice!, created: false });
    expect(heartbeats).toEqual([1000, 2000, 2500].map((linesInvoiced) => ({ customerId: initech, linesInvoiced })));
  });

  it('serves the invoice as JSON and HTML through the API, and 404 for an unknown number', async () => {
    const umbrella = `umbrella-${randomUUID()}`;
    const ticket = await ticketOf(umbrella, 'econnect');
    await lineOf(ticket, umbrella, 20, 5000, '2020-08-01T10:00:00+02:00');
    const { invoiceNumbers } = await runInvoicing({ periodStart: '2020-07-01', periodEnd: '2020-09-30' });
    const [number] = (await invoicesOf(umbrella)).map((invoice) => invoice.number as string);
    expect(invoiceNumbers).toContain(number);

    const list = await fetch(`${baseUrl}/invoices?customer=${umbrella}`);
    expect(await list.json()).toEqual({
      invoices: [{ number, customerId: umbrella, periodStart: '2020-07-01', periodEnd: '2020-09-30', totalCents: 5000, issuedAt: expect.any(String), links: { self: `/v1/invoices/${number}`, html: `/v1/invoices/${number}/html`, pdf: `/v1/invoices/${number}/pdf` } }],
    });
    const detail = await fetch(`${baseUrl}/invoices/${number}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as any).lines).toEqual([{ ticketNumber: ticket, description: `${ticket}: remote assistance`, minutes: 20, rateCents: 10000, multiplier: 1.5, amountCents: 5000 }]);
    const html = await fetch(`${baseUrl}/invoices/${number}/html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain(ticket);
    expect(page).toContain('<td class="num">20</td>');
    const pdf = await fetch(`${baseUrl}/invoices/${number}/pdf`);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const document = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(document.startsWith('%PDF-')).toBe(true);
    expect(document.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(document).toMatch(/\/Type \/Page\b/);
    expect((await fetch(`${baseUrl}/invoices/INV-1999-999999/pdf`)).status).toBe(404);

    const missing = await fetch(`${baseUrl}/invoices/INV-1999-999999`);
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/problem+json; charset=utf-8']);
    const malformed = await fetch(`${baseUrl}/invoices/not-a-number`);
    expect(malformed.status).toBe(422);
  });

  it('keeps one quarterly invoicing Schedule, at 02:00 Luxembourg time on the first day of each quarter', async () => {
    await ensureInvoicingSchedule(temporal, taskQueue);
    await ensureInvoicingSchedule(temporal, taskQueue);
    const handle = temporal.schedule.getHandle(INVOICING_SCHEDULE_ID);
    try {
      const schedule = await handle.describe();
      expect(schedule.spec.timezone).toBe('Europe/Luxembourg');
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'invoicingWorkflow', taskQueue });
      const next = schedule.info.nextActionTimes[0]!;
      expect(next.getUTCDate()).toBe(1);
      expect([0, 3, 6, 9]).toContain(next.getUTCMonth());
      expect([0, 1]).toContain(next.getUTCHours());
    } finally {
      await handle.delete();
    }
  });
});
