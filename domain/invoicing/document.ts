/**
 * An issued invoice as one plain value: everything its HTML, PDF, UBL and Factur-X say, computed once when it is
 * issued (activities/invoicing.ts) and stored with it (invoices.document, migration 0022), so every rendering of it,
 * now or in ten years, reads the same seller, buyer, lines, VAT and dates, whatever the configuration or the
 * customer record say by then.
 */
import { DateTime } from 'luxon';
import type { CustomerBilling, Seller } from './parties';
import { structuredCommunication } from './structured-communication';
import { invoiceLanguageOf, type InvoiceLanguage } from './texts';
import { vatTotals, vatTreatment, type VatTotals, type VatTreatment } from './vat';

export interface DocumentLine {
  /** Null on a contract fee or a purchase of prepaid hours: it belongs to no ticket. */
  ticketNumber: string | null;
  description: string;
  minutes: number;
  rateCents: number;
  multiplier: number;
  amountCents: number;
}

/** What a contract's prepaid hours did in the invoice's year: bought, used, expired, left (minutes). */
export interface PrepaidStatement {
  contractId: string;
  year: number;
  boughtMinutes: number;
  usedMinutes: number;
  expiredMinutes: number;
  leftMinutes: number;
}

export interface PrepaidExpiryNote {
  contractId: string;
  year: number;
  minutes: number;
}

export interface Buyer extends CustomerBilling {
  customerId: string;
}

export interface InvoiceDocument {
  number: string;
  /** Civil dates, YYYY-MM-DD, in the desk's zone. */
  issueDate: string;
  dueDate: string;
  periodStart: string;
  periodEnd: string;
  currency: 'EUR';
  language: InvoiceLanguage;
  seller: Seller;
  buyer: Buyer;
  vat: VatTreatment;
  /** Lines of each ticket together, tickets in number order, then the contract's lines. */
  tickets: Array<{ number: string; title: string; lines: DocumentLine[] }>;
  contractLines: DocumentLine[];
  totals: VatTotals;
  /** The Belgian structured communication for Belgian customers; the invoice number otherwise. */
  paymentReference: string;
  prepaid: PrepaidStatement[];
  prepaidExpiries: PrepaidExpiryNote[];
}

export interface InvoiceFacts {
  number: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  seller: Seller;
  buyer: Buyer;
  /** The customer's language on its record. */
  language: string;
  lines: readonly DocumentLine[];
  ticketTitles: Readonly<Record<string, string>>;
  prepaid?: PrepaidStatement[];
  prepaidExpiries?: PrepaidExpiryNote[];
}

export const addDays = (isoDate: string, days: number): string => DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate()!;

/** All the lines of a document, tickets' first, in the order they are printed. */
export const documentLines = (document: Pick<InvoiceDocument, 'tickets' | 'contractLines'>): DocumentLine[] => [
  ...document.tickets.flatMap((ticket) => ticket.lines),
  ...document.contractLines,
];

export function composeInvoice(facts: InvoiceFacts): InvoiceDocument {
  const { seller, buyer } = facts;
  const vat = vatTreatment({ sellerCountry: seller.country, buyerCountry: buyer.country, buyerVatNumber: buyer.vatNumber });
  const byTicket = new Map<string, DocumentLine[]>();
  const contractLines: DocumentLine[] = [];
  for (const line of facts.lines) {
    if (line.ticketNumber === null) contractLines.push(line);
    else byTicket.set(line.ticketNumber, [...(byTicket.get(line.ticketNumber) ?? []), line]);
  }
  const tickets = [...byTicket.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([number, lines]) => ({ number, title: facts.ticketTitles[number] ?? '', lines }));
  return {
    number: facts.number,
    issueDate: facts.issueDate,
    dueDate: addDays(facts.issueDate, seller.paymentDays),
    periodStart: facts.periodStart,
    periodEnd: facts.periodEnd,
    currency: 'EUR',
    language: invoiceLanguageOf(facts.language),
    seller,
    buyer,
    vat,
    tickets,
    contractLines,
    totals: vatTotals(facts.lines.map((line) => ({ amountCents: line.amountCents, vat }))),
    paymentReference: buyer.country === 'BE' ? structuredCommunication(facts.number) : facts.number,
    prepaid: facts.prepaid ?? [],
    prepaidExpiries: facts.prepaidExpiries ?? [],
  };
}
