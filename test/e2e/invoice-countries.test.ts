import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createInvoicingActivities, type IssuedInvoice } from '../../activities/invoicing';
import { runVigil } from '../../cli/run';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { brokenRules, validateEInvoices } from '../invoicing/support/mustang';
import { e2eEnv, type Stack, startStack } from './support';

// The Mustang validator runs veraPDF and the EN 16931 schematrons in a JVM: tens of seconds under load.
jest.setTimeout(240_000);

// A quarter after every period other test files invoice: the e2e database is shared, and lines of these customers
// still unbilled while another file's invoicing run sweeps its period must not fall in it.
const Q4_2031 = { periodStart: '2031-10-01', periodEnd: '2031-12-31' };
const POISON = `<img src=x onerror=alert(1)> & "Ünïcødé" 東京`;

/**
 * A Belgian, a French and a Luxembourgish customer each get an invoice through the real stack: their identities set
 * by the admin API and the CLI, their tickets billed, the invoicing activity run on PostgreSQL (for these customers
 * only: the database is shared with other test files), and everything read back through the API, then validated.
 */
describe('invoices for a Belgian, a French and a Luxembourgish customer', () => {
  let stack: Stack;
  let db: Pool;
  const run = randomUUID().slice(0, 8);
  const ids = { BE: `be-${run}`, FR: `fr-${run}`, LU: `lu-${run}` };
  const issued: Record<string, IssuedInvoice> = {};
  const tickets: Record<string, string> = {};

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.baseUrl}${path}`, { ...init, headers: { ...stack.auth('admin'), 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    stack = await startStack('invoice-countries');
    db = stack.db;
    // Belgium: identity given when the customer is added, in Dutch.
    const belgian = await api('/admin/customers', {
      method: 'POST',
      body: JSON.stringify({ id: ids.BE, name: 'Brasserie', language: 'nl', billing: { legalName: `Brasserie ${POISON} NV`, street: 'Grote Markt 1', postalCode: '1000', city: 'Brussel', country: 'BE', vatNumber: 'BE 0403.170.701', email: 'facturen@brasserie.be' } }),
    });
    expect(belgian.status).toBe(201);
    // France: added bare, its identity set by the CLI.
    expect((await api('/admin/customers', { method: 'POST', body: JSON.stringify({ id: ids.FR, name: 'Atelier', language: 'fr' }) })).status).toBe(201);
    const cli = await runVigil(
      ['admin', 'customers', 'update', '--id', ids.FR, '--legal-name', 'Atelier Lumière SARL', '--street', '8 rue de Rivoli', '--postal-code', '75004', '--city', 'Paris', '--country', 'FR', '--vat-number', 'FR40303265045', '--invoice-email', 'compta@atelier.fr'],
      { DATABASE_URL: e2eEnv().databaseUrl },
    );
    expect(cli).toMatchObject({ exitCode: 0, stdout: `updated customer ${ids.FR}: invoices to Atelier Lumière SARL, FR\n` });
    // Luxembourg: identity set by PATCH; Luxembourgish speakers are invoiced in French.
    expect((await api('/admin/customers', { method: 'POST', body: JSON.stringify({ id: ids.LU, name: 'Acme', language: 'lb' }) })).status).toBe(201);
    const patched = await api(`/admin/customers/${ids.LU}`, {
      method: 'PATCH',
      body: JSON.stringify({ billing: { legalName: 'Acme Luxembourg S.A.', street: '2 avenue de la Liberté', postalCode: 'L-1930', city: 'Luxembourg', country: 'LU', vatNumber: 'LU10000053', email: 'invoices@acme.lu' } }),
    });
    expect(patched.status).toBe(200);
    // The Luxembourgish customer has a contract with a monthly fee (Mixvoip Standard, 58 EUR). It ends with the quarter
    // invoiced here: the e2e database is shared, and a fee still due in later periods would invoice this customer in
    // other tests' runs (test/e2e/invoicing.test.ts expects a quiet Q2 2020).
    await db.query("INSERT INTO contracts (customer_id, policy_id, starts_on, ends_on) VALUES ($1, 'mixvoip-standard', '2031-06-01', '2031-12-31')", [ids.LU]);

    for (const [country, customerId] of Object.entries(ids)) {
      const number = await ticketNumberAllocator(db)();
      tickets[country] = number;
      await db.query(
        `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
         VALUES ($1, $2, $3, 'econnect', 'incident', 'P3', 'closed', $4, 'ana@example.eu', '2031-11-04T09:00:00+01:00', 1, '{}')`,
        [number, `ticket-${number}`, customerId, `Printer down ${POISON}`],
      );
      for (const [minutes, amountCents] of [[37, 9251], [60, 10000]] as const) {
        await db.query(
          `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
           VALUES ($1, $2, $3, $4, $5, 10000, 1.5, $6, '2031-11-05T10:00:00+01:00')`,
          [randomUUID(), number, customerId, `${number}: remote assistance`, minutes, amountCents],
        );
      }
      const invoice = await new MockActivityEnvironment({ workflowExecution: { workflowId: `invoicing-${randomUUID()}`, runId: 'run-1' } }).run(
        createInvoicingActivities({ db }).createInvoice,
        { customerId, ...Q4_2031 },
      );
      issued[country] = invoice as IssuedInvoice;
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const read = async (path: string) => {
    const response = await api(path);
    return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
  };

  it('computes VAT by both countries: reverse charge for Belgium and France, 17 % at home in Luxembourg', async () => {
    type View = { totalCents: number; vatCents: number; grossCents: number; eInvoiceFormat: string; vat: unknown[] };
    const views = await Promise.all(Object.values(issued).map(async ({ number }) => (await (await api(`/invoices/${number}`)).json()) as View));
    expect(views.map(({ totalCents, vatCents, grossCents, eInvoiceFormat, vat }) => ({ totalCents, vatCents, grossCents, eInvoiceFormat, vat }))).toEqual([
      { totalCents: 19251, vatCents: 0, grossCents: 19251, eInvoiceFormat: 'peppol-ubl', vat: [{ category: 'AE', rateBp: 0, exemption: 'reverse-charge', netCents: 19251, vatCents: 0 }] },
      { totalCents: 19251, vatCents: 0, grossCents: 19251, eInvoiceFormat: 'factur-x', vat: [{ category: 'AE', rateBp: 0, exemption: 'reverse-charge', netCents: 19251, vatCents: 0 }] },
      // 192.51 + 3 × 58.00 = 366.51; 17 % of it is 62.3067, 62.31.
      { totalCents: 36651, vatCents: 6231, grossCents: 42882, eInvoiceFormat: 'peppol-ubl', vat: [{ category: 'S', rateBp: 1700, netCents: 36651, vatCents: 6231 }] },
    ]);
  });

  it('shows each customer every mention, in its language, escaped', async () => {
    const pages = Object.fromEntries(await Promise.all(Object.entries(issued).map(async ([country, { number }]) => [country, (await read(`/invoices/${number}/html`)).body.toString('utf8')] as const)));
    const common = (country: string) => [
      `Ticket ${tickets[country]} – Printer down &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Ünïcødé&quot; 東京`,
      'Vigil Demo Desk S.à r.l.',
      'LU15027442',
      'RCS Luxembourg B123456',
      'IBAN LU28 0019 4006 4475 0000 – BIC BCEELULL',
    ];
    for (const mention of [...common('BE'), 'Factuur aan', 'BE0403170701', 'Btw verlegd', 'Gestructureerde mededeling: +++', 'Vervaldatum']) expect(pages.BE).toContain(mention);
    for (const mention of [...common('FR'), 'Facturé à', 'Atelier Lumière SARL', 'FR40303265045', 'Autoliquidation', 'indemnité forfaitaire pour frais de recouvrement de 40 EUR', "Date d&#39;échéance"]) expect(pages.FR).toContain(mention);
    for (const mention of [...common('LU'), '<html lang="fr">', 'Acme Luxembourg S.A.', 'TVA 17 % sur 366,51 EUR', '62,31 EUR', '428,82 EUR', 'Contrat et heures prépayées', `Communication: ${issued.LU!.number}`]) expect(pages.LU).toContain(mention);
    expect(pages.BE).toMatch(/Gestructureerde mededeling: \+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+/);
    for (const page of Object.values(pages)) expect(page).not.toContain('<img');
  });

  it('serves each customer its e-invoice, and the Mustang validator passes every one', async () => {
    const be = await read(`/invoices/${issued.BE!.number}/ubl`);
    const lu = await read(`/invoices/${issued.LU!.number}/ubl`);
    const fr = await read(`/invoices/${issued.FR!.number}/facturx`);
    const pdf = await read(`/invoices/${issued.LU!.number}/pdf`);
    expect([be.status, lu.status, fr.status, pdf.status]).toEqual([200, 200, 200, 200]);
    expect(fr.type).toBe('application/pdf');
    expect(be.body.toString('utf8')).toContain('<cbc:EndpointID schemeID="0208">0403170701</cbc:EndpointID>');
    const verdicts = await validateEInvoices([
      { name: 'BE.xml', body: be.body },
      { name: 'LU.xml', body: lu.body },
      { name: 'FR.pdf', body: fr.body },
    ]);
    expect(verdicts.map(({ name, valid, report }) => ({ name, valid, broken: valid ? [] : brokenRules(report) }))).toEqual([
      { name: 'BE.xml', valid: true, broken: [] },
      { name: 'LU.xml', valid: true, broken: [] },
      { name: 'FR.pdf', valid: true, broken: [] },
    ]);
  });

  it("exports the period for the accountant, and each e-invoice, by the API and by vigil invoices export", async () => {
    const { rows } = await db.query<{ day: string }>("SELECT to_char(issued_at AT TIME ZONE 'Europe/Luxembourg', 'YYYY-MM-DD') AS day FROM invoices WHERE number = $1", [issued.BE!.number]);
    const day = rows[0]!.day;
    const env = { DATABASE_URL: e2eEnv().databaseUrl };
    const api = (await read(`/invoices/export?from=${day}&to=${day}&part=invoices`)).body.toString('utf8');
    const cli = await runVigil(['invoices', 'export', '--from', day, '--to', day, '--part', 'invoices'], env);
    expect(cli.exitCode).toBe(0);
    for (const { number } of Object.values(issued)) {
      expect(api).toContain(`\r\n${number},`);
      expect(cli.stdout).toContain(`\r\n${number},`);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-export-'));
    try {
      const out = path.join(dir, 'be.xml');
      expect(await runVigil(['invoices', 'export', '--number', issued.BE!.number, '--out', out], env)).toMatchObject({ exitCode: 0, stdout: `wrote peppol-ubl ${issued.BE!.number}.xml\n` });
      expect(readFileSync(out)).toEqual((await read(`/invoices/${issued.BE!.number}/ubl`)).body);
      expect(await runVigil(['invoices', 'export', '--number', 'INV-1999-000001', '--out', out], env)).toEqual({ exitCode: 2, stdout: '', stderr: 'vigil: --number: no invoice INV-1999-000001\n' });
      expect((await runVigil(['invoices', 'export', '--from', day, '--to', '2000-01-01'], env)).stderr).toBe(`vigil: --to: 2000-01-01 is before --from ${day}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
