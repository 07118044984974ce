import type { InvoicePeriod } from '../contracts/invoice-period';
import type { InvoiceLine } from '../db/invoices';
import type { ReportedExpiry } from '../db/prepaid';

export interface InvoiceDocument extends InvoicePeriod {
  number: string;
  customerId: string;
  issuedAt: Date;
  lines: readonly InvoiceLine[];
  totalCents: number;
  /** What is left of each contract's prepaid hours once this invoice's work has drawn on them. */
  prepaidBalances?: ReadonlyArray<{ contractId: string; balanceMinutes: number }>;
  /** Prepaid hours whose year ended unused, shown by the first invoice issued after they expired. */
  prepaidExpiries?: readonly ReportedExpiry[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** Integer cents to "1 234.56 EUR" without ever going through a float. */
export function formatEur(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.floor(Math.abs(cents) / 100);
  const rest = String(Math.abs(cents) % 100).padStart(2, '0');
  return `${sign}${String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')}.${rest} EUR`;
}

// Billing lines repeat their ticket number in the description; the invoice shows it in its own column.
export const withoutTicketPrefix = ({ ticketNumber, description }: InvoiceLine) =>
  ticketNumber && description.startsWith(`${ticketNumber}: `) ? description.slice(ticketNumber.length + 2) : description;

function lineRow(line: InvoiceLine): string {
  const cells = line.minutes > 0
    ? [String(line.minutes), `${formatEur(line.rateCents)}/h`, `×${line.multiplier}`]
    : ['', '', ''];
  return `<tr><td>${escapeHtml(line.ticketNumber ?? '')}</td><td>${escapeHtml(withoutTicketPrefix(line))}</td>${cells
    .map((cell) => `<td class="num">${cell}</td>`)
    .join('')}<td class="num">${formatEur(line.amountCents)}</td></tr>`;
}

export const hoursAndMinutes = (minutes: number) => `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;

function prepaidNote(balances: InvoiceDocument['prepaidBalances'] = []): string {
  if (balances.length === 0) return '';
  const items = balances.map(({ contractId, balanceMinutes }) => `<li>contract ${escapeHtml(contractId)}: ${hoursAndMinutes(balanceMinutes)} left</li>`);
  return `<p>Prepaid hours, after the work above:</p>\n<ul>${items.join('')}</ul>\n`;
}

/** One sentence per expiry, the same in the HTML and the PDF. */
export const expiryText = ({ contractId, year, minutes }: ReportedExpiry) =>
  `contract ${contractId}: ${hoursAndMinutes(minutes)} of the hours bought for ${year} unused, expired on ${year}-12-31 (not billed, not refunded)`;

function expiryNote(expiries: InvoiceDocument['prepaidExpiries'] = []): string {
  if (expiries.length === 0) return '';
  return `<p>Prepaid hours expired:</p>\n<ul>${expiries.map((expiry) => `<li>${escapeHtml(expiryText(expiry))}</li>`).join('')}</ul>\n`;
}

/** The invoice as a self-contained HTML page, with the minutes detail the seed providers promise. */
export function renderInvoiceHtml(invoice: InvoiceDocument): string {
  const title = `Invoice ${escapeHtml(invoice.number)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd}.num{text-align:right}</style>
</head><body>
<h1>${title}</h1>
<p>Customer: ${escapeHtml(invoice.customerId)}<br>Period: ${invoice.periodStart} to ${invoice.periodEnd}<br>Issued: ${invoice.issuedAt.toISOString()}</p>
<table>
<thead><tr><th>Ticket</th><th>Description</th><th class="num">Minutes</th><th class="num">Rate</th><th class="num">Multiplier</th><th class="num">Amount</th></tr></thead>
<tbody>
${invoice.lines.map(lineRow).join('\n')}
</tbody>
<tfoot><tr><th colspan="5" class="num">Total</th><th class="num">${formatEur(invoice.totalCents)}</th></tr></tfoot>
</table>
${expiryNote(invoice.prepaidExpiries)}${prepaidNote(invoice.prepaidBalances)}</body></html>
`;
}
