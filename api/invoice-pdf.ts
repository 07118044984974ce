import PDFDocument from 'pdfkit';
import { expiryText, formatEur, withoutTicketPrefix } from '../activities/invoice-html';
import type { InvoiceDetail } from '../db/invoices';

// The standard PDF fonts know no narrow no-break space: amounts group thousands with a plain space here.
const eur = (cents: number) => formatEur(cents).replace(/\u202f/g, ' ');

const COLUMNS = [
  { title: 'Ticket', width: 70, align: 'left' },
  { title: 'Description', width: 175, align: 'left' },
  { title: 'Minutes', width: 50, align: 'right' },
  { title: 'Rate', width: 80, align: 'right' },
  { title: 'Coef.', width: 40, align: 'right' },
  { title: 'Amount', width: 80, align: 'right' },
] as const;

function row(doc: PDFKit.PDFDocument, cells: readonly string[], font: string): void {
  const top = doc.y;
  let x = doc.page.margins.left;
  let bottom = top;
  doc.font(font).fontSize(9);
  cells.forEach((cell, index) => {
    const { width, align } = COLUMNS[index]!;
    doc.text(cell, x, top, { width, align });
    bottom = Math.max(bottom, doc.y);
    x += width;
  });
  doc.y = bottom + 3;
  if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
}

/** The invoice as a PDF, from the same lines as its HTML: the minutes detail, each line's amount, the total. */
export function renderInvoicePdf(invoice: InvoiceDetail): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${invoice.number}`, Subject: `Invoice for ${invoice.customerId}` } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text(`Invoice ${invoice.number}`);
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
  doc.text(`Customer: ${invoice.customerId}`);
  doc.text(`Period: ${invoice.periodStart} to ${invoice.periodEnd}`);
  doc.text(`Issued: ${invoice.issuedAt}`);
  doc.moveDown();
  row(doc, COLUMNS.map((column) => column.title), 'Helvetica-Bold');
  for (const line of invoice.lines) {
    const detail = line.minutes > 0 ? [String(line.minutes), `${eur(line.rateCents)}/h`, `x${line.multiplier}`] : ['', '', ''];
    row(doc, [line.ticketNumber ?? '', withoutTicketPrefix(line), ...detail, eur(line.amountCents)], 'Helvetica');
  }
  doc.moveDown(0.5);
  row(doc, ['', 'Total', '', '', '', eur(invoice.totalCents)], 'Helvetica-Bold');
  const expiries = invoice.prepaidExpiries ?? [];
  if (expiries.length > 0) {
    doc.moveDown().font('Helvetica-Bold').fontSize(10).text('Prepaid hours expired:', doc.page.margins.left);
    for (const expiry of expiries) doc.font('Helvetica').fontSize(9).text(expiryText(expiry));
  }
  doc.end();
  return done;
}
