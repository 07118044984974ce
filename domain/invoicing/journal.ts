/**
 * What the accountant books: the invoices of a period, their lines, and the journal's totals per VAT category and
 * rate, as CSV (domain/csv.ts: formula-safe text), amounts as plain decimals with a point. From the documents as
 * issued, so the books match what customers received. Amounts are written by decimal(), never taken from text, so
 * a negative amount keeps its sign.
 */
import { csvFigure, toCsv } from '../csv';
import { documentLines, type InvoiceDocument } from './document';
import { decimal } from './en16931';
import { eInvoiceFormatFor } from './parties';
import { ratePercent, type VatCategory } from './vat';

export const JOURNAL_PARTS = ['invoices', 'lines', 'journal'] as const;
export type JournalPart = (typeof JOURNAL_PARTS)[number];

const money = (cents: number) => csvFigure(decimal(cents));

export interface JournalRow {
  category: VatCategory;
  rateBp: number;
  invoices: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
}

/** Totals per VAT category and rate over the invoices: what the VAT return adds up. */
export function journalTotals(documents: readonly InvoiceDocument[]): JournalRow[] {
  const rows = new Map<string, JournalRow>();
  for (const document of documents) {
    for (const rate of document.totals.breakdown) {
      const key = `${rate.category}/${rate.rateBp}`;
      const row = rows.get(key) ?? {
        category: rate.category,
        rateBp: rate.rateBp,
        invoices: 0,
        netCents: 0,
        vatCents: 0,
        grossCents: 0,
      };
      row.invoices += 1;
      row.netCents += rate.netCents;
      row.vatCents += rate.vatCents;
      row.grossCents += rate.netCents + rate.vatCents;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.rateBp - a.rateBp || a.category.localeCompare(b.category));
}

export function journalCsv(part: JournalPart, documents: readonly InvoiceDocument[]): string {
  if (part === 'invoices') {
    return toCsv([
      [
        'number',
        'issue_date',
        'due_date',
        'customer_id',
        'legal_name',
        'country',
        'vat_number',
        'vat_category',
        'net',
        'vat',
        'gross',
        'currency',
        'payment_reference',
        'e_invoice',
      ],
      ...documents.map((d) => [
        d.number,
        d.issueDate,
        d.dueDate,
        d.buyer.customerId,
        d.buyer.legalName,
        d.buyer.country,
        d.buyer.vatNumber ?? '',
        d.vat.category,
        money(d.totals.netCents),
        money(d.totals.vatCents),
        money(d.totals.grossCents),
        d.currency,
        d.paymentReference,
        eInvoiceFormatFor(d.buyer),
      ]),
    ]);
  }
  if (part === 'lines') {
    return toCsv([
      [
        'number',
        'issue_date',
        'customer_id',
        'ticket',
        'ticket_title',
        'description',
        'minutes',
        'rate',
        'multiplier',
        'net',
        'vat_category',
        'vat_rate',
      ],
      ...documents.flatMap((d) => {
        const titles = new Map(d.tickets.map((ticket) => [ticket.number, ticket.title]));
        return documentLines(d).map((line) => [
          d.number,
          d.issueDate,
          d.buyer.customerId,
          line.ticketNumber ?? '',
          titles.get(line.ticketNumber ?? '') ?? '',
          line.description,
          line.minutes,
          money(line.rateCents),
          line.multiplier,
          money(line.amountCents),
          d.vat.category,
          ratePercent(d.vat.rateBp),
        ]);
      }),
    ]);
  }
  const totals = journalTotals(documents);
  const all = totals.reduce(
    (sum, row) => ({
      invoices: sum.invoices,
      netCents: sum.netCents + row.netCents,
      vatCents: sum.vatCents + row.vatCents,
      grossCents: sum.grossCents + row.grossCents,
    }),
    { invoices: documents.length, netCents: 0, vatCents: 0, grossCents: 0 },
  );
  return toCsv([
    ['vat_category', 'vat_rate', 'invoices', 'net', 'vat', 'gross'],
    ...totals.map((row) => [
      row.category,
      ratePercent(row.rateBp),
      row.invoices,
      money(row.netCents),
      money(row.vatCents),
      money(row.grossCents),
    ]),
    ['total', '', all.invoices, money(all.netCents), money(all.vatCents), money(all.grossCents)],
  ]);
}
