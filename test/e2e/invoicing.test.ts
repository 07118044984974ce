import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createInvoicingActivities } from '../../activities/invoicing';
import { INVOICING_SCHEDULE_IDS, invoicingProgressQuery, type InvoicingInput } from '../../messages/invoicing';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { ensureInvoicingSchedules } from '../../worker/invoicing-schedule';
import { invoicingWorkflow } from '../../workflows';
import { type Stack, startStack } from '../support/e2e/stack';

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

  async function lineOf(
    ticketNumber: string,
    customerId: string,
    minutes: number,
    amountCents: number,
    createdAt = '2020-02-10T10:00:00+01:00',
  ): Promise<void> {
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
       VALUES ($1, $2, $3, $4, $5, 10000, 1.5, $6, $7)`,
      [randomUUID(), ticketNumber, customerId, `${ticketNumber}: remote assistance`, minutes, amountCents, createdAt],
    );
  }

  async function contractOf(
    customerId: string,
    policyId: string,
    startsOn: string,
    endsOn: string | null,
    invoicingFrequency = 'quarterly',
  ): Promise<void> {
    await db.query('INSERT INTO customers (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [customerId]);
    await db.query(
      'INSERT INTO contracts (customer_id, policy_id, starts_on, ends_on, invoicing_frequency) VALUES ($1, $2, $3, $4, $5)',
      [customerId, policyId, startsOn, endsOn, invoicingFrequency],
    );
  }

  const runInvoicing = (period: InvoicingInput) =>
    temporal.workflow.execute(invoicingWorkflow, {
      taskQueue,
      workflowId: `invoicing-e2e-${randomUUID()}`,
      args: [period],
    });

  const invoicesOf = async (customerId: string) =>
    (await db.query('SELECT id, number, total_cents, html FROM invoices WHERE customer_id = $1', [customerId])).rows;

  it('invoices each customer once for a period, gapless, with its lines billed and shown in the HTML', async () => {
    const acme = `acme-${randomUUID()}`;
    const globex = `globex-${randomUUID()}`;
    const acmeTicket = await ticketOf(acme, 'econnect');
    await lineOf(acmeTicket, acme, 37, 9251);
    await lineOf(acmeTicket, acme, 15, 3750, '2019-12-30T10:00:00+01:00');
    await contractOf(globex, 'mixvoip-standard', '2019-06-01', '2020-03-31');
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
    expect(first.invoiceNumbers[0]).toMatch(/^INV-\d{4}-\d{6}$/);
    // Gapless in the year's sequence, which the invoices other e2e files issue meanwhile share: the run's numbers need
    // not follow each other, but every number from its first to its last is an invoice's (a number is taken under the
    // counter's lock until its invoice commits, so none between them is still to come).
    const [lowest, highest] = [first.invoiceNumbers.at(0)!, first.invoiceNumbers.at(-1)!];
    const between = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM invoices WHERE number BETWEEN $1 AND $2',
      [lowest, highest],
    );
    expect(between.rows[0]!.n).toBe(Number(highest.slice(-6)) - Number(lowest.slice(-6)) + 1);

    expect(Number(acmeInvoice.total_cents)).toBe(9251 + 3750);
    // Three monthly fees of the Mixvoip Standard contract (58 EUR) beside the quarter's one line.
    expect(Number(globexInvoice.total_cents)).toBe(11250 + 3 * 5800);
    const billed = await db.query(
      'SELECT customer_id, minutes, invoice_id FROM billing_lines WHERE customer_id IN ($1, $2) ORDER BY id',
      [acme, globex],
    );
    expect(billed.rows).toEqual([
      { customer_id: acme, minutes: 37, invoice_id: acmeInvoice.id },
      { customer_id: acme, minutes: 15, invoice_id: acmeInvoice.id },
      { customer_id: globex, minutes: 45, invoice_id: globexInvoice.id },
      { customer_id: globex, minutes: 60, invoice_id: null },
    ]);
    expect(acmeInvoice.html).toContain(acmeTicket);
    expect(acmeInvoice.html).toContain(
      '<td class="num">0 h 37 min</td><td class="num">100.00 EUR/h ×1.5</td><td class="num">92.51 EUR</td>',
    );
    expect(acmeInvoice.html).toContain('130.01 EUR');
    expect(globexInvoice.html).toContain('Monthly contract fee');
    // The next quarter's line has served its purpose; the next test wants a period with nothing new.
    await db.query('DELETE FROM billing_lines WHERE customer_id = $1 AND invoice_id IS NULL', [globex]);
  });

  it('makes no invoice for a period without new lines, and reports its progress through the Query', async () => {
    const handle = await temporal.workflow.start(invoicingWorkflow, {
      taskQueue,
      workflowId: `invoicing-e2e-${randomUUID()}`,
      args: [Q2_2020],
    });
    await handle.result();
    const progress = await handle.query(invoicingProgressQuery);
    expect(progress).toMatchObject({ phase: 'done', period: Q2_2020, invoiceNumbers: [] });
    expect(progress.customersDone).toBe(progress.customersTotal);
  });

  it('refuses a period that is not one, for good', async () => {
    await expect(runInvoicing({ periodStart: '2020-04-01', periodEnd: '2020-03-31' })).rejects.toThrow(
      /workflow execution failed/i,
    );
  });

  it('claims thousands of lines in batches, heartbeating the count, in one invoice', async () => {
    const initech = `initech-${randomUUID()}`;
    const ticket = await ticketOf(initech, 'econnect');
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, amount_cents, created_at)
       SELECT $1 || n, $2, $3, 'work ' || n, 1, 10000, 167, '2020-05-05T10:00:00+02:00' FROM generate_series(1, 2500) AS n`,
      [`${initech}:`, ticket, initech],
    );
    const env = new MockActivityEnvironment({
      workflowExecution: { workflowId: `invoicing-${initech}`, runId: 'run-1' },
    });
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

    const list = await fetch(`${baseUrl}/invoices?customer=${umbrella}`, { headers: stack.auth('admin') });
    expect(await list.json()).toEqual({
      // No invoicing identity on record: the customer is taken to be in the desk's country (Luxembourg, 17 %).
      invoices: [
        {
          number,
          customerId: umbrella,
          periodStart: '2020-07-01',
          periodEnd: '2020-09-30',
          totalCents: 5000,
          vatCents: 850,
          grossCents: 5850,
          issuedAt: expect.any(String),
          links: expect.objectContaining({
            self: `/v1/invoices/${number}`,
            html: `/v1/invoices/${number}/html`,
            pdf: `/v1/invoices/${number}/pdf`,
          }),
        },
      ],
    });
    const detail = await fetch(`${baseUrl}/invoices/${number}`, { headers: stack.auth('admin') });
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as any).lines).toEqual([
      {
        ticketNumber: ticket,
        description: `${ticket}: remote assistance`,
        minutes: 20,
        rateCents: 10000,
        multiplier: 1.5,
        amountCents: 5000,
      },
    ]);
    const html = await fetch(`${baseUrl}/invoices/${number}/html`, { headers: stack.auth('admin') });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain(ticket);
    expect(page).toContain('<td class="num">0 h 20 min</td>');
    const pdf = await fetch(`${baseUrl}/invoices/${number}/pdf`, { headers: stack.auth('admin') });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const document = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(document.startsWith('%PDF-')).toBe(true);
    expect(document.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(document).toMatch(/\/Type \/Page\b/);
    expect((await fetch(`${baseUrl}/invoices/INV-1999-999999/pdf`, { headers: stack.auth('admin') })).status).toBe(404);

    const missing = await fetch(`${baseUrl}/invoices/INV-1999-999999`, { headers: stack.auth('admin') });
    expect([missing.status, missing.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    const malformed = await fetch(`${baseUrl}/invoices/not-a-number`, { headers: stack.auth('admin') });
    expect(malformed.status).toBe(422);
  });

  it('invoices monthly customers in monthly runs only, fixed fees even without work, one per month in force', async () => {
    const monthly = `monthly-${randomUUID()}`;
    const feeOnly = `fee-only-${randomUUID()}`;
    await contractOf(monthly, 'tm-minimum', '2021-01-01', null, 'monthly');
    await lineOf(await ticketOf(monthly, 'tm-minimum'), monthly, 30, 5000, '2021-08-12T10:00:00+02:00');
    // A managed-IT contract that starts in August: its fee is due for August, not for July.
    await contractOf(feeOnly, 'mixvoip-bureau', '2021-08-15', null, 'monthly');
    const maintenance = `maintenance-${randomUUID()}`;
    await contractOf(maintenance, 'econnect-maintenance', '2021-01-01', null, 'monthly');
    const maintenanceTicket = await ticketOf(maintenance, 'econnect-maintenance');
    await lineOf(maintenanceTicket, maintenance, 90, 0, '2021-08-20T10:00:00+02:00');
    await db.query(
      `INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, ticket_number, description)
       SELECT id, minutes, $2 || minutes, ticket, 'movement' FROM contracts, (VALUES (600, NULL), (-90, $3)) AS movement (minutes, ticket)
       WHERE customer_id = $1`,
      [maintenance, `${maintenance}:`, maintenanceTicket],
    );

    const quarter = await runInvoicing({ periodStart: '2021-07-01', periodEnd: '2021-09-30' });
    expect(await invoicesOf(monthly)).toEqual([]);
    expect(await invoicesOf(feeOnly)).toEqual([]);

    const july = await runInvoicing({ periodStart: '2021-07-01', periodEnd: '2021-07-31', frequency: 'monthly' });
    const august = await runInvoicing({ periodStart: '2021-08-01', periodEnd: '2021-08-31', frequency: 'monthly' });
    expect(july.invoiceNumbers).toEqual([]);
    const [monthlyInvoice] = await invoicesOf(monthly);
    const [feeInvoice] = await invoicesOf(feeOnly);
    expect(august.invoiceNumbers).toEqual(expect.arrayContaining([monthlyInvoice.number, feeInvoice.number]));
    expect(quarter.invoiceNumbers).not.toContain(monthlyInvoice.number);
    expect(Number(monthlyInvoice.total_cents)).toBe(5000);
    expect(Number(feeInvoice.total_cents)).toBe(26_200);
    expect(feeInvoice.html).toContain('Monthly contract fee, Mixvoip Bureau support contract, 2021-08');
    // Prepaid hours: 600 bought, 90 drawn by the work invoiced: the invoice reports what is left.
    const [maintenanceInvoice] = await invoicesOf(maintenance);
    expect(Number(maintenanceInvoice.total_cents)).toBe(0);
    expect(maintenanceInvoice.html).toMatch(
      /Contract \d+: bought 10 h 00 min, used 1 h 30 min, expired 0 h 00 min, left 8 h 30 min/,
    );
  });

  it('keeps a monthly and a quarterly invoicing Schedule, at 02:00 Luxembourg time on the first day of the period', async () => {
    await ensureInvoicingSchedules(temporal, taskQueue);
    await ensureInvoicingSchedules(temporal, taskQueue);
    const quarterly = temporal.schedule.getHandle(INVOICING_SCHEDULE_IDS.quarterly);
    const monthly = temporal.schedule.getHandle(INVOICING_SCHEDULE_IDS.monthly);
    try {
      const schedule = await quarterly.describe();
      expect(schedule.spec.timezone).toBe('Europe/Luxembourg');
      expect(schedule.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'invoicingWorkflow',
        taskQueue,
        args: [{ frequency: 'quarterly' }],
      });
      const next = schedule.info.nextActionTimes[0]!;
      expect(next.getUTCDate()).toBe(1);
      expect([0, 3, 6, 9]).toContain(next.getUTCMonth());
      expect([0, 1]).toContain(next.getUTCHours());
      const everyMonth = await monthly.describe();
      expect(everyMonth.action).toMatchObject({ args: [{ frequency: 'monthly' }] });
      const [first, second] = everyMonth.info.nextActionTimes;
      expect((second!.getUTCMonth() - first!.getUTCMonth() + 12) % 12).toBe(1);
    } finally {
      await quarterly.delete();
      await monthly.delete();
    }
  });
});
