import {
  composeInvoice,
  type Buyer,
  type DocumentLine,
  type InvoiceDocument,
} from '../../../domain/invoicing/document';
import type { LineLabel, LineNote } from '../../../domain/pricing/line-labels';
import { describeLine } from '../../../domain/pricing/line-wording';
import { DEMO_SELLER } from '../../../infra/seller';

// Names and titles as an adversary types them: markup, quotes, ampersands, a right-to-left mark, a non-Latin script.
export const POISON = `<script>alert("x")</script> & 'Ünïcødé' \u200f Łódź 東京`;

export const BUYERS: Record<'BE' | 'FR' | 'LU', Buyer> = {
  BE: {
    customerId: 'brasserie',
    legalName: `Brasserie ${POISON} SA`,
    street: "Rue de l'Étuve 52",
    postalCode: '1000',
    city: 'Bruxelles',
    country: 'BE',
    vatNumber: 'BE0403170701',
    email: 'factures@brasserie.be',
  },
  FR: {
    customerId: 'atelier',
    legalName: 'Atelier Lumière SARL',
    street: '8 rue de Rivoli',
    postalCode: '75004',
    city: 'Paris',
    country: 'FR',
    vatNumber: 'FR40303265045',
    email: 'compta@atelier.fr',
  },
  LU: {
    customerId: 'acme',
    legalName: 'Acme Luxembourg S.A.',
    street: '2 avenue de la Liberté',
    postalCode: 'L-1930',
    city: 'Luxembourg',
    country: 'LU',
    vatNumber: 'LU10000053',
    email: 'invoices@acme.lu',
  },
};

/** A ticket's line as billing writes it: the English description prefixed by the ticket's number, and its label. */
const ticketLine = (
  ticketNumber: string,
  label: LineLabel,
  figures: Pick<DocumentLine, 'minutes' | 'rateCents' | 'multiplier' | 'amountCents'>,
): DocumentLine => ({
  ticketNumber,
  description: `${ticketNumber}: ${describeLine(label)}`,
  label,
  ...figures,
});

const intervention = (
  n: number,
  date: string,
  from: string,
  to: string,
  notes: LineNote[] = [],
  onSite = false,
): LineLabel => ({ kind: 'intervention', intervention: n, rateName: null, onSite, span: { date, from, to }, notes });
const MONTHLY_FEE: LineLabel = { kind: 'monthly-fee', plan: 'e-connect Support Desk', month: '2026-10' };

export const LINES: DocumentLine[] = [
  ticketLine(
    'VIG-000001',
    intervention(1, '2026-10-06', '18:10', '18:47', [{ kind: 'band', label: 'outside office hours' }]),
    { minutes: 37, rateCents: 10000, multiplier: 1.5, amountCents: 9251 },
  ),
  ticketLine(
    'VIG-000001',
    intervention(2, '2026-10-07', '09:00', '10:00', [{ kind: 'band', label: 'office hours' }], true),
    { minutes: 60, rateCents: 10000, multiplier: 1, amountCents: 10000 },
  ),
  ticketLine('VIG-000002', intervention(1, '2026-10-20', '14:00', '14:15'), {
    minutes: 15,
    rateCents: 10000,
    multiplier: 1,
    amountCents: 2500,
  }),
  {
    ticketNumber: null,
    description: describeLine(MONTHLY_FEE),
    label: MONTHLY_FEE,
    minutes: 0,
    rateCents: 18500,
    multiplier: 1,
    amountCents: 18500,
  },
];

export function documentFor(
  country: keyof typeof BUYERS,
  language = 'fr',
  lines: readonly DocumentLine[] = LINES,
): InvoiceDocument {
  return composeInvoice({
    number: 'INV-2026-000042',
    issueDate: '2026-11-02',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    seller: DEMO_SELLER,
    buyer: BUYERS[country],
    language,
    lines,
    ticketTitles: { 'VIG-000001': `Printer down ${POISON}`, 'VIG-000002': 'VPN drops every hour' },
    prepaid: [
      { contractId: '7', year: 2026, boughtMinutes: 600, usedMinutes: 90, expiredMinutes: 0, leftMinutes: 510 },
    ],
    prepaidExpiries: [{ contractId: '7', year: 2025, minutes: 30 }],
  });
}
