import { renderInvoiceHtml } from '../../activities/invoice-html';
import { renderDocumentPdf } from '../../api/invoice-pdf';
import { POISON, documentFor } from '../support/invoicing/documents';

describe('the invoice a person reads', () => {
  it('gives a Luxembourgish customer, at home, 17 % VAT on the sum, in French, with every mention', () => {
    const document = documentFor('LU', 'lb');
    expect(document.totals).toEqual({
      breakdown: [{ category: 'S', rateBp: 1700, netCents: 40251, vatCents: 6843 }],
      netCents: 40251,
      vatCents: 6843,
      grossCents: 47094,
    });
    const html = renderInvoiceHtml(document);
    expect(html).toContain('<html lang="fr">');
    for (const mention of [
      'Facture INV-2026-000042',
      'Vigil Demo Desk S.à r.l.',
      'N° TVA LU15027442',
      'N° d&#39;entreprise RCS Luxembourg B123456',
      'Acme Luxembourg S.A.',
      '2 novembre 2026',
      '2 décembre 2026',
      'Payable à 30 jours, au plus tard le 2 décembre 2026, par virement.',
      'IBAN LU28 0019 4006 4475 0000 – BIC BCEELULL',
      'Communication: INV-2026-000042',
      'Ticket VIG-000001 – Printer down',
      'Contrat et heures prépayées',
      'Intervention 1, 06/10/2026 18:10–18:47, hors heures de bureau',
      'Intervention 2 (sur site), 07/10/2026 09:00–10:00, heures de bureau',
      'Redevance mensuelle du contrat, Support Desk e-connect, octobre 2026',
      'TVA 17 % sur 402,51 EUR',
      '68,43 EUR',
      '470,94 EUR',
      'Contrat 7 : achetées 10 h 00, utilisées 1 h 30, expirées 0 h 00, restantes 8 h 30',
      'Contrat 7 : 0 h 30 des heures achetées pour 2025 non utilisées',
    ])
      expect(html).toContain(mention);
    expect(html).not.toContain('Autoliquidation');
  });

  it('reverses the charge for a Belgian business and gives it its structured communication, in Dutch', () => {
    const html = renderInvoiceHtml(documentFor('BE', 'nl'));
    expect(html).toContain('Factuur INV-2026-000042');
    // 2026000042 mod 97 = 36.
    expect(html).toContain('Gestructureerde mededeling: +++202/6000/04236+++');
    expect(html).toContain('Btw verlegd');
    expect(html).toContain('Btw 0 % op EUR 402,51');
    expect(html).toContain('Te betalen</td><td class="num">EUR 402,51');
  });

  it('tells a French business of the late payment penalties and reverses the charge, and writes German dates in German', () => {
    expect(renderInvoiceHtml(documentFor('FR', 'fr'))).toContain(
      'indemnité forfaitaire pour frais de recouvrement de 40 EUR',
    );
    // French law's late-payment mention is for a French buyer, not for every reader of French.
    expect(renderInvoiceHtml(documentFor('LU', 'lb'))).not.toContain('indemnité forfaitaire');
    expect(renderInvoiceHtml(documentFor('FR', 'fr'))).toContain('Autoliquidation');
    const german = renderInvoiceHtml(documentFor('LU', 'de'));
    expect(german).toContain('Rechnungsdatum</dt><dd>2. November 2026');
    expect(german).toContain('USt. 17 % auf 402,51 EUR');
    const english = renderInvoiceHtml(documentFor('LU', 'en'));
    expect(english).toContain('Due date</dt><dd>2 December 2026');
    expect(english).toContain('470.94 EUR');
  });

  it.each(['en', 'fr', 'de', 'nl'])('escapes every value a customer or an agent typed (%s)', (language) => {
    const html = renderInvoiceHtml(documentFor('BE', language));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Ünïcødé&#39;');
    expect(html.match(/<script/g)).toBeNull();
    expect(POISON).toContain('<script>');
  });

  it('renders the same document as a PDF, PDF/A-3 on request, with the fonts embedded', async () => {
    const pdf = await renderDocumentPdf(documentFor('BE', 'fr'), { pdfA: true });
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.7')).toBe(true);
    expect(text).toContain('pdfaid:part');
    expect(text).toMatch(/\/FontFile2/);
  });
});
