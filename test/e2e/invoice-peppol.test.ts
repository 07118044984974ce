import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createInvoicingActivities, type IssuedInvoice } from '../../activities/invoicing';
import { runVigil } from '../../cli/run';
import { pgAccountStore } from '../../db/accounts';
import { invoiceReader } from '../../db/invoices';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { peppolUbl } from '../../infra/e-invoice';
import { e2eEnv, migratedPool } from '../support/e2e/stack';

/** A local stand-in for a Peppol access point: answers as told, keeps what it was sent. */
function fakeAccessPoint() {
  const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  let answer = { status: 202, body: '{"messageId":"ap-0001"}' };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  return {
    received,
    answer: (status: number, body: string) => (answer = { status, body }),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/documents`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('vigil invoices send, through a Peppol access point', () => {
  let db: Pool;
  let invoice: IssuedInvoice;
  const accessPoint = fakeAccessPoint();
  let env: NodeJS.ProcessEnv;
  const customerId = `peppol-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    db = await migratedPool();
    env = {
      DATABASE_URL: e2eEnv().databaseUrl,
      VIGIL_PEPPOL_URL: await accessPoint.listen(),
      VIGIL_PEPPOL_API_KEY: 'ap-secret',
    };
    await pgAccountStore(db).createCustomer({
      id: customerId,
      name: 'Brasserie',
      billing: {
        legalName: 'Brasserie NV',
        street: 'Grote Markt 1',
        postalCode: '1000',
        city: 'Brussel',
        country: 'BE',
        vatNumber: 'BE0403170701',
        email: 'facturen@brasserie.be',
      },
    });
    const number = await ticketNumberAllocator(db)();
    await db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
       VALUES ($1, $2, $3, 'econnect', 'incident', 'P3', 'closed', 'Printer down', 'ana@example.be', '2031-11-04T09:00:00+01:00', 1, '{}')`,
      [number, `ticket-${number}`, customerId],
    );
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
       VALUES ($1, $2, $3, 'remote assistance', 30, 10000, 1, 5000, '2031-11-05T10:00:00+01:00')`,
      [randomUUID(), number, customerId],
    );
    const issued = await new MockActivityEnvironment({
      workflowExecution: { workflowId: `invoicing-${randomUUID()}`, runId: 'run-1' },
    }).run(
      createInvoicingActivities({ db }).createInvoice,
      // A quarter after every period other test files invoice (the e2e database is shared: see invoice-countries).
      { customerId, periodStart: '2031-10-01', periodEnd: '2031-12-31' },
    );
    invoice = issued as IssuedInvoice;
  });

  afterAll(async () => {
    await accessPoint.close();
    await db?.end();
  });

  it("posts the invoice's UBL with the key, addressed to the customer's Peppol identifier, and says the message id", async () => {
    expect(await runVigil(['invoices', 'send', '--number', invoice.number], env)).toEqual({
      exitCode: 0,
      stdout: `sent ${invoice.number} over Peppol: message ap-0001\n`,
      stderr: '',
    });
    const [sent] = accessPoint.received.splice(0);
    expect(sent!.headers).toMatchObject({
      authorization: 'Bearer ap-secret',
      'content-type': 'application/xml',
      'x-peppol-receiver': '0208:0403170701',
      'x-document-number': invoice.number,
    });
    const { document } = (await invoiceReader(db).find(invoice.number))!;
    expect(sent!.body).toEqual((await peppolUbl(document!)).body);
  });

  it('exits 1 when the access point is away (try again later), 2 when it refuses or is not configured', async () => {
    accessPoint.answer(503, 'maintenance');
    expect(await runVigil(['invoices', 'send', '--number', invoice.number], env)).toMatchObject({
      exitCode: 1,
      stderr: 'vigil: the Peppol access point answered 503: maintenance\n',
    });
    accessPoint.answer(400, '{"error":"unknown receiver"}');
    expect(await runVigil(['invoices', 'send', '--number', invoice.number], env)).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('refused'),
    });
    expect(
      await runVigil(['invoices', 'send', '--number', invoice.number], { DATABASE_URL: env.DATABASE_URL }),
    ).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining('VIGIL_PEPPOL_URL and VIGIL_PEPPOL_API_KEY are not set'),
    });
    expect(
      await runVigil(['invoices', 'send', '--number', invoice.number], { ...env, VIGIL_PEPPOL_API_KEY: '' }),
    ).toMatchObject({
      exitCode: 2,
      stderr: 'vigil: VIGIL_PEPPOL_API_KEY is not set: the access point at VIGIL_PEPPOL_URL needs it\n',
    });
  });
});
