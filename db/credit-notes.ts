import type { Pool } from 'pg';
import { renderInvoiceHtml } from '../activities/invoice-html';
import { DESK_ZONE } from '../messages/desk-zone';
import {
  composeCreditNote,
  CreditNoteError,
  positionsToCredit,
  type InvoiceDocument,
} from '../domain/invoicing/document';
import { withTransaction } from './transaction';

export { CreditNoteError };

const ISSUER = 'CN';

export interface CreditNoteSummary {
  number: string;
  invoiceNumber: string;
  customerId: string;
  positions: number[];
  reason: string;
  netCents: number;
  vatCents: number;
  grossCents: number;
  issuedAt: string;
}

export interface CreditNoteDetail extends CreditNoteSummary {
  document: InvoiceDocument;
}

interface Row {
  number: string;
  invoice_number: string;
  customer_id: string;
  positions: number[];
  reason: string;
  net_cents: string;
  vat_cents: string;
  gross_cents: string;
  issued_at: Date;
  document: InvoiceDocument;
}

const COLUMNS = `credit_notes.number, invoices.number AS invoice_number, invoices.customer_id, positions, reason,
  net_cents, credit_notes.vat_cents, credit_notes.gross_cents, credit_notes.issued_at, credit_notes.document`;

const toDetail = (row: Row): CreditNoteDetail => ({
  number: row.number,
  invoiceNumber: row.invoice_number,
  customerId: row.customer_id,
  positions: row.positions,
  reason: row.reason,
  netCents: Number(row.net_cents),
  vatCents: Number(row.vat_cents),
  grossCents: Number(row.gross_cents),
  issuedAt: row.issued_at.toISOString(),
  document: row.document,
});

/** Credit notes in PostgreSQL (migration 0023): issued against an invoice's document, read back as issued. */
export function creditNoteStore(db: Pool) {
  return {
    /**
     * Cancels lines of an invoice (all those not credited yet when `positions` is absent). The invoice's row is
     * locked, so two credit notes of one invoice never credit a line twice; the CN counter row is locked until commit,
     * so numbers have no gaps. Undefined when there is no such invoice; CreditNoteError when it cannot be credited so.
     */
    async issue(
      invoiceNumber: string,
      request: { reason: string; positions?: number[] },
    ): Promise<CreditNoteDetail | undefined> {
      return withTransaction(db, async (client) => {
        const invoice = await client.query<{ id: string; document: InvoiceDocument | null }>(
          'SELECT id, document FROM invoices WHERE number = $1 FOR UPDATE',
          [invoiceNumber],
        );
        if (!invoice.rows[0]) return undefined;
        const { id, document } = invoice.rows[0];
        if (!document)
          throw new CreditNoteError(
            'number',
            `${invoiceNumber} was issued before invoices carried their lines' VAT: credit it by hand`,
            true,
          );
        const credited = await client.query<{ position: number }>(
          'SELECT unnest(positions) AS position FROM credit_notes WHERE invoice_id = $1',
          [id],
        );
        const counter = await client.query<{ year: number; last_number: number; today: string }>(
          `INSERT INTO invoice_number_counters (issuer, year, last_number)
           VALUES ($1, extract(year FROM now() AT TIME ZONE '${DESK_ZONE}')::integer, 1)
           ON CONFLICT (issuer, year) DO UPDATE SET last_number = invoice_number_counters.last_number + 1
           RETURNING year, last_number, to_char(now() AT TIME ZONE '${DESK_ZONE}', 'YYYY-MM-DD') AS today`,
          [ISSUER],
        );
        const { year, last_number: last, today } = counter.rows[0]!;
        const note = composeCreditNote(document, {
          number: `${ISSUER}-${year}-${String(last).padStart(6, '0')}`,
          issueDate: today,
          reason: request.reason,
          ...(request.positions ? { positions: request.positions } : {}),
          alreadyCredited: credited.rows.map((row) => row.position),
        });
        const positions = positionsToCredit(document, {
          ...request,
          alreadyCredited: credited.rows.map((row) => row.position),
        });
        const { rows } = await client.query<{ number: string }>(
          `INSERT INTO credit_notes (number, invoice_id, positions, reason, net_cents, vat_cents, gross_cents, document, html)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING number`,
          [
            note.number,
            id,
            positions,
            request.reason,
            note.totals.netCents,
            note.totals.vatCents,
            note.totals.grossCents,
            JSON.stringify(note),
            renderInvoiceHtml(note),
          ],
        );
        return (
          await client.query<Row>(
            `SELECT ${COLUMNS} FROM credit_notes JOIN invoices ON invoices.id = invoice_id WHERE credit_notes.number = $1`,
            [rows[0]!.number],
          )
        ).rows.map(toDetail)[0];
      });
    },

    async find(number: string): Promise<CreditNoteDetail | undefined> {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM credit_notes JOIN invoices ON invoices.id = invoice_id WHERE credit_notes.number = $1`,
        [number],
      );
      return rows[0] && toDetail(rows[0]);
    },

    async html(number: string): Promise<{ customerId: string; html: string } | undefined> {
      const { rows } = await db.query<{ customer_id: string; html: string }>(
        'SELECT customer_id, credit_notes.html FROM credit_notes JOIN invoices ON invoices.id = invoice_id WHERE credit_notes.number = $1',
        [number],
      );
      return rows[0] && { customerId: rows[0].customer_id, html: rows[0].html };
    },
  };
}

export type CreditNoteStore = ReturnType<typeof creditNoteStore>;
