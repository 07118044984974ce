import type { Pool } from 'pg';
import { DESK_ZONE } from '../messages/desk-zone';
import type { DocumentLine, InvoiceDocument } from '../domain/invoicing/document';
import type { LineLabel } from '../domain/pricing/line-labels';
import { creditNoteStore, type CreditNoteStore } from './credit-notes';

/** An invoice's line as issued; null ticket number on a contract fee or a purchase of prepaid hours. */
export type InvoiceLine = DocumentLine;

/** A line as PostgreSQL returns it: bigint and numeric come back as text. */
export interface InvoiceLineRow {
  ticket_number: string | null;
  description: string;
  /** Null on lines written before labels (migration 0024). */
  label?: LineLabel | null;
  minutes: number;
  rate_cents: string;
  multiplier: string;
  amount_cents: string;
}

export const toInvoiceLine = (row: InvoiceLineRow): InvoiceLine => ({
  ticketNumber: row.ticket_number,
  description: row.description,
  ...(row.label ? { label: row.label } : {}),
  minutes: row.minutes,
  rateCents: Number(row.rate_cents),
  multiplier: Number(row.multiplier),
  amountCents: Number(row.amount_cents),
});

export interface InvoiceSummary {
  number: string;
  customerId: string;
  periodStart: string;
  periodEnd: string;
  /** The sum of the lines, VAT excluded. */
  totalCents: number;
  /** VAT and the amount due; absent on invoices issued before VAT was computed (migration 0022). */
  vatCents?: number;
  grossCents?: number;
  issuedAt: string;
}

export interface InvoiceDetail extends InvoiceSummary {
  lines: InvoiceLine[];
  /** Everything the invoice says, as issued (domain/invoicing/document.ts); absent on invoices older than migration 0022. */
  document?: InvoiceDocument;
}

// Dates as text: pg would turn a `date` into a Date at local midnight, which shifts with the server's zone.
const SUMMARY_COLUMNS = `number, customer_id, to_char(period_start, 'YYYY-MM-DD') AS period_start,
  to_char(period_end, 'YYYY-MM-DD') AS period_end, total_cents, vat_cents, gross_cents, issued_at`;

interface SummaryRow {
  number: string;
  customer_id: string;
  period_start: string;
  period_end: string;
  total_cents: string;
  vat_cents: string | null;
  gross_cents: string | null;
  issued_at: Date;
}

const toSummary = (row: SummaryRow): InvoiceSummary => ({
  number: row.number,
  customerId: row.customer_id,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  totalCents: Number(row.total_cents),
  ...(row.vat_cents === null ? {} : { vatCents: Number(row.vat_cents) }),
  ...(row.gross_cents === null ? {} : { grossCents: Number(row.gross_cents) }),
  issuedAt: row.issued_at.toISOString(),
});

/** What the API reads of invoices; the invoicing activities are the only writers. */
export function invoiceReader(db: Pool): InvoiceReader {
  return {
    creditNotes: creditNoteStore(db),

    async list(customerId?: string): Promise<InvoiceSummary[]> {
      const { rows } = await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM invoices WHERE $1::text IS NULL OR customer_id = $1 ORDER BY number`,
        [customerId ?? null],
      );
      return rows.map(toSummary);
    },

    async find(number: string): Promise<InvoiceDetail | undefined> {
      const { rows } = await db.query<SummaryRow & { id: string; document: InvoiceDocument | null }>(
        `SELECT id, document, ${SUMMARY_COLUMNS} FROM invoices WHERE number = $1`,
        [number],
      );
      if (!rows[0]) return undefined;
      const lines = await db.query<InvoiceLineRow>(
        `SELECT ticket_number, description, minutes, rate_cents, multiplier, amount_cents, 0 AS part, id AS position FROM billing_lines WHERE invoice_id = $1
         UNION ALL
         SELECT NULL, description, minutes, COALESCE(rate_cents, amount_cents), 1, amount_cents, 1, position FROM invoice_fee_lines WHERE invoice_id = $1
         ORDER BY part, position`,
        [rows[0].id],
      );
      return {
        ...toSummary(rows[0]),
        lines: lines.rows.map(toInvoiceLine),
        ...(rows[0].document ? { document: rows[0].document } : {}),
      };
    },

    /**
     * The documents of the invoices issued from `from` to `to` (civil dates, both included, in the desk's zone), in
     * number order: what the accountant's export is made of. Invoices issued before documents were kept are left out.
     */
    async documentsIssued(from: string, to: string): Promise<InvoiceDocument[]> {
      const { rows } = await db.query<{ document: InvoiceDocument }>(
        `SELECT document FROM invoices
         WHERE document IS NOT NULL AND (issued_at AT TIME ZONE '${DESK_ZONE}')::date BETWEEN $1::date AND $2::date
         ORDER BY number`,
        [from, to],
      );
      return rows.map((row) => row.document);
    },

    /**
     * A billed ticket's lines as billing_lines keeps them, in the bill's order, each with its label (what the line is,
     * as data, for a reader to word in its own language: domain/invoicing/line-texts.ts). The ticket's bill
     * (activities/billing.ts) keys its lines `<workflow ID>:billing:<index>`; none before it is billed.
     */
    async ticketLines(ticketNumber: string): Promise<TicketBillingLine[]> {
      const { rows } = await db.query<{
        position: string;
        label: LineLabel | null;
        minutes: number;
        rate_cents: string;
        multiplier: string;
        amount_cents: string;
      }>(
        `SELECT substring(idempotency_key from ':billing:([0-9]+)$') AS position, label, minutes, rate_cents, multiplier, amount_cents
         FROM billing_lines WHERE ticket_number = $1 AND idempotency_key ~ ':billing:[0-9]+$'`,
        [ticketNumber],
      );
      return rows
        .map((row) => ({
          index: Number(row.position),
          ...(row.label ? { label: row.label } : {}),
          minutes: row.minutes,
          rateCents: Number(row.rate_cents),
          multiplier: Number(row.multiplier),
          amountCents: Number(row.amount_cents),
        }))
        .sort((a, b) => a.index - b.index);
    },

    /** The page as issued, with whose it is: a customer key may read its own only. */
    async html(number: string): Promise<{ customerId: string; html: string } | undefined> {
      const { rows } = await db.query<{ customer_id: string; html: string }>(
        'SELECT customer_id, html FROM invoices WHERE number = $1',
        [number],
      );
      return rows[0] && { customerId: rows[0].customer_id, html: rows[0].html };
    },
  };
}

/** One line of a billed ticket's bill, at its place in the bill (`index`), with its label where it was written with one. */
export interface TicketBillingLine {
  index: number;
  label?: LineLabel;
  minutes: number;
  rateCents: number;
  multiplier: number;
  amountCents: number;
}

export interface InvoiceReader {
  list(customerId?: string): Promise<InvoiceSummary[]>;
  ticketLines(ticketNumber: string): Promise<TicketBillingLine[]>;
  find(number: string): Promise<InvoiceDetail | undefined>;
  documentsIssued(from: string, to: string): Promise<InvoiceDocument[]>;
  html(number: string): Promise<{ customerId: string; html: string } | undefined>;
  /** Credit notes, issued against these invoices (db/credit-notes.ts); route tests may leave them out. */
  creditNotes?: CreditNoteStore;
}
