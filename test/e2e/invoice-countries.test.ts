import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { createInvoicingActivities, type IssuedInvoice } from '../../activities/invoicing';
import { runVigil } from '../../cli/run';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { addDays } from '../../domain/invoicing/document';
import { structuredCommunication } from '../../domain/invoicing/structured-communication';
import { formatDate, type InvoiceLanguage } from '../../domain/invoicing/texts';
import type { LineLabel } from '../../domain/pricing/line-labels';
import { describeLine } from '../../domain/pricing/line-wording';
import { brokenRules, validateEInvoices } from '../support/invoicing/mustang';
import { pageSays, renderFirstPage } from '../support/invoicing/render';
import { e2eEnv, type Stack, startStack } from '../support/e2e/stack';

// The Mustang validator runs veraPDF and the EN 16931 schematrons in a JVM: tens of seconds under load.
jest.setTimeout(240_000);

// A quarter after every period other test files invoice: the e2e database is shared, and lines of these customers
// still unbilled while another file's invoicing run sweeps its period must not fall in it.
const Q4_2031 = { periodStart: '2031-10-01', periodEnd: '2031-12-31' };
const POISON = `<img src=x onerror=alert(1)> & "Ünïcødé" 東京`;

/** Each ticket's two lines: outside office hours at ×1.5, then an hour on site; label, minutes, multiplier, cents. */
const LINES: ReadonlyArray<readonly [LineLabel, number, number, number]> = [
  [
    {
      kind: 'intervention',
      intervention: 1,
      rateName: null,
      onSite: false,
      span: { date: '2031-11-05', from: '18:10', to: '18:47' },
      notes: [{ kind: 'band', label: 'outside office hours' }],
    },
    37,
    1.5,
    9251,
  ],
  [
    {
      kind: 'intervention',
      intervention: 2,
      rateName: null,
      onSite: true,
      span: { date: '2031-11-06', from: '09:00', to: '10:00' },
      notes: [],
    },
    60,
    1,
    10000,
  ],
];

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
  let prepaidContract: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.baseUrl}${path}`, {
      ...init,
      headers: { ...stack.auth('admin'), 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    stack = await startStack('invoice-countries');
    db = stack.db;
    // Belgium: identity given when the customer is added, in Dutch.
    const belgian = await api('/admin/customers', {
      method: 'POST',
      body: JSON.stringify({
        id: ids.BE,
        name: 'Brasserie',
        language: 'nl',
        billing: {
          legalName: `Brasserie ${POISON} NV`,
          street: 'Grote Markt 1',
          postalCode: '1000',
          city: 'Brussel',
          country: 'BE',
          vatNumber: 'BE 0403.170.701',
          email: 'facturen@brasserie.be',
        },
      }),
    });
    expect(belgian.status).toBe(201);
    // France: added bare, its identity set by the CLI.
    expect(
      (
        await api('/admin/customers', {
          method: 'POST',
          body: JSON.stringify({ id: ids.FR, name: 'Atelier', language: 'fr' }),
        })
      ).status,
    ).toBe(201);
    const cli = await runVigil(
      [
        'admin',
        'customers',
        'update',
        '--id',
        ids.FR,
        '--legal-name',
        'Atelier Lumière SARL',
        '--street',
        '8 rue de Rivoli',
        '--postal-code',
        '75004',
        '--city',
        'Paris',
        '--country',
        'FR',
        '--vat-number',
        'FR40303265045',
        '--invoice-email',
        'compta@atelier.fr',
      ],
      { DATABASE_URL: e2eEnv().databaseUrl },
    );
    expect(cli).toMatchObject({
      exitCode: 0,
      stdout: `updated customer ${ids.FR}: invoices to Atelier Lumière SARL, FR\n`,
    });
    // Luxembourg: identity set by PATCH; Luxembourgish speakers are invoiced in French.
    expect(
      (
        await api('/admin/customers', {
          method: 'POST',
          body: JSON.stringify({ id: ids.LU, name: 'Acme', language: 'lb' }),
        })
      ).status,
    ).toBe(201);
    const patched = await api(`/admin/customers/${ids.LU}`, {
      method: 'PATCH',
      body: JSON.stringify({
        billing: {
          legalName: 'Acme Luxembourg S.A.',
          street: '2 avenue de la Liberté',
          postalCode: 'L-1930',
          city: 'Luxembourg',
          country: 'LU',
          vatNumber: 'LU10000053',
          email: 'invoices@acme.lu',
        },
      }),
    });
    expect(patched.status).toBe(200);
    // The Luxembourgish customer has a contract with a monthly fee (Mixvoip Standard, 58 EUR). It ends with the quarter
    // invoiced here: the e2e database is shared, and a fee still due in later periods would invoice this customer in
    // other tests' runs (test/e2e/invoicing.test.ts expects a quiet Q2 2020).
    await db.query(
      "INSERT INTO contracts (customer_id, policy_id, starts_on, ends_on) VALUES ($1, 'mixvoip-standard', '2031-06-01', '2031-12-31')",
      [ids.LU],
    );
    // The Belgian customer bought 10 maintenance hours for 2031 (e-connect maintenance, 95 EUR/h: 100 EUR/h less 5%)
    // and drew 1 h 30 on them: the purchase is a line of its invoice, the hours a statement under it.
    prepaidContract = (
      await db.query<{ id: string }>(
        "INSERT INTO contracts (customer_id, policy_id, starts_on, ends_on) VALUES ($1, 'econnect-maintenance', '2031-01-01', '2031-12-31') RETURNING id",
        [ids.BE],
      )
    ).rows[0]!.id;
    await db.query(
      `INSERT INTO prepaid_movements (contract_id, kind, minutes, year, idempotency_key, description, created_at) VALUES
         ($1, 'purchase', 600, 2031, $2, '10 h for 2031', '2031-02-10T10:00:00+01:00'),
         ($1, 'draw', -90, 2031, $3, 'VIG-2031-1: printer', '2031-11-05T10:00:00+01:00')`,
      [prepaidContract, `purchase:${prepaidContract}:${run}`, `draw:${prepaidContract}:${run}`],
    );

    for (const [country, customerId] of Object.entries(ids)) {
      const number = await ticketNumberAllocator(db)();
      tickets[country] = number;
      await db.query(
        `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
         VALUES ($1, $2, $3, 'econnect', 'incident', 'P3', 'closed', $4, 'ana@example.eu', '2031-11-04T09:00:00+01:00', 1, '{}')`,
        [number, `ticket-${number}`, customerId, `Printer down ${POISON}`],
      );
      // The lines as billing writes them (activities/billing.ts): the English description and the label it is worded from.
      for (const [label, minutes, multiplier, amountCents] of LINES) {
        await db.query(
          `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, label, minutes, rate_cents, multiplier, amount_cents, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, 10000, $7, $8, '2031-11-06T10:00:00+01:00')`,
          [
            randomUUID(),
            number,
            customerId,
            `${number}: ${describeLine(label)}`,
            JSON.stringify(label),
            minutes,
            multiplier,
            amountCents,
          ],
        );
      }
      const invoice = await new MockActivityEnvironment({
        workflowExecution: { workflowId: `invoicing-${randomUUID()}`, runId: 'run-1' },
      }).run(createInvoicingActivities({ db }).createInvoice, { customerId, ...Q4_2031 });
      issued[country] = invoice as IssuedInvoice;
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const read = async (path: string) => {
    const response = await api(path);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: Buffer.from(await response.arrayBuffer()),
    };
  };

  it('computes VAT by both countries: reverse charge for Belgium and France, 17 % at home in Luxembourg', async () => {
    type View = { totalCents: number; vatCents: number; grossCents: number; eInvoiceFormat: string; vat: unknown[] };
    const views = await Promise.all(
      Object.values(issued).map(async ({ number }) => (await (await api(`/invoices/${number}`)).json()) as View),
    );
    expect(
      views.map(({ totalCents, vatCents, grossCents, eInvoiceFormat, vat }) => ({
        totalCents,
        vatCents,
        grossCents,
        eInvoiceFormat,
        vat,
      })),
    ).toEqual([
      // 192.51 + 10 h at 95.00 = 1142.51.
      {
        totalCents: 114251,
        vatCents: 0,
        grossCents: 114251,
        eInvoiceFormat: 'peppol-ubl',
        vat: [{ category: 'AE', rateBp: 0, exemption: 'reverse-charge', netCents: 114251, vatCents: 0 }],
      },
      {
        totalCents: 19251,
        vatCents: 0,
        grossCents: 19251,
        eInvoiceFormat: 'factur-x',
        vat: [{ category: 'AE', rateBp: 0, exemption: 'reverse-charge', netCents: 19251, vatCents: 0 }],
      },
      // 192.51 + 3 × 58.00 = 366.51; 17 % of it is 62.3067, 62.31.
      {
        totalCents: 36651,
        vatCents: 6231,
        grossCents: 42882,
        eInvoiceFormat: 'peppol-ubl',
        vat: [{ category: 'S', rateBp: 1700, netCents: 36651, vatCents: 6231 }],
      },
    ]);
  });

  it('shows each customer every mention, in its language, escaped', async () => {
    const pages = Object.fromEntries(
      await Promise.all(
        Object.entries(issued).map(
          async ([country, { number }]) =>
            [country, (await read(`/invoices/${number}/html`)).body.toString('utf8')] as const,
        ),
      ),
    );
    const common = (country: string) => [
      `Ticket ${tickets[country]} – Printer down &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Ünïcødé&quot; 東京`,
      'Vigil Demo Desk S.à r.l.',
      'LU15027442',
      'RCS Luxembourg B123456',
      'IBAN LU28 0019 4006 4475 0000 – BIC BCEELULL',
    ];
    for (const mention of [
      ...common('BE'),
      'Factuur aan',
      'BE0403170701',
      'Btw verlegd',
      'Gestructureerde mededeling: +++',
      'Vervaldatum',
      'Interventie 1, 05-11-2031 18:10–18:47, buiten de kantooruren',
      'Vooruitbetaalde uren',
    ]) {
      expect(pages.BE).toContain(mention);
    }
    for (const mention of [
      ...common('FR'),
      'Facturé à',
      'Atelier Lumière SARL',
      'FR40303265045',
      'Autoliquidation',
      'indemnité forfaitaire pour frais de recouvrement de 40 EUR',
      'Date d&#39;échéance',
    ])
      expect(pages.FR).toContain(mention);
    for (const mention of [
      ...common('LU'),
      '<html lang="fr">',
      'Acme Luxembourg S.A.',
      'TVA 17 % sur 366,51 EUR',
      '62,31 EUR',
      '428,82 EUR',
      'Contrat et heures prépayées',
      `Communication: ${issued.LU!.number}`,
    ])
      expect(pages.LU).toContain(mention);
    expect(pages.BE).toMatch(/Gestructureerde mededeling: \+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+/);
    for (const page of Object.values(pages)) expect(page).not.toContain('<img');
  });

  it('prints every mention on the PDF page as rendered, read back by PDFBox: parties, dates, VAT, due date, IBAN, reference, lines and prepaid hours in the language', async () => {
    const pages: Record<string, string> = {};
    const issueDates: Record<string, string> = {};
    for (const [country, { number }] of Object.entries(issued)) {
      const pdf = await read(`/invoices/${number}/pdf`);
      expect([pdf.status, pdf.type]).toEqual([200, 'application/pdf']);
      const page = await renderFirstPage(pdf.body);
      expect(page.pages).toBe(1);
      pages[country] = page.text;
      const view = (await (await api(`/invoices/${number}`)).json()) as { issuedAt: string };
      issueDates[country] = DateTime.fromISO(view.issuedAt, { zone: 'Europe/Luxembourg' }).toISODate()!;
    }
    const dates = (country: string, language: InvoiceLanguage) => ({
      issued: formatDate(issueDates[country]!, language),
      due: formatDate(addDays(issueDates[country]!, 30), language),
    });
    const says = (country: string, phrases: readonly string[]) => {
      const missing = phrases.filter((phrase) => !pageSays(pages[country]!, phrase));
      // The page's text comes with what is missing, to see what it said instead.
      expect({ country, missing, ...(missing.length > 0 ? { page: pages[country] } : {}) }).toEqual({
        country,
        missing: [],
      });
    };
    const seller = [
      'Vigil Demo Desk S.à r.l.',
      '12 rue de la Gare',
      'L-1611 Luxembourg',
      'LU15027442',
      'RCS Luxembourg B123456',
      'IBAN LU28 0019 4006 4475 0000 – BIC BCEELULL',
    ];

    const be = dates('BE', 'nl');
    says('BE', [
      ...seller,
      'VAN',
      'FACTUUR AAN', // The buyer's name wraps in its column, beside the seller's street: its two halves.
      'Brasserie <img src=x onerror=alert(1)>',
      '& "Ünïcødé" ?? NV',
      'Grote Markt 1',
      '1000 Brussel',
      'Btw-nummer BE0403170701',
      'facturen@brasserie.be',
      `Factuur ${issued.BE!.number}`,
      `Factuurdatum ${be.issued}`,
      `Vervaldatum ${be.due}`,
      'Periode 1 oktober 2031 – 31 december 2031',
      `Ticket ${tickets.BE} – Printer down`,
      'Interventie 1, 05-11-2031 18:10–18:47, buiten de kantooruren',
      '0 u 37 min',
      'Interventie 2 (ter plaatse), 06-11-2031 09:00–10:00',
      'Contract en vooruitbetaalde uren',
      `Onderhoudsuren voor 2031: 10 u 00 min aan EUR 100,00/h min 5 % (contract ${prepaidContract})`,
      'EUR 950,00',
      'Totaal excl. btw EUR 1.142,51',
      'Btw 0 % op EUR 1.142,51',
      'Te betalen EUR 1.142,51',
      'Btw verlegd: verschuldigd door de medecontractant',
      `Te betalen binnen 30 dagen, uiterlijk op ${be.due}, per overschrijving.`,
      `Gestructureerde mededeling: ${structuredCommunication(issued.BE!.number)}`,
      'Vooruitbetaalde uren',
      `Contract ${prepaidContract}: gekocht 10 u 00 min, gebruikt 1 u 30 min, vervallen 0 u 00 min`,
    ]);
    expect(structuredCommunication(issued.BE!.number)).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);

    const fr = dates('FR', 'fr');
    says('FR', [
      ...seller,
      'Émetteur'.toUpperCase(),
      'Facturé à'.toUpperCase(),
      'Atelier Lumière SARL',
      '8 rue de Rivoli',
      '75004 Paris',
      'N° TVA FR40303265045',
      'compta@atelier.fr',
      `Facture ${issued.FR!.number}`,
      `Date d'émission ${fr.issued}`,
      `Date d'échéance ${fr.due}`,
      'Période 1 octobre 2031 – 31 décembre 2031',
      `Ticket ${tickets.FR} – Printer down`,
      'Intervention 1, 05/11/2031 18:10–18:47, hors heures de bureau',
      'Intervention 2 (sur site), 06/11/2031 09:00–10:00',
      'Total HT 192,51 EUR',
      'TVA 0 % sur 192,51 EUR',
      'Total TTC 192,51 EUR',
      'Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE).',
      `Payable à 30 jours, au plus tard le ${fr.due}, par virement.`,
      `Communication: ${issued.FR!.number}`,
      'indemnité forfaitaire pour frais de recouvrement de 40 EUR',
    ]);

    const lu = dates('LU', 'fr');
    says('LU', [
      ...seller,
      'Acme Luxembourg S.A.',
      '2 avenue de la Liberté',
      'L-1930 Luxembourg',
      'N° TVA LU10000053',
      'invoices@acme.lu',
      `Facture ${issued.LU!.number}`,
      `Date d'émission ${lu.issued}`,
      `Date d'échéance ${lu.due}`,
      `Ticket ${tickets.LU} – Printer down`,
      'Intervention 1, 05/11/2031 18:10–18:47, hors heures de bureau',
      'Contrat et heures prépayées',
      ...['octobre', 'novembre', 'décembre'].map(
        (month) => `Redevance mensuelle du contrat, contrat de support Mixvoip Standard, ${month} 2031`,
      ),
      'Total HT 366,51 EUR',
      'TVA 17 % sur 366,51 EUR 62,31 EUR',
      'Total TTC 428,82 EUR',
      `Payable à 30 jours, au plus tard le ${lu.due}, par virement.`,
      `Communication: ${issued.LU!.number}`,
    ]);
    // What does not apply is not there: no reverse charge at home, no French penalties for Luxembourg, no statement without prepaid hours.
    for (const absent of ['Autoliquidation', 'indemnité forfaitaire', 'Heures prépayées'])
      expect(pages.LU).not.toContain(absent);
    // Nothing is left in English: the lines were worded in each customer's language.
    for (const page of Object.values(pages))
      expect(page).not.toMatch(
        /Intervention \d, 2031-|office hours|on site|Monthly contract fee|maintenance hours|Invoice/,
      );
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
    expect(
      verdicts.map(({ name, valid, report }) => ({ name, valid, broken: valid ? [] : brokenRules(report) })),
    ).toEqual([
      { name: 'BE.xml', valid: true, broken: [] },
      { name: 'LU.xml', valid: true, broken: [] },
      { name: 'FR.pdf', valid: true, broken: [] },
    ]);
  });

  it('exports the period for the accountant, and each e-invoice, by the API and by vigil invoices export', async () => {
    const { rows } = await db.query<{ day: string }>(
      "SELECT to_char(issued_at AT TIME ZONE 'Europe/Luxembourg', 'YYYY-MM-DD') AS day FROM invoices WHERE number = $1",
      [issued.BE!.number],
    );
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
      expect(await runVigil(['invoices', 'export', '--number', issued.BE!.number, '--out', out], env)).toMatchObject({
        exitCode: 0,
        stdout: `wrote peppol-ubl ${issued.BE!.number}.xml\n`,
      });
      expect(readFileSync(out)).toEqual((await read(`/invoices/${issued.BE!.number}/ubl`)).body);
      expect(await runVigil(['invoices', 'export', '--number', 'INV-1999-000001', '--out', out], env)).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'vigil: --number: no invoice INV-1999-000001\n',
      });
      expect((await runVigil(['invoices', 'export', '--from', day, '--to', '2000-01-01'], env)).stderr).toBe(
        `vigil: --to: 2000-01-01 is before --from ${day}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
