import { facturX, peppolUbl } from '../../infra/e-invoice';
import { documentFor, LINES } from '../invoicing/support/documents';
import { renderDocumentPdf } from '../../api/invoice-pdf';
import { brokenRules, validateEInvoices } from '../invoicing/support/mustang';
import { renderFirstPage } from '../invoicing/support/render';

// The Mustang validator runs veraPDF and the EN 16931 schematrons in a JVM: tens of seconds under load.
jest.setTimeout(240_000);

describe('e-invoices, checked by the Mustang validator and the Peppol BIS rules', () => {
  it('passes a Belgian and a Luxembourgish UBL, and a French Factur-X, poison text and a thousand-line invoice included', async () => {
    const many = Array.from({ length: 1000 }, (_, index) => ({ ...LINES[index % LINES.length]!, amountCents: 1 + ((index * 7919) % 100_000) }));
    const files = [
      { name: 'BE.xml', body: (await peppolUbl(documentFor('BE', 'nl'))).body },
      { name: 'LU.xml', body: (await peppolUbl(documentFor('LU', 'lb'))).body },
      { name: 'LU-many.xml', body: (await peppolUbl(documentFor('LU', 'de', many))).body },
      { name: 'FR.pdf', body: (await facturX(documentFor('FR', 'fr'))).body },
      // A Belgian customer who asked for Factur-X: the poison in its name goes through the PDF/A and the CII.
      { name: 'BE-facturx.pdf', body: (await facturX(documentFor('BE', 'en'))).body },
    ];
    // The validator is no rubber stamp: the same Belgian invoice, its amount due off by a cent, is refused.
    const tampered = files[0]!.body.toString('utf8').replace(/(<cbc:PayableAmount currencyID="EUR">)([\d.]+)/, (_, tag: string, amount: string) => `${tag}${(Number(amount) + 0.01).toFixed(2)}`);
    expect(tampered).not.toBe(files[0]!.body.toString('utf8'));
    const verdicts = await validateEInvoices([...files, { name: 'BE-tampered.xml', body: Buffer.from(tampered) }]);
    expect(verdicts.slice(0, -1).map(({ name, valid, report }) => ({ name, valid, broken: valid ? [] : brokenRules(report) }))).toEqual(
      files.map(({ name }) => ({ name, valid: true, broken: [] })),
    );
    expect(verdicts.at(-1)).toMatchObject({ name: 'BE-tampered.xml', valid: false });
    expect(brokenRules(verdicts.at(-1)!.report).join('\n')).toMatch(/BR-CO-16/);
  });

  it('holds the UBL to the Peppol BIS rules as well: without its buyer reference, a Belgian invoice is refused', async () => {
    const ubl = (await peppolUbl(documentFor('BE', 'fr'))).body.toString('utf8').replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '');
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

    const long = await renderFirstPage(await renderDocumentPdf(documentFor('LU', 'de', Array.from({ length: 120 }, () => LINES[0]!))));
    expect(long.pages).toBeGreaterThan(2);
    // A full page of lines stops short of the footer, which is still there.
    expect(long.ink.slice(1, 17).every((perMille) => perMille > 2)).toBe(true);
    expect(long.ink[18]! > 2 || long.ink[19]! > 2).toBe(true);
  });
});
