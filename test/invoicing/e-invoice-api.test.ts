import type { InvoiceDetail } from '../../db/invoices';
import { apiHarness, expectProblem } from '../support/api/harness';
import { BUYERS, documentFor } from '../support/invoicing/documents';

const detail = (number: string, customerId: string, document?: InvoiceDetail['document']): InvoiceDetail => ({
  number,
  customerId,
  periodStart: '2026-10-01',
  periodEnd: '2026-10-31',
  totalCents: 40251,
  issuedAt: '2026-11-02T06:00:00.000Z',
  lines: [],
  ...(document ? { document } : {}),
});

describe('GET /v1/invoices/:number/ubl and /facturx', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    harness = await apiHarness();
    harness.invoices.issue(
      detail('INV-2026-000042', 'acme', { ...documentFor('BE'), buyer: { ...BUYERS.BE, customerId: 'acme' } }),
    );
    harness.invoices.issue(detail('INV-2025-000001', 'acme'));
    harness.invoices.issue(
      detail('INV-2026-000043', 'acme', {
        ...documentFor('LU'),
        buyer: { ...BUYERS.LU, customerId: 'acme', street: '' },
      }),
    );
    harness.invoices.issue(detail('INV-2026-000044', 'globex', documentFor('FR')));
  });

  it('serves the customer its invoice as Peppol UBL and as Factur-X, and says which one it is sent', async () => {
    const ubl = await harness.call('acme', 'GET', '/v1/invoices/INV-2026-000042/ubl');
    expect([ubl.statusCode, ubl.headers['content-type'], ubl.headers['content-disposition']]).toEqual([
      200,
      'application/xml; charset=utf-8',
      'attachment; filename="INV-2026-000042.xml"',
    ]);
    expect(ubl.body).toContain(
      '<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>',
    );
    expect(ubl.body).toContain('<cbc:PaymentID>+++202/6000/04236+++</cbc:PaymentID>');
    expect(ubl.body).toContain('&lt;script&gt;');
    const facturx = await harness.call('agent', 'GET', '/v1/invoices/INV-2026-000044/facturx');
    expect([facturx.statusCode, facturx.headers['content-type']]).toEqual([200, 'application/pdf']);
    expect(facturx.rawPayload.toString('latin1')).toContain('factur-x.xml');
    const view = await harness.call('agent', 'GET', '/v1/invoices/INV-2026-000044');
    expect(view.json()).toMatchObject({
      eInvoiceFormat: 'factur-x',
      vat: [{ category: 'AE', rateBp: 0, netCents: 40251, vatCents: 0 }],
      links: { facturx: '/v1/invoices/INV-2026-000044/facturx' },
    });
  });

  it('answers 409 for an invoice issued before e-invoicing, or whose customer had no address then', async () => {
    const legacy = await harness.call('agent', 'GET', '/v1/invoices/INV-2025-000001/ubl');
    expectProblem(legacy, 409, 'e-invoice-unavailable');
    expect(legacy.json().detail).toContain('issued before');
    const noAddress = await harness.call('agent', 'GET', '/v1/invoices/INV-2026-000043/facturx');
    expectProblem(noAddress, 409, 'e-invoice-unavailable');
    expect(noAddress.json().detail).toContain('no invoicing address');
  });

  it("answers 404 for another company's invoice, as for a missing one", async () => {
    expectProblem(await harness.call('acme', 'GET', '/v1/invoices/INV-2026-000044/ubl'), 404, 'not-found');
    expectProblem(await harness.call('acme', 'GET', '/v1/invoices/INV-2026-000999/facturx'), 404, 'not-found');
  });
});
