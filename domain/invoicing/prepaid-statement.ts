import { availableAt, yearAt, type YearMovement } from '../pricing/prepaid-hours';
import type { InvoiceDocument, PrepaidExpiryNote, PrepaidStatement } from './document';

/**
 * What a contract's prepaid hours did, as the invoice prints it under its lines: bought, used and expired over the
 * contract's life, and what is left to draw at `at` (the year of `at`'s purchases less its draws). The same figures
 * as GET /v1/contracts/:id/prepaid-hours (db/prepaid.ts, accountOf), so the invoice and the API never disagree.
 */
export function prepaidStatement(
  contractId: string,
  movements: readonly YearMovement[],
  at: number,
  zone: string,
): PrepaidStatement {
  const total = (kind: YearMovement['kind']) =>
    movements.reduce((sum, movement) => (movement.kind === kind ? sum + Math.abs(movement.minutes) : sum), 0);
  return {
    contractId,
    year: yearAt(at, zone),
    boughtMinutes: total('purchase'),
    usedMinutes: total('draw'),
    expiredMinutes: total('expiry'),
    leftMinutes: availableAt(movements, at, zone),
  };
}

/** What an invoice reports of prepaid hours: each contract's statement, and the years' remainders it says expired. */
export interface InvoicePrepaid {
  statements: PrepaidStatement[];
  expiries: PrepaidExpiryNote[];
}

/**
 * The prepaid hours an invoice reports, as issued; undefined when it reports none. The HTML and PDF (through
 * domain/invoicing/layout.ts) and the JSON of GET /v1/invoices/:number all read it here, so they never disagree.
 */
export function invoicePrepaid(
  document: Pick<InvoiceDocument, 'prepaid' | 'prepaidExpiries'>,
): InvoicePrepaid | undefined {
  const { prepaid: statements, prepaidExpiries: expiries } = document;
  return statements.length > 0 || expiries.length > 0 ? { statements, expiries } : undefined;
}
