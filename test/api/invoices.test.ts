import type { InvoiceDetail } from '../../db/invoices';
import { renderInvoiceHtml } from '../../activities/invoice-html';
import { invoiceLayout } from '../../domain/invoicing/layout';
import { documentFor } from '../support/invoicing/documents';
import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem } from '../support/api/harness';

const invoiceOf = (number: string, customerId: string): InvoiceDetail => ({
  number,
  customerId,
  periodStart: '2026-01-01',
  periodEnd: '2026-03-31',
  totalCents: 27751,
  issuedAt: '2026-04-01T06:00:00.000Z',
  lines: [
    {
      ticketNumber: 'VIG-000001',
      description: 'VIG-000001: remote assistance',
      minutes: 37,
      rateCents: 10000,
      multiplier: 1.5,
      amountCents: 9251,
    },
    { ticketNumber: null, description: 'Monthly fee', minutes: 0, rateCents: 18500, multiplier: 1, amountCents: 18500 },
  ],
});
const ACME = invoiceOf('INV-2026-000001', 'acme');
const GLOBEX = invoiceOf('INV-2026-000002', 'globex');
const links = (number: string) => ({
  self: `/v1/invoices/${number}`,
  html: `/v1/invoices/${number}/html`,
  pdf: `/v1/invoices/${number}/pdf`,
  ubl: `/v1/invoices/${number}/ubl`,
  facturx: `/v1/invoices/${number}/facturx`,
});
const READS = ['', '/html', '/pdf'];

describe('invoices', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
    harness.invoices.issue(ACME, '<html><body>Acme, Q1</body></html>');
    harness.invoices.issue(GLOBEX);
  });
  beforeEach(() => (harness.invoices.listed.length = 0));

  describe('GET /v1/invoices', () => {
    it("lists every customer's invoices to staff, without their lines, each with its links", async () => {
      const response = await harness.call('agent', 'GET', '/v1/invoices');
      expect(response.statusCode).toBe(200);
      const { lines: _lines, ...summary } = ACME;
      expect(response.json().invoices).toEqual([
        { ...summary, links: links(ACME.number) },
        expect.objectContaining({ number: GLOBEX.number }),
      ]);
      expect(harness.invoices.listed).toEqual([undefined]);
    });

    it('narrows to one customer', async () => {
      const response = await harness.call('manager', 'GET', '/v1/invoices?customer=globex');
      expect(response.json().invoices.map(({ number }: { number: string }) => number)).toEqual([GLOBEX.number]);
      expect(harness.invoices.listed).toEqual(['globex']);
    });

    it("holds a customer's key to its own invoices, and refuses another company's with 403", async () => {
      expect(
        (await harness.call('acme', 'GET', '/v1/invoices'))
          .json()
          .invoices.map(({ number }: { number: string }) => number),
      ).toEqual([ACME.number]);
      expectProblem(await harness.call('acme', 'GET', '/v1/invoices?customer=globex'), 403, 'forbidden');
      expect(harness.invoices.listed).toEqual(['acme']);
    });

    it('answers 401 without a key and reads nothing', async () => {
      expectProblem(await harness.call(undefined, 'GET', '/v1/invoices'), 401, 'unauthorized');
      expect(harness.invoices.listed).toEqual([]);
    });

    it.each([
      ['customer=', 'querystring.customer'],
      ['status=paid', 'querystring.status'],
    ])('answers 422 to ?%s naming %s, and reads nothing', async (query, field) => {
      expectProblem(await harness.call('admin', 'GET', `/v1/invoices?${query}`), 422, 'invalid-request', field);
      expect(harness.invoices.listed).toEqual([]);
    });
  });

  describe('one invoice', () => {
    it('shows an invoice with its lines', async () => {
      const response = await harness.call('acme', 'GET', `/v1/invoices/${ACME.number}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...ACME, links: links(ACME.number) });
    });

    it('reports the prepaid statement and expiries its HTML and PDF print, from the same document', async () => {
      const document = documentFor('LU', 'en');
      const invoice = { ...invoiceOf('INV-2026-000003', 'acme'), document };
      harness.invoices.issue(invoice, renderInvoiceHtml(document));
      const response = await harness.call('acme', 'GET', `/v1/invoices/${invoice.number}`);
      expect(response.statusCode).toBe(200);
      expect(response.json().prepaid).toEqual({
        statements: [
          { contractId: '7', year: 2026, boughtMinutes: 600, usedMinutes: 90, expiredMinutes: 0, leftMinutes: 510 },
        ],
        expiries: [{ contractId: '7', year: 2025, minutes: 30 }],
      });
      const html = (await harness.call('acme', 'GET', `/v1/invoices/${invoice.number}/html`)).body;
      // The HTML prints these very figures: one line per statement, then one per expiry.
      const printed = invoiceLayout(document).prepaid!.lines;
      expect(printed).toHaveLength(2);
      for (const line of printed) expect(html).toContain(`<li>${line}</li>`);
      expect(printed[0]).toContain('8 h 30 min');
      expect(printed[1]).toContain('0 h 30 min');
      // An invoice reporting no prepaid hours says nothing of them, as its HTML does not.
      expect((await harness.call('acme', 'GET', `/v1/invoices/${ACME.number}`)).json()).not.toHaveProperty('prepaid');
    });

    it('serves it as the customer receives it, in HTML', async () => {
      const response = await harness.call('acme', 'GET', `/v1/invoices/${ACME.number}/html`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toBe('<html><body>Acme, Q1</body></html>');
    });

    it('serves it as a PDF named after its number', async () => {
      const response = await harness.call('acme', 'GET', `/v1/invoices/${ACME.number}/pdf`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(`inline; filename="${ACME.number}.pdf"`);
      expect(response.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it.each(
      READS.flatMap((suffix) => (['admin', 'agent', 'manager'] as Caller[]).map((caller) => [suffix, caller] as const)),
    )("GET /v1/invoices/:number%s lets a %s key read any company's invoice", async (suffix, caller) => {
      expect((await harness.call(caller, 'GET', `/v1/invoices/${GLOBEX.number}${suffix}`)).statusCode).toBe(200);
    });

    it.each(READS)(
      "GET /v1/invoices/:number%s answers 404 for another company's invoice, exactly as for a missing one",
      async (suffix) => {
        const other = await harness.call('acme', 'GET', `/v1/invoices/${GLOBEX.number}${suffix}`);
        const missing = await harness.call('acme', 'GET', `/v1/invoices/INV-2026-000999${suffix}`);
        expectProblem(other, 404, 'not-found');
        const { requestId: _other, ...seen } = other.json();
        const { requestId: _missing, ...absent } = JSON.parse(
          missing.body.replaceAll('INV-2026-000999', GLOBEX.number),
        );
        expect(seen).toEqual(absent);
      },
    );

    it.each(READS)('GET /v1/invoices/:number%s answers 401 without a key', async (suffix) => {
      expectProblem(await harness.call(undefined, 'GET', `/v1/invoices/${ACME.number}${suffix}`), 401, 'unauthorized');
    });

    it.each(READS)(
      'GET /v1/invoices/:number%s answers 422 naming params.number for a number no invoice has',
      async (suffix) => {
        expectProblem(
          await harness.call('agent', 'GET', `/v1/invoices/2026-1${suffix}`),
          422,
          'invalid-request',
          'params.number',
        );
      },
    );
  });
});
