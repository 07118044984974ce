import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApp } from '../../api/app';
import { createInvoicingActivities, type CustomerPeriod, type IssuedInvoice } from '../../activities/invoicing';
import { createActivities } from '../../activities/ticket-activities';
import { acknowledgeTicket } from '../support/e2e/registration';
import { renderInvoicePdf } from '../../api/invoice-pdf';
import type { BillingSummary } from '../../messages/ticket';
import { pgAccountStore } from '../../db/accounts';
import { pgIdempotencyStore } from '../../db/idempotency';
import { invoiceReader } from '../../db/invoices';
import { prepaidLedger, type PrepaidAccount } from '../../db/prepaid';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { pgTicketSnapshots } from '../../db/ticket-snapshots';
import { migratedPool, ticketForActivities } from '../support/e2e/stack';

jest.setTimeout(60_000);

const Q1_2025 = { periodStart: '2025-01-01', periodEnd: '2025-03-31' };
const Q2_2025 = { periodStart: '2025-04-01', periodEnd: '2025-06-30' };
const Q4_2025 = { periodStart: '2025-10-01', periodEnd: '2025-12-31' };

// e-connect maintenance hours (the econnect-maintenance preset) through the real billing and invoicing activities on PostgreSQL.
// Hours bought "pour l'année en cours" are invoiced once at the hourly rate less 5%, and expire at the year's end.
describe('prepaid maintenance hours: invoiced once, valid for their year, expired as a movement', () => {
  let db: Pool;
  const customerId = `maintenance-${randomUUID().slice(0, 8)}`;
  let contractId: string;
  let app: FastifyInstance;
  let baseUrl: string;
  let customerToken: string;

  beforeAll(async () => {
    db = await migratedPool();
    // The statement and the invoice as the customer reads them: the real routes on a real socket, over the real
    // stores (no route used here reaches Temporal).
    const accounts = pgAccountStore(db);
    app = buildApp({
      temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      allocateTicketNumber: ticketNumberAllocator(db),
      accounts,
      idempotency: pgIdempotencyStore(db),
      snapshots: pgTicketSnapshots(db),
      prepaid: prepaidLedger(db),
      invoices: invoiceReader(db),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1`;
    await db.query("INSERT INTO customers (id, name) VALUES ($1, 'Maintenance SA')", [customerId]);
    const { rows } = await db.query<{ id: string }>(
      "INSERT INTO contracts (customer_id, policy_id, starts_on) VALUES ($1, 'econnect-maintenance', '2025-01-01') RETURNING id",
      [customerId],
    );
    contractId = rows[0]!.id;
    customerToken = (await accounts.createApiKey({ role: 'customer', customerId, label: 'maintenance customer' }))
      .token;
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${customerToken}` } });
    return { status: response.status, text: await response.text() };
  };

  // Each run is its own workflow, as each Schedule run is.
  const invoice = (period: typeof Q1_2025, run = randomUUID()): Promise<IssuedInvoice | null> =>
    new MockActivityEnvironment({ workflowExecution: { workflowId: `invoicing-${run}`, runId: 'run-1' } }).run(
      createInvoicingActivities({ db }).createInvoice,
      { customerId, ...period } satisfies CustomerPeriod,
    );
  const movements = async () =>
    (
      await db.query(
        'SELECT kind, minutes, year, created_at, invoice_id FROM prepaid_movements WHERE contract_id = $1 ORDER BY created_at, id',
        [contractId],
      )
    ).rows;

  /** Moves a movement written now to an instant of the past, as if it had been written then. */
  const backdate = (key: string, at: string) =>
    db.query(
      "UPDATE prepaid_movements SET created_at = $2, year = extract(year FROM $2::timestamptz AT TIME ZONE 'Europe/Luxembourg') WHERE idempotency_key = $1",
      [key, at],
    );

  it('bills a purchase on the next invoice at 95 EUR/h (100 EUR/h less 5%), once, and re-runs bill nothing more', async () => {
    await prepaidLedger(db).buy(contractId, {
      minutes: 600,
      description: '10 h for 2025',
      idempotencyKey: 'order-2025',
    });
    await backdate(`purchase:${contractId}:order-2025`, '2025-02-10T10:00:00+01:00');
    await db.query(
      "INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, ticket_number, description, created_at) VALUES ($1, -90, $2, 'VIG-2025-1', 'VIG-2025-1: printer', '2025-06-02T10:00:00+02:00')",
      [contractId, `${customerId}:draw-2025`],
    );

    const first = await invoice(Q1_2025);
    expect(first).toMatchObject({ totalCents: 95_000, created: true });
    expect(await invoice(Q1_2025)).toEqual({ ...first!, created: false });
    // The next quarter has nothing left to bill: the purchase was carried by Q1's invoice.
    expect(await invoice(Q2_2025)).toBeNull();

    const detail = await invoiceReader(db).find(first!.number);
    expect(detail!.lines).toEqual([
      {
        ticketNumber: null,
        description: `10 h maintenance hours for 2025, 100.00 EUR/h less 5% (contract ${contractId})`,
        minutes: 600,
        rateCents: 9500,
        multiplier: 1,
        amountCents: 95_000,
      },
    ]);
    const html = (await invoiceReader(db).html(first!.number))!.html;
    expect(html).toContain('10 h maintenance hours for 2025, 100.00 EUR/h less 5%');
    expect(html).toContain('950.00 EUR');
    const purchase = (await movements()).find((movement) => movement.kind === 'purchase');
    expect(purchase.invoice_id).not.toBeNull();
  });

  it('bills a purchase under a contract with its own rate at that rate, saying so', async () => {
    const ownCustomer = `maintenance-rate-${randomUUID().slice(0, 8)}`;
    await db.query("INSERT INTO customers (id, name) VALUES ($1, 'Own Rate SA')", [ownCustomer]);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO contracts (customer_id, policy_id, starts_on, rates) VALUES ($1, 'econnect-maintenance', '2025-01-01', '{"hourlyCents": 9025}') RETURNING id`,
      [ownCustomer],
    );
    const ownContract = rows[0]!.id;
    await prepaidLedger(db).buy(ownContract, {
      minutes: 120,
      description: '2 h for 2025',
      idempotencyKey: 'order-own-rate',
    });
    await db.query(
      "UPDATE prepaid_movements SET created_at = '2025-02-11T10:00:00+01:00', year = 2025 WHERE idempotency_key = $1",
      [`purchase:${ownContract}:order-own-rate`],
    );

    const issued: IssuedInvoice | null = await new MockActivityEnvironment({
      workflowExecution: { workflowId: `invoicing-${randomUUID()}`, runId: 'run-1' },
    }).run(createInvoicingActivities({ db }).createInvoice, {
      customerId: ownCustomer,
      ...Q1_2025,
    } satisfies CustomerPeriod);
    // 120 x 9025 / 60 = 18050: the contract's 90.25 EUR/h (95 EUR/h less 5%), not the policy's 95 EUR/h.
    expect(issued).toMatchObject({ totalCents: 18_050, created: true });
    expect((await invoiceReader(db).find(issued!.number))!.lines).toEqual([
      {
        ticketNumber: null,
        description: `2 h maintenance hours for 2025, 95.00 EUR/h less 5%, contract rate (contract ${ownContract})`,
        minutes: 120,
        rateCents: 9025,
        multiplier: 1,
        amountCents: 18_050,
      },
    ]);
  });

  it("never lets a ticket billed in a later year draw on last year's hours, whether or not they have expired yet", async () => {
    // Billed now (the machine's clock is in a later year than 2025): 2025's 510 minutes left are out of reach.
    const { ticket, env } = await ticketForActivities(
      db,
      {
        customerId,
        contractId,
        policyId: 'econnect-maintenance',
        kind: 'request',
        priority: 'P4',
        title: 'New mailbox',
        description: 'A mailbox.',
        contact: { name: 'Ana', email: 'ana@example.lu' },
      },
      Date.now(),
    );
    const { billTicket } = createActivities({ db });
    // One reading of the clock for both ends: two readings a millisecond apart made the entry a started minute longer.
    const workedUntil = Date.now() - 1_800_000;
    const closed = {
      ...ticket,
      status: 'closed' as const,
      timeEntries: [{ agent: 'marc', start: workedUntil - 1_800_000, end: workedUntil, onSite: false }],
    };
    await env.run(acknowledgeTicket(db), closed);
    const billed: BillingSummary = await env.run(billTicket, closed);
    expect(billed.lines.map(({ minutes, amountCents }) => ({ minutes, amountCents }))).toEqual([
      { minutes: 30, amountCents: 4750 },
    ]);
    expect((await movements()).filter((movement) => movement.kind === 'draw')).toHaveLength(1);
  });

  it('expires what 2025 left as a movement at its end, once, shown on the statement and on the invoice', async () => {
    // A ticket of November 2025 billed travel: the fourth quarter has an invoice, which reports the expiry.
    const { ticket, env } = await ticketForActivities(
      db,
      {
        customerId,
        contractId,
        policyId: 'econnect-maintenance',
        kind: 'request',
        priority: 'P4',
        title: 'On site',
        description: 'Server.',
        contact: { name: 'Ana', email: 'ana@example.lu' },
      },
      Date.parse('2025-11-12T09:00:00+01:00'),
    );
    await env.run(acknowledgeTicket(db), ticket);
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
       VALUES ($1, $2, $3, $2 || ': travel', 0, 4000, 1, 4000, '2025-11-12T10:00:00+01:00')`,
      [`${customerId}:travel`, ticket.ticketNumber, customerId],
    );
    const listed = await createInvoicingActivities({ db }).listCustomersToInvoice({
      ...Q4_2025,
      frequency: 'quarterly',
    });
    expect(listed).toContain(customerId);

    const fourth = await invoice(Q4_2025);
    expect(await invoice(Q4_2025)).toEqual({ ...fourth!, created: false });
    expect(fourth).toMatchObject({ totalCents: 4000, created: true });

    const expiries = (await movements()).filter((movement) => movement.kind === 'expiry');
    expect(expiries.map(({ minutes, year, created_at }) => ({ minutes, year, at: created_at.toISOString() }))).toEqual([
      { minutes: -510, year: 2025, at: '2025-12-31T23:00:00.000Z' },
    ]);

    const html = (await invoiceReader(db).html(fourth!.number))!.html;
    expect(html).toContain(
      `Contract ${contractId}: 8 h 30 min of the hours bought for 2025 unused, expired on 31 December 2025`,
    );
    const detail = await invoiceReader(db).find(fourth!.number);
    expect((await renderInvoicePdf(detail!)).subarray(0, 5).toString()).toBe('%PDF-');

    // The JSON reports what the HTML prints: the contract's statement and the expiry, from the invoice's document.
    const json = await get(`/invoices/${fourth!.number}`);
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text).prepaid).toEqual({
      statements: [
        {
          contractId,
          year: detail!.document!.prepaid[0]!.year,
          boughtMinutes: 600,
          usedMinutes: 90,
          expiredMinutes: 510,
          leftMinutes: 0,
        },
      ],
      expiries: [{ contractId, year: 2025, minutes: 510 }],
    });

    const page = await get(`/invoices/${fourth!.number}/html`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Prepaid hours</h2>');
    expect(page.text).toContain(
      `Contract ${contractId}: 8 h 30 min of the hours bought for 2025 unused, expired on 31 December 2025`,
    );
    const pdf = await fetch(`${baseUrl}/invoices/${fourth!.number}/pdf`, {
      headers: { authorization: `Bearer ${customerToken}` },
    });
    expect(pdf.status).toBe(200);

    const shown = await get(`/contracts/${contractId}/prepaid-hours`);
    expect(shown.status).toBe(200);
    const statement = JSON.parse(shown.text) as PrepaidAccount;
    expect(statement).toMatchObject({ boughtMinutes: 600, usedMinutes: 90, expiredMinutes: 510, balanceMinutes: 0 });
    expect(
      statement.movements.map(({ kind, minutes, year, at, invoiceNumber }) => ({
        kind,
        minutes,
        year,
        at,
        invoiceNumber,
      })),
    ).toEqual([
      {
        kind: 'purchase',
        minutes: 600,
        year: 2025,
        at: '2025-02-10T09:00:00.000Z',
        invoiceNumber: expect.stringMatching(/^INV-/),
      },
      { kind: 'draw', minutes: -90, year: 2025, at: '2025-06-02T08:00:00.000Z', invoiceNumber: null },
      { kind: 'expiry', minutes: -510, year: 2025, at: '2025-12-31T23:00:00.000Z', invoiceNumber: fourth!.number },
    ]);
    expect(statement.movements[2]!.description).toBe(
      "8 h 30 min of the maintenance hours for 2025 expired at the year's end",
    );
  });

  it("draws this year's hours, bought now, and shows them as this year's balance", async () => {
    const bought = await prepaidLedger(db).buy(contractId, {
      minutes: 60,
      description: '1 h',
      idempotencyKey: 'order-now',
    });
    // The year it counts in as the server recorded it, in the desk's zone: the desk's year begins an hour before UTC's.
    const boughtYear = bought!.movements.find((movement) => movement.description === '1 h')!.year;
    const { ticket, env } = await ticketForActivities(
      db,
      {
        customerId,
        contractId,
        policyId: 'econnect-maintenance',
        kind: 'request',
        priority: 'P4',
        title: 'Printer',
        description: 'Jammed.',
        contact: { name: 'Ana', email: 'ana@example.lu' },
      },
      Date.now(),
    );
    const { billTicket } = createActivities({ db });
    // One reading of the clock for both ends: two readings a millisecond apart made the entry a started minute longer.
    const workedUntil = Date.now() - 3_000_000;
    const closed = {
      ...ticket,
      status: 'closed' as const,
      timeEntries: [{ agent: 'marc', start: workedUntil - 600_000, end: workedUntil, onSite: false }],
    };
    await env.run(acknowledgeTicket(db), closed);
    const billed: BillingSummary = await env.run(billTicket, closed);
    expect(billed.totalCents).toBe(0);
    expect(await prepaidLedger(db).account(contractId)).toMatchObject({
      boughtMinutes: 660,
      usedMinutes: 100,
      expiredMinutes: 510,
      balanceMinutes: 50,
      balanceYear: boughtYear,
    });
  });
});
