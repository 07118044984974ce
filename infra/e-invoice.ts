/**
 * An issued invoice as the structured e-invoice its customer's country expects (domain/invoicing/parties.ts,
 * eInvoiceFormatFor): Peppol BIS Billing 3.0 UBL, or Factur-X, a PDF/A-3 of the invoice with its EN 16931 CII
 * embedded. The XML is written by @e-invoice-eu/core (WTFPL; plain JavaScript, runs on Node 20) from the data of
 * domain/invoicing/en16931.ts; the PDF is Vigil's own (api/invoice-pdf.ts).
 */
import type { InvoiceService } from '@e-invoice-eu/core';
import { renderDocumentPdf } from '../api/invoice-pdf';
import type { InvoiceDocument } from '../domain/invoicing/document';
import { en16931Data } from '../domain/invoicing/en16931';
import { eInvoiceFormatFor, type EInvoiceFormat } from '../domain/invoicing/parties';

// The library reports what it fills in or ignores; Vigil's data is complete, so its warnings are noise in the logs.
const quiet = { log: () => {}, warn: () => {}, error: (message: string) => console.error(message) };
// Loaded at the first e-invoice: the library and its PDF and spreadsheet dependencies take about a second to load,
// which every process that imports the API (the CLI, each API test file) would otherwise pay for a file few write.
let service: InvoiceService | undefined;
async function invoiceService(): Promise<InvoiceService> {
  service ??= new (await import('@e-invoice-eu/core')).InvoiceService(quiet);
  return service;
}

export interface EInvoice {
  format: EInvoiceFormat;
  contentType: string;
  filename: string;
  body: Buffer;
}

export async function peppolUbl(document: InvoiceDocument): Promise<EInvoice> {
  const xml = await (
    await invoiceService()
  ).generate(en16931Data(document, 'peppol'), { format: 'UBL', lang: document.language, noWarnings: true });
  return {
    format: 'peppol-ubl',
    contentType: 'application/xml; charset=utf-8',
    filename: `${document.number}.xml`,
    body: Buffer.from(xml),
  };
}

export async function facturX(document: InvoiceDocument): Promise<EInvoice> {
  const pdf = await renderDocumentPdf(document, { pdfA: true });
  const file = await (
    await invoiceService()
  ).generate(en16931Data(document, 'factur-x'), {
    format: 'Factur-X-EN16931',
    lang: document.language,
    noWarnings: true,
    pdf: { buffer: pdf, filename: `${document.number}.pdf`, mimetype: 'application/pdf' },
  });
  return {
    format: 'factur-x',
    contentType: 'application/pdf',
    filename: `${document.number}.pdf`,
    body: Buffer.from(file),
  };
}

/** The e-invoice the customer's country (or its own choice, on its record when the invoice was issued) asks for. */
export const eInvoiceOf = (document: InvoiceDocument): Promise<EInvoice> =>
  eInvoiceFormatFor(document.buyer) === 'factur-x' ? facturX(document) : peppolUbl(document);
