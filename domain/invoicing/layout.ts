/**
 * Every word an invoice shows, in the customer's language, in reading order: the HTML (activities/invoice-html.ts) and
 * the PDF (api/invoice-pdf.ts) only lay this out, so the two never say different things (the prepaid statement, the
 * legal mentions and the payment reference included).
 */
import { documentLines, type DocumentLine, type InvoiceDocument } from './document';
import type { PostalAddress } from './parties';
import { invoicePrepaid } from './prepaid-statement';
import { formatDate, formatMoney, TEXTS } from './texts';
import { ratePercent } from './vat';

export interface LayoutRow {
  description: string;
  quantity: string;
  rate: string;
  amount: string;
}

export interface InvoiceLayout {
  language: InvoiceDocument['language'];
  title: string;
  /** The seller's logo, when it has one, at the head of the page; named by the seller for who cannot see it. */
  logo?: { mediaType: string; data: string; alt: string };
  seller: { heading: string; lines: string[] };
  buyer: { heading: string; lines: string[] };
  meta: Array<{ label: string; value: string }>;
  columns: LayoutRow;
  groups: Array<{ heading: string; rows: LayoutRow[] }>;
  totals: Array<{ label: string; value: string; strong?: boolean }>;
  /** Reverse charge or outside scope, when it applies: the mention the law asks for. */
  vatMention?: string;
  payment: string[];
  prepaid?: { heading: string; lines: string[] };
  footer: string[];
}

// Billing lines repeat their ticket number in the description; the invoice shows it in the group's heading.
const withoutTicketPrefix = ({ ticketNumber, description }: DocumentLine) =>
  ticketNumber && description.startsWith(`${ticketNumber}: `)
    ? description.slice(ticketNumber.length + 2)
    : description;

const address = ({ street, postalCode, city, country }: PostalAddress) =>
  [street, `${postalCode} ${city}`, country].filter((line) => line.trim() !== '');

export function invoiceLayout(document: InvoiceDocument): InvoiceLayout {
  const { language, seller, buyer, totals } = document;
  const t = TEXTS[language];
  const money = (cents: number) => formatMoney(cents, language);
  const date = (iso: string) => formatDate(iso, language);
  const row = (line: DocumentLine): LayoutRow => ({
    description: withoutTicketPrefix(line),
    quantity: line.minutes > 0 ? t.minutes(line.minutes) : '',
    rate: line.minutes > 0 ? `${money(line.rateCents)}/h${line.multiplier === 1 ? '' : ` ×${line.multiplier}`}` : '',
    amount: money(line.amountCents),
  });
  const groups = [
    ...document.tickets.map((ticket) => ({
      heading: `${t.ticket} ${ticket.number}${ticket.title ? ` – ${ticket.title}` : ''}`,
      rows: ticket.lines.map(row),
    })),
    ...(document.contractLines.length > 0 ? [{ heading: t.contractLines, rows: document.contractLines.map(row) }] : []),
  ];
  const prepaid = invoicePrepaid(document);
  const prepaidLines = [
    ...(prepaid?.statements ?? []).map((p) =>
      t.prepaidRow(
        p.contractId,
        t.minutes(p.boughtMinutes),
        t.minutes(p.usedMinutes),
        t.minutes(p.expiredMinutes),
        t.minutes(p.leftMinutes),
      ),
    ),
    ...(prepaid?.expiries ?? []).map((e) => t.prepaidExpired(e.contractId, e.year, t.minutes(e.minutes))),
  ];
  const vatMention =
    document.vat.exemption === 'reverse-charge'
      ? t.reverseCharge
      : document.vat.exemption === 'outside-scope'
        ? t.outsideScope
        : undefined;
  return {
    language,
    title: `${document.credits ? t.creditNote : t.invoice} ${document.number}`,
    ...(seller.logo ? { logo: { mediaType: seller.logo.mediaType, data: seller.logo.data, alt: seller.name } } : {}),
    seller: {
      heading: t.seller,
      lines: [
        seller.name,
        ...address(seller),
        `${t.vatNumber} ${seller.vatNumber}`,
        `${t.companyNumber} ${seller.companyNumber}`,
      ],
    },
    buyer: {
      heading: t.buyer,
      lines: [
        buyer.legalName,
        ...address(buyer),
        ...(buyer.vatNumber ? [`${t.vatNumber} ${buyer.vatNumber}`] : []),
        ...(buyer.email ? [buyer.email] : []),
      ],
    },
    meta: document.credits
      ? [
          { label: t.number, value: document.number },
          { label: t.issued, value: date(document.issueDate) },
          { label: t.credits, value: `${document.credits.invoiceNumber} (${date(document.credits.invoiceIssueDate)})` },
          { label: t.reason, value: document.credits.reason },
        ]
      : [
          { label: t.number, value: document.number },
          { label: t.issued, value: date(document.issueDate) },
          { label: t.due, value: date(document.dueDate) },
          { label: t.period, value: `${date(document.periodStart)} – ${date(document.periodEnd)}` },
        ],
    columns: { description: t.description, quantity: t.quantity, rate: t.rate, amount: t.amount },
    groups,
    totals: [
      { label: t.net, value: money(totals.netCents) },
      ...totals.breakdown.map((rate) => ({
        label: t.vatOn(ratePercent(rate.rateBp), money(rate.netCents)),
        value: money(rate.vatCents),
      })),
      { label: t.gross, value: money(totals.grossCents), strong: true },
    ],
    ...(vatMention ? { vatMention } : {}),
    payment: document.credits
      ? [t.creditTerms(document.credits.invoiceNumber), `${t.reference}: ${document.paymentReference}`]
      : [
          t.paymentTerms(seller.paymentDays, date(document.dueDate)),
          `${t.payTo}: IBAN ${seller.iban.replace(/(.{4})(?=.)/g, '$1 ')} – BIC ${seller.bic}`,
          `${t.reference}: ${document.paymentReference}`,
        ],
    ...(prepaidLines.length > 0 ? { prepaid: { heading: t.prepaidTitle, lines: prepaidLines } } : {}),
    footer: [
      `${seller.name} – ${address(seller).join(', ')} – ${t.vatNumber} ${seller.vatNumber} – ${t.companyNumber} ${seller.companyNumber}`,
      ...(vatMention ? [vatMention] : []),
      // The Code de commerce's penalties are French law's, for a French buyer: not every reader of French (a
      // Luxembourgish or Walloon customer) is under it.
      ...(t.latePayment && buyer.country === 'FR' ? [t.latePayment] : []),
    ],
  };
}

/** The lines of a document in print order, for callers that need them flat (the API's view, the CSV export). */
export { documentLines };
