/**
 * An issued invoice as one plain value: everything its HTML, PDF, UBL and Factur-X say, computed once when it is
 * issued (activities/invoicing.ts) and stored with it (invoices.document, migration 0022), so every rendering of it,
 * now or in ten years, reads the same seller, buyer, lines, VAT and dates, whatever the configuration or the
 * customer record say by then.
 */
import { DateTime } from 'luxon';
import type { LineLabel } from '../pricing/line-labels';
import { lineText } from './line-texts';
import type { CustomerBilling, Seller } from './parties';
import { structuredCommunication } from './structured-communication';
import { invoiceLanguageOf, type InvoiceLanguage } from './texts';
import { vatTotals, vatTreatment, type VatTotals, type VatTreatment } from './vat';

export interface DocumentLine {
  /** Null on a contract fee or a purchase of prepaid hours: it belongs to no ticket. */
  ticketNumber: string | null;
  /** As printed: worded from `label` in the invoice's language when it was composed; as stored for lines without one. */
  description: string;
  /** What the line is, as data (lines billed before labels have none, and print their stored English text). */
  label?: LineLabel;
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
  /** Set on a credit note: the invoice it cancels, in full or in part, and why. */
  credits?: { invoiceNumber: string; invoiceIssueDate: string; reason: string };
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

export const addDays = (isoDate: string, days: number): string =>
  DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate()!;

/** All the lines of a document, tickets' first, in the order they are printed. */
export const documentLines = (document: Pick<InvoiceDocument, 'tickets' | 'contractLines'>): DocumentLine[] => [
  ...document.tickets.flatMap((ticket) => ticket.lines),
  ...document.contractLines,
];

export function composeInvoice(facts: InvoiceFacts): InvoiceDocument {
  const { seller, buyer } = facts;
  const language = invoiceLanguageOf(facts.language);
  const lines = facts.lines.map((line) =>
    line.label ? { ...line, description: lineText(line.label, language) } : line,
  );
  const vat = vatTreatment({
    sellerCountry: seller.country,
    buyerCountry: buyer.country,
    buyerVatNumber: buyer.vatNumber,
  });
  const byTicket = new Map<string, DocumentLine[]>();
  const contractLines: DocumentLine[] = [];
  for (const line of lines) {
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
    language,
    seller,
    buyer,
    vat,
    tickets,
    contractLines,
    totals: vatTotals(lines.map((line) => ({ amountCents: line.amountCents, vat }))),
    paymentReference: buyer.country === 'BE' ? structuredCommunication(facts.number) : facts.number,
    prepaid: facts.prepaid ?? [],
    prepaidExpiries: facts.prepaidExpiries ?? [],
  };
}

/**
 * A credit note the invoice cannot give: names the field of the request at fault. `conflict`: the request is well
 * formed but the invoice's state refuses it (its lines are credited already); otherwise the request is wrong.
 */
export class CreditNoteError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly conflict = false,
  ) {
    super(message);
  }
}

export interface CreditNoteFacts {
  number: string;
  issueDate: string;
  reason: string;
  /** The invoice's lines to cancel, by position (1-based, in print order: the e-invoice's line IDs); all when absent. */
  positions?: readonly number[];
  /** Positions earlier credit notes of the invoice cancelled already: a line is credited once. */
  alreadyCredited?: readonly number[];
}

/**
 * A credit note cancelling the chosen lines of an issued invoice, at their amounts and under the invoice's VAT
 * treatment (a credit note corrects an invoice: it cannot tax differently). Amounts stay positive, as EN 16931 writes
 * a credit note (type 381); its totals are what the invoice owed for those lines, taxed once per rate again.
 */
/** The positions a credit note cancels: those asked for, checked, or every line not credited yet. */
export function positionsToCredit(
  invoice: InvoiceDocument,
  facts: Pick<CreditNoteFacts, 'positions' | 'alreadyCredited'>,
): number[] {
  if (invoice.credits)
    throw new CreditNoteError('number', `${invoice.number} is a credit note: only an invoice is credited`);
  const count = documentLines(invoice).length;
  const positions =
    facts.positions ??
    Array.from({ length: count }, (_, index) => index + 1).filter(
      (position) => !facts.alreadyCredited?.includes(position),
    );
  if (positions.length === 0)
    throw new CreditNoteError('lines', `every line of ${invoice.number} is credited already`, true);
  const seen = new Set<number>();
  for (const [index, position] of positions.entries()) {
    if (!Number.isInteger(position) || position < 1 || position > count)
      throw new CreditNoteError(`lines.${index}`, `${invoice.number} has lines 1 to ${count} (got ${position})`);
    if (seen.has(position)) throw new CreditNoteError(`lines.${index}`, `line ${position} is listed twice`);
    if (facts.alreadyCredited?.includes(position))
      throw new CreditNoteError(`lines.${index}`, `line ${position} of ${invoice.number} is credited already`, true);
    seen.add(position);
  }
  return [...positions];
}

export function composeCreditNote(invoice: InvoiceDocument, facts: CreditNoteFacts): InvoiceDocument {
  const lines = documentLines(invoice);
  const positions = positionsToCredit(invoice, facts);
  const chosen = new Set(positions.map((position) => lines[position - 1]!));
  const tickets = invoice.tickets
    .map((ticket) => ({ ...ticket, lines: ticket.lines.filter((line) => chosen.has(line)) }))
    .filter((ticket) => ticket.lines.length > 0);
  const contractLines = invoice.contractLines.filter((line) => chosen.has(line));
  return {
    ...invoice,
    number: facts.number,
    issueDate: facts.issueDate,
    dueDate: facts.issueDate,
    tickets,
    contractLines,
    totals: vatTotals([...chosen].map((line) => ({ amountCents: line.amountCents, vat: invoice.vat }))),
    prepaid: [],
    prepaidExpiries: [],
    credits: { invoiceNumber: invoice.number, invoiceIssueDate: invoice.issueDate, reason: facts.reason },
  };
}
