import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { InvoiceDetail } from '../db/invoices';
import type { InvoiceDocument } from '../domain/invoicing/document';
import { invoiceLayout, type InvoiceLayout } from '../domain/invoicing/layout';
import { formatMoney } from '../domain/invoicing/texts';

// DejaVu, embedded (a PDF/A file may not lean on the reader's fonts, and the standard 14 fonts know no Polish, Greek or
// narrow no-break space a customer's name or an amount may hold). From npm, so every machine has the same glyphs.
const FONTS = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = path.join(FONTS, 'DejaVuSans.ttf');
const BOLD = path.join(FONTS, 'DejaVuSans-Bold.ttf');

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;
// Description, time, rate, amount.
const COLUMNS = [WIDTH - 230, 60, 95, 75] as const;
const GREY = '#555555';
const LOGO_WIDTH = 160;
const LOGO_HEIGHT = 48;

// pdfkit's embedded font is fontkit's; pdfkit draws a character the font lacks as glyph 0 (.notdef), which PDF/A
// forbids (ISO 19005-3, 6.2.11.8) and readers show as a box. A customer's name in a script DejaVu lacks prints '?'.
type WithFont = { _font?: { font?: { hasGlyphForCodePoint?: (codePoint: number) => boolean } } };
function printable(doc: PDFKit.PDFDocument, text: string): string {
  const font = (doc as unknown as WithFont)._font?.font;
  if (!font?.hasGlyphForCodePoint) return text;
  return [...text]
    .map((char) => (char === '\n' || font.hasGlyphForCodePoint!(char.codePointAt(0)!) ? char : '?'))
    .join('');
}

/** A document whose every text() goes through printable(). */
function newDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument(options);
  const text = doc.text.bind(doc) as (...args: unknown[]) => PDFKit.PDFDocument;
  doc.text = (value: unknown, ...rest: unknown[]) =>
    text(typeof value === 'string' ? printable(doc, value) : value, ...rest);
  return doc;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function ensureRoom(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom - 60) doc.addPage();
}

function tableRow(doc: PDFKit.PDFDocument, cells: readonly string[], font: string): void {
  ensureRoom(doc, 14);
  const top = doc.y;
  let x = MARGIN;
  let bottom = top;
  doc.font(font).fontSize(8.5);
  cells.forEach((cell, index) => {
    doc.text(cell, x + 2, top, { width: COLUMNS[index]! - 4, align: index === 0 ? 'left' : 'right' });
    bottom = Math.max(bottom, doc.y);
    x += COLUMNS[index]!;
  });
  doc.y = bottom + 3;
}

function block(
  doc: PDFKit.PDFDocument,
  x: number,
  y: number,
  width: number,
  heading: string,
  lines: readonly string[],
): number {
  doc.font(BOLD).fontSize(8).fillColor(GREY).text(heading.toUpperCase(), x, y, { width });
  doc
    .font(BOLD)
    .fontSize(10)
    .fillColor('black')
    .text(lines[0] ?? '', x, doc.y + 2, { width });
  doc.font(REGULAR).fontSize(9).text(lines.slice(1).join('\n'), x, doc.y, { width });
  return doc.y;
}

/** Header with both parties, the invoice's dates, the lines grouped by ticket, the totals block, payment and footer. */
function drawLayout(doc: PDFKit.PDFDocument, layout: InvoiceLayout): void {
  const half = WIDTH / 2 - 10;
  // The logo above the parties, fitted in a band of the page's width: scaled down, never stretched.
  if (layout.logo)
    doc.image(Buffer.from(layout.logo.data, 'base64'), MARGIN, MARGIN, { fit: [LOGO_WIDTH, LOGO_HEIGHT] });
  const top = layout.logo ? MARGIN + LOGO_HEIGHT + 12 : MARGIN;
  const sellerBottom = block(doc, MARGIN, top, half, layout.seller.heading, layout.seller.lines);
  const buyerBottom = block(doc, MARGIN + WIDTH / 2 + 10, top, half, layout.buyer.heading, layout.buyer.lines);
  doc.y = Math.max(sellerBottom, buyerBottom) + 20;
  doc.font(BOLD).fontSize(18).text(layout.title, MARGIN, doc.y);
  doc.moveDown(0.4);
  for (const { label, value } of layout.meta) {
    const y = doc.y;
    doc.font(REGULAR).fontSize(9).fillColor(GREY).text(label, MARGIN, y, { width: 120 });
    doc.fillColor('black').text(value, MARGIN + 120, y, { width: WIDTH - 120 });
  }
  doc.moveDown();
  const { columns } = layout;
  doc
    .rect(MARGIN, doc.y - 2, WIDTH, 14)
    .fill('#e8e8e8')
    .fillColor('black');
  tableRow(doc, [columns.description, columns.quantity, columns.rate, columns.amount], BOLD);
  for (const group of layout.groups) {
    ensureRoom(doc, 30);
    doc
      .moveDown(0.3)
      .font(BOLD)
      .fontSize(9)
      .text(group.heading, MARGIN + 2, doc.y, { width: WIDTH - 4 });
    doc.moveDown(0.2);
    for (const row of group.rows) tableRow(doc, [row.description, row.quantity, row.rate, row.amount], REGULAR);
  }
  doc
    .moveTo(MARGIN, doc.y + 2)
    .lineTo(MARGIN + WIDTH, doc.y + 2)
    .strokeColor('#999999')
    .stroke();
  doc.moveDown(0.5);
  for (const { label, value, strong } of layout.totals) {
    ensureRoom(doc, 14);
    const y = doc.y;
    doc.font(strong ? BOLD : REGULAR).fontSize(strong ? 11 : 9);
    doc.text(label, MARGIN, y, { width: WIDTH - 100, align: 'right' });
    doc.text(value, MARGIN + WIDTH - 95, y, { width: 95, align: 'right' });
  }
  doc.moveDown();
  if (layout.vatMention)
    doc.font(BOLD).fontSize(9).text(layout.vatMention, MARGIN, doc.y, { width: WIDTH }).moveDown(0.5);
  doc.font(REGULAR).fontSize(9).text(layout.payment.join('\n'), MARGIN, doc.y, { width: WIDTH });
  if (layout.prepaid) {
    doc.moveDown().font(BOLD).fontSize(9).text(layout.prepaid.heading, MARGIN, doc.y, { width: WIDTH });
    doc.font(REGULAR).fontSize(8.5).text(layout.prepaid.lines.join('\n'), { width: WIDTH });
  }
  // The footer on every page, where the legal mentions belong.
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page += 1) {
    doc.switchToPage(page);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(7)
      .fillColor(GREY)
      .text(layout.footer.join('\n'), MARGIN, doc.page.height - 75, { width: WIDTH, align: 'center' });
    doc.page.margins.bottom = bottom;
    doc.fillColor('black');
  }
}

/**
 * The invoice as its customer reads it. `pdfA`: a PDF/A-3b file (fonts embedded, sRGB output intent, XMP metadata),
 * which Factur-X requires of the PDF that carries its XML (infra/e-invoice.ts).
 */
export function renderDocumentPdf(
  document: InvoiceDocument,
  { pdfA = false }: { pdfA?: boolean } = {},
): Promise<Buffer> {
  const layout = invoiceLayout(document);
  const doc = newDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: layout.language,
    ...(pdfA ? { pdfVersion: '1.7' as const, subset: 'PDF/A-3b' as const, tagged: true, displayTitle: true } : {}),
    info: {
      Title: layout.title,
      Author: document.seller.name,
      Subject: `${layout.title} – ${document.buyer.legalName}`,
      CreationDate: new Date(`${document.issueDate}T12:00:00Z`),
    },
  });
  const done = collect(doc);
  drawLayout(doc, layout);
  doc.end();
  return done;
}

// Invoices issued before invoices.document (migration 0022) have no stored document: their PDF is drawn from their
// lines as it always was.
function renderLegacyPdf(invoice: InvoiceDetail): Promise<Buffer> {
  const doc = newDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `Invoice ${invoice.number}`, Subject: `Invoice for ${invoice.customerId}` },
  });
  const done = collect(doc);
  const eur = (cents: number) => formatMoney(cents, 'en');
  doc.font(BOLD).fontSize(18).text(`Invoice ${invoice.number}`);
  doc
    .moveDown(0.5)
    .font(REGULAR)
    .fontSize(10)
    .text(
      `Customer: ${invoice.customerId}\nPeriod: ${invoice.periodStart} to ${invoice.periodEnd}\nIssued: ${invoice.issuedAt}`,
    );
  doc.moveDown();
  for (const line of invoice.lines) {
    tableRow(
      doc,
      [
        `${line.ticketNumber ?? ''} ${line.description}`,
        line.minutes > 0 ? String(line.minutes) : '',
        line.minutes > 0 ? `${eur(line.rateCents)}/h ×${line.multiplier}` : '',
        eur(line.amountCents),
      ],
      REGULAR,
    );
  }
  tableRow(doc, ['Total', '', '', eur(invoice.totalCents)], BOLD);
  doc.end();
  return done;
}

export function renderInvoicePdf(invoice: InvoiceDetail): Promise<Buffer> {
  return invoice.document ? renderDocumentPdf(invoice.document) : renderLegacyPdf(invoice);
}
