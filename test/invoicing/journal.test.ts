import { journalCsv, journalTotals } from '../../domain/invoicing/journal';
import type { InvoiceDetail } from '../../db/invoices';
import { apiHarness, expectProblem } from '../support/api/harness';
import { documentFor, LINES } from '../support/invoicing/documents';

const rows = (csv: string) =>
  csv
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter(Boolean);

describe("the accountant's export", () => {
  const documents = [
    documentFor('LU'),
    documentFor('BE'),
    documentFor('LU', 'fr', [
      {
        ticketNumber: LINES[0]!.ticketNumber,
        description: '=HYPERLINK("http://evil","x"), "quoted"',
        minutes: 37,
        rateCents: 10000,
        multiplier: 1.5,
        amountCents: 50,
      },
    ]),
  ];

  it('adds up the journal per VAT category and rate, net plus VAT is gross', () => {
    expect(journalTotals(documents)).toEqual([
      { category: 'S', rateBp: 1700, invoices: 2, netCents: 40301, vatCents: 6843 + 9, grossCents: 40301 + 6852 },
      { category: 'AE', rateBp: 0, invoices: 1, netCents: 40251, vatCents: 0, grossCents: 40251 },
    ]);
    expect(rows(journalCsv('journal', documents))).toEqual([
      'vat_category,vat_rate,invoices,net,vat,gross',
      'S,17 %,2,403.01,68.52,471.53',
      'AE,0 %,1,402.51,0.00,402.51',
      'total,,3,805.52,68.52,874.04',
    ]);
  });

  it('opens in a spreadsheet as it is, and never runs a formula a ticket smuggled in', () => {
    const lines = journalCsv('lines', documents);
    expect(lines.startsWith('\ufeffnumber,issue_date,customer_id,ticket,')).toBe(true);
    expect(lines).toContain('"\'=HYPERLINK(""http://evil"",""x""), ""quoted"""');
    expect(lines).toContain(',37,100.00,1.5,0.50,S,17 %\r\n');
    const invoices = rows(journalCsv('invoices', documents));
    expect(invoices[2]).toBe(
      `INV-2026-000042,2026-11-02,2026-12-02,brasserie,"Brasserie <script>alert(""x"")</script> & 'Ünïcødé' \u200f Łódź 東京 SA",BE,BE0403170701,AE,402.51,0.00,402.51,EUR,+++202/6000/04236+++,peppol-ubl`.replace(
        ',+++',
        ",'+++",
      ),
    );
  });
});

describe('GET /v1/invoices/export', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    harness = await apiHarness();
    const detail = (number: string, document: InvoiceDetail['document']): InvoiceDetail => ({
      number,
      customerId: 'acme',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      totalCents: 0,
      issuedAt: '2026-11-02T06:00:00.000Z',
      lines: [],
      document,
    });
    harness.invoices.issue(detail('INV-2026-000042', documentFor('BE')));
    harness.invoices.issue(
      detail('INV-2026-000043', { ...documentFor('LU'), number: 'INV-2026-000043', issueDate: '2026-12-01' }),
    );
  });

  it('answers the CSV of the invoices issued in the days asked for, to admins and managers', async () => {
    const response = await harness.call(
      'manager',
      'GET',
      '/v1/invoices/export?from=2026-11-01&to=2026-11-30&part=journal',
    );
    expect([response.statusCode, response.headers['content-type'], response.headers['content-disposition']]).toEqual([
      200,
      'text/csv; charset=utf-8',
      'attachment; filename="vigil-journal-2026-11-01-2026-11-30.csv"',
    ]);
    expect(rows(response.body)).toEqual([
      'vat_category,vat_rate,invoices,net,vat,gross',
      'AE,0 %,1,402.51,0.00,402.51',
      'total,,1,402.51,0.00,402.51',
    ]);
    expect(
      rows((await harness.call('admin', 'GET', '/v1/invoices/export?from=2026-11-01&to=2026-12-31')).body),
    ).toHaveLength(3);
  });

  it('refuses customers and agents, and names the wrong field', async () => {
    expectProblem(
      await harness.call('acme', 'GET', '/v1/invoices/export?from=2026-11-01&to=2026-11-30'),
      403,
      'forbidden',
    );
    expectProblem(
      await harness.call('agent', 'GET', '/v1/invoices/export?from=2026-11-01&to=2026-11-30'),
      403,
      'forbidden',
    );
    expectProblem(
      await harness.call('admin', 'GET', '/v1/invoices/export?from=2026-11-30&to=2026-11-01'),
      422,
      'invalid-request',
      'querystring.to',
    );
    expectProblem(
      await harness.call('admin', 'GET', '/v1/invoices/export?from=2026-11-01&to=2026-11-30&part=ledger'),
      422,
      'invalid-request',
      'querystring.part',
    );
    expectProblem(
      await harness.call('admin', 'GET', '/v1/invoices/export?from=yesterday&to=2026-11-30'),
      422,
      'invalid-request',
      'querystring.from',
    );
  });
});
