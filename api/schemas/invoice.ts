import { Type } from '@sinclair/typebox';
import { literals } from '../../messages/schema-parts';
import { Line, Title } from './text';
import { JOURNAL_PARTS } from '../../domain/invoicing/journal';

export const INVOICE_NUMBER_PATTERN = '^INV-\\d{4}-\\d{6,}$';

export const InvoiceNumberParams = Type.Object({
  number: Type.String({ pattern: INVOICE_NUMBER_PATTERN, description: 'Invoice number, e.g. INV-2027-000001' }),
});

export const InvoiceListQuery = Type.Object({ customer: Type.Optional(Line(100)) }, { additionalProperties: false });

const Cents = Type.Integer({ description: 'integer cents, EUR' });
const CivilDate = Type.String({ format: 'date', description: 'YYYY-MM-DD, in Europe/Luxembourg' });

export const InvoiceSummary = Type.Object({
  number: Type.String(),
  customerId: Type.String(),
  periodStart: CivilDate,
  periodEnd: CivilDate,
  totalCents: Type.Integer({ description: 'integer cents, EUR: the sum of the lines, VAT excluded' }),
  vatCents: Type.Optional(
    Type.Integer({
      description:
        'integer cents, EUR: VAT, computed per rate on the sum of the lines (EN 16931); absent on invoices issued before VAT was',
    }),
  ),
  grossCents: Type.Optional(Type.Integer({ description: 'integer cents, EUR: the amount due' })),
  issuedAt: Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' }),
  links: Type.Object({
    self: Type.String(),
    html: Type.String(),
    pdf: Type.String(),
    ubl: Type.String(),
    facturx: Type.String(),
  }),
});

export const InvoiceList = Type.Object({ invoices: Type.Array(InvoiceSummary) });

export const InvoiceView = Type.Composite([
  InvoiceSummary,
  Type.Object({
    eInvoiceFormat: Type.Optional(
      Type.Union([Type.Literal('peppol-ubl'), Type.Literal('factur-x')], {
        description:
          "the e-invoice the customer is sent: by its country (FR: Factur-X; else Peppol UBL) or its record's choice",
      }),
    ),
    vat: Type.Optional(
      Type.Array(
        Type.Object({
          category: Type.String({ description: 'UNCL5305: S standard, AE reverse charge, O outside the scope of VAT' }),
          rateBp: Type.Integer({ description: 'rate in basis points: 1700 is 17 %' }),
          exemption: Type.Optional(Type.String()),
          netCents: Cents,
          vatCents: Cents,
        }),
        { description: 'VAT per category and rate, computed on the sum of the lines at that rate (EN 16931)' },
      ),
    ),
    prepaid: Type.Optional(
      Type.Object(
        {
          statements: Type.Array(
            Type.Object({
              contractId: Type.String(),
              year: Type.Integer({ description: 'the calendar year (Europe/Luxembourg) of leftMinutes' }),
              boughtMinutes: Type.Integer(),
              usedMinutes: Type.Integer(),
              expiredMinutes: Type.Integer(),
              leftMinutes: Type.Integer({
                description: "what the year's hours still hold once this invoice's work has drawn",
              }),
            }),
          ),
          expiries: Type.Array(
            Type.Object({
              contractId: Type.String(),
              year: Type.Integer(),
              minutes: Type.Integer({ description: 'expired unused at the end of the year: not billed, not refunded' }),
            }),
          ),
        },
        {
          description:
            'prepaid hours, as the HTML and PDF print them: each contract over its life, and the expiries this invoice reports; absent when it reports none',
        },
      ),
    ),
    lines: Type.Array(
      Type.Object({
        ticketNumber: Type.Union([Type.String(), Type.Null()], { description: 'null on a contract fee' }),
        description: Type.String(),
        minutes: Type.Integer(),
        rateCents: Cents,
        multiplier: Type.Number(),
        amountCents: Cents,
      }),
    ),
  }),
]);

export const InvoiceHtml = Type.String({ description: 'the invoice as an HTML page' });
export const InvoiceExportQuery = Type.Object(
  {
    from: Type.String({ format: 'date', description: 'first issue date, YYYY-MM-DD (Europe/Luxembourg)' }),
    to: Type.String({ format: 'date', description: 'last issue date, included' }),
    part: Type.Optional(
      literals(JOURNAL_PARTS, { description: 'invoices (default), lines, or journal: totals per VAT rate' }),
    ),
  },
  { additionalProperties: false },
);
export const InvoiceCsv = Type.String({
  description: 'CSV, UTF-8 with a byte order mark, CRLF: opens as it is in a spreadsheet',
});
export const InvoiceUbl = Type.Unsafe<Buffer>({
  type: 'string',
  description: 'the invoice as Peppol BIS Billing 3.0 UBL XML',
});
export const InvoicePdf = Type.Unsafe<Buffer>({
  type: 'string',
  format: 'binary',
  description: 'the invoice as a PDF document',
});

export const CreditNoteNumberParams = Type.Object({
  number: Type.String({ pattern: '^CN-\\d{4}-\\d{6,}$', description: 'Credit note number, e.g. CN-2027-000001' }),
});

export const NewCreditNoteBody = Type.Object(
  {
    reason: Title(500, { description: 'why the invoice is credited: printed on the credit note' }),
    lines: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        minItems: 1,
        maxItems: 10_000,
        description: "the invoice's lines to cancel, 1-based in print order; absent: every line not credited yet",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreditNoteView = Type.Object({
  number: Type.String(),
  invoiceNumber: Type.String(),
  customerId: Type.String(),
  positions: Type.Array(Type.Integer()),
  reason: Type.String(),
  netCents: Cents,
  vatCents: Cents,
  grossCents: Cents,
  issuedAt: Type.String({ format: 'date-time' }),
  links: Type.Object({
    self: Type.String(),
    invoice: Type.String(),
    html: Type.String(),
    pdf: Type.String(),
    ubl: Type.String(),
    facturx: Type.String(),
  }),
});
