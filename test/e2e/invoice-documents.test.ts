import { facturX, peppolUbl } from '../../infra/e-invoice';
import { documentFor, LINES } from '../support/invoicing/documents';
import { renderDocumentPdf } from '../../api/invoice-pdf';
import { brokenRules, validateEInvoices } from '../support/invoicing/mustang';
import { navyPng } from '../support/invoicing/logo';
import { pageSays, renderFirstPage } from '../support/invoicing/render';
import type { InvoiceDocument } from '../../domain/invoicing/document';

/** The document with the desk's logo, as VIGIL_SELLER_LOGO puts it on the seller (infra/seller.ts). */
const withLogo = (document: InvoiceDocument): InvoiceDocument => ({
  ...document,
  seller: { ...document.seller, logo: { mediaType: 'image/png', data: navyPng().toString('base64') } },
});

// The Mustang validator runs veraPDF and the EN 16931 schematrons in a JVM: tens of seconds under load.
jest.setTimeout(240_000);

describe('e-invoices, checked by the Mustang validator and the Peppol BIS rules', () => {
  it('passes a Belgian and a Luxembourgish UBL, and a French Factur-X, poison text and a thousand-line invoice included', async () => {
    const many = Array.from({ length: 1000 }, (_, index) => ({
      ...LINES[index % LINES.length]!,
      amountCents: 1 + ((index * 7919) % 100_000),
    }));
    const files = [
      { name: 'BE.xml', body: (await peppolUbl(documentFor('BE', 'nl'))).body },
      { name: 'LU.xml', body: (await peppolUbl(documentFor('LU', 'lb'))).body },
      { name: 'LU-many.xml', body: (await peppolUbl(documentFor('LU', 'de', many))).body },
      { name: 'FR.pdf', body: (await facturX(documentFor('FR', 'fr'))).body },
      // A Belgian customer who asked for Factur-X: the poison in its name goes through the PDF/A and the CII.
      { name: 'BE-facturx.pdf', body: (await facturX(documentFor('BE', 'en'))).body },
      // The desk's logo drawn in the PDF/A: an image the archive format must accept too.
      { name: 'FR-logo.pdf', body: (await facturX(withLogo(documentFor('FR', 'fr')))).body },
    ];
    // The validator is no rubber stamp: the same Belgian invoice, its amount due off by a cent, is refused.
    const tampered = files[0]!.body
      .toString('utf8')
      .replace(
        /(<cbc:PayableAmount currencyID="EUR">)([\d.]+)/,
        (_, tag: string, amount: string) => `${tag}${(Number(amount) + 0.01).toFixed(2)}`,
      );
    expect(tampered).not.toBe(files[0]!.body.toString('utf8'));
    const verdicts = await validateEInvoices([...files, { name: 'BE-tampered.xml', body: Buffer.from(tampered) }]);
    expect(
      verdicts
        .slice(0, -1)
        .map(({ name, valid, report }) => ({ name, valid, broken: valid ? [] : brokenRules(report) })),
    ).toEqual(files.map(({ name }) => ({ name, valid: true, broken: [] })));
    expect(verdicts.at(-1)).toMatchObject({ name: 'BE-tampered.xml', valid: false });
    expect(brokenRules(verdicts.at(-1)!.report).join('\n')).toMatch(/BR-CO-16/);
  });

  it('holds the UBL to the Peppol BIS rules as well: without its buyer reference, a Belgian invoice is refused', async () => {
    const ubl = (await peppolUbl(documentFor('BE', 'fr'))).body
      .toString('utf8')
      .replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '');
    const [verdict] = await validateEInvoices([{ name: 'BE-no-reference.xml', body: Buffer.from(ubl) }]);
    expect(verdict!.valid).toBe(false);
    expect(verdict!.report).toContain('id="PEPPOL-EN16931-R003"');
  });

  it('reads as a designed page once rendered: header and lines at the top, the legal footer at the bottom, even under a full page of lines', async () => {
    const page = await renderFirstPage(await renderDocumentPdf(documentFor('FR', 'fr')));
    // A4 at 80 dpi.
    expect([page.pages, page.width, page.height]).toEqual([1, 661, 935]);
    const inked = page.ink.map((perMille) => perMille > 2);
    // Parties, title, dates, the table and the totals fill the top half without a blank twentieth...
    expect(inked.slice(1, 10)).toEqual(Array(9).fill(true));
    // ...the rest of a short invoice is white down to the footer with the legal mentions.
    expect(inked.indexOf(false, 1)).toBeGreaterThan(10);
    expect(inked[18] || inked[19]).toBe(true);
    expect(inked.slice(13, 17)).toEqual([false, false, false, false]);

    // What the page says, read back from it: the lines in French (their labels worded), the mentions, the footer.
    for (const phrase of [
      'ÉMETTEUR FACTURÉ À',
      'Facture INV-2026-000042',
      "Date d'échéance 2 décembre 2026",
      'Intervention 1, 06/10/2026 18:10–18:47, hors heures de bureau',
      'Redevance mensuelle du contrat, Support Desk e-connect, octobre 2026',
      'Autoliquidation',
      'IBAN LU28 0019 4006 4475 0000 – BIC BCEELULL',
      'Contrat 7 : achetées 10 h 00, utilisées 1 h 30, expirées 0 h 00, restantes 8 h 30',
    ])
      expect([phrase, pageSays(page.text, phrase)]).toEqual([phrase, true]);

    // With the desk's logo (160 x 48 pt of navy, a quarter of the width), the second twentieth, where the parties'
    // headings were, is mostly logo; the top margin stays white, the rest moves down and stays one page with its footer.
    const logoPage = await renderFirstPage(await renderDocumentPdf(withLogo(documentFor('FR', 'fr'))));
    expect([page.ink[0], logoPage.ink[0]]).toEqual([0, 0]);
    expect(logoPage.ink[1]! - page.ink[1]!).toBeGreaterThan(100);
    expect(logoPage.pages).toBe(1);
    expect(logoPage.ink[18]! > 2 || logoPage.ink[19]! > 2).toBe(true);
    expect(pageSays(logoPage.text, 'ÉMETTEUR FACTURÉ À')).toBe(true);

    const long = await renderFirstPage(
      await renderDocumentPdf(
        documentFor(
          'LU',
          'de',
          Array.from({ length: 120 }, () => LINES[0]!),
        ),
      ),
    );
    expect(long.pages).toBeGreaterThan(2);
    // A full page of lines stops short of the footer, which is still there.
    expect(long.ink.slice(1, 17).every((perMille) => perMille > 2)).toBe(true);
    expect(long.ink[18]! > 2 || long.ink[19]! > 2).toBe(true);
  });
});
