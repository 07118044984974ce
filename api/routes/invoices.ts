import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { InvoiceDetail, InvoiceReader, InvoiceSummary } from '../../db/invoices';
import { renderDocumentPdf, renderInvoicePdf } from '../invoice-pdf';
import { CreditNoteError, type CreditNoteDetail } from '../../db/credit-notes';
import { customerScope, mayRead } from '../customer-scope';
import { HttpProblem, invalidField, notFound, problemType } from '../problems';
import { requireRoles } from '../auth';
import { journalCsv } from '../../domain/invoicing/journal';
import { EInvoiceRefusal } from '../../domain/invoicing/en16931';
import { eInvoiceFormatFor } from '../../domain/invoicing/parties';
import { invoicePrepaid } from '../../domain/invoicing/prepaid-statement';
import { facturX, peppolUbl, type EInvoice } from '../../infra/e-invoice';
import { principalOf } from '../request-principal';
import {
  CreditNoteNumberParams,
  CreditNoteView,
  NewCreditNoteBody,
  InvoiceCsv,
  InvoiceExportQuery,
  InvoiceHtml,
  InvoiceList,
  InvoicePdf,
  InvoiceListQuery,
  InvoiceNumberParams,
  InvoiceUbl,
  InvoiceView,
} from '../schemas/invoice';
import { problemResponses as problems } from '../schemas/problem';

export interface InvoiceRoutesDeps {
  invoices: InvoiceReader;
}

const withLinks = <T extends InvoiceSummary>(invoice: T) => ({
  ...invoice,
  links: {
    self: `/v1/invoices/${invoice.number}`,
    html: `/v1/invoices/${invoice.number}/html`,
    pdf: `/v1/invoices/${invoice.number}/pdf`,
    ubl: `/v1/invoices/${invoice.number}/ubl`,
    facturx: `/v1/invoices/${invoice.number}/facturx`,
  },
});

const eInvoiceUnavailable = (detail: string) =>
  new HttpProblem({
    type: problemType('e-invoice-unavailable'),
    title: 'No e-invoice for this invoice',
    status: 409,
    detail,
  });

/**
 * The invoice as `render` writes it: any invoice in either form on request (the customer's country picks the one it
 * is sent, `eInvoiceFormat` in the detail). Refused with 409 when the invoice predates e-invoicing or its customer had
 * no invoicing identity when it was issued: the document is what was issued, and is never made up afterwards.
 */
async function eInvoice(
  invoice: Pick<InvoiceDetail, 'number' | 'document'>,
  render: (document: NonNullable<InvoiceDetail['document']>) => Promise<EInvoice>,
): Promise<EInvoice> {
  if (!invoice.document)
    throw eInvoiceUnavailable(`${invoice.number} was issued before invoices carried their seller, buyer and VAT`);
  try {
    return await render(invoice.document);
  } catch (error) {
    if (error instanceof EInvoiceRefusal) throw eInvoiceUnavailable(`${invoice.number}: ${error.message}`);
    throw error;
  }
}

export const invoiceRoutes: FastifyPluginCallbackTypebox<InvoiceRoutesDeps> = (app, { invoices }, done) => {
  /** A customer's key reads its own company's invoices; another's answers as if it did not exist. */
  async function visibleInvoice(request: FastifyRequest, number: string): Promise<InvoiceDetail> {
    const invoice = await invoices.find(number);
    if (!invoice || !mayRead(principalOf(request), invoice.customerId)) throw notFound(`no invoice ${number}`);
    return invoice;
  }

  app.get(
    '/invoices',
    {
      schema: {
        summary: 'Invoices, all or of one customer (a customer key: its own)',
        querystring: InvoiceListQuery,
        response: { 200: InvoiceList, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => ({
      invoices: (await invoices.list(customerScope(principalOf(request), request.query.customer))).map(withLinks),
    }),
  );

  app.get(
    '/invoices/export',
    {
      // The books of every customer: staff who keep them, not customers.
      onRequest: requireRoles('admin', 'manager'),
      schema: {
        summary:
          "The accountant's export: invoices, lines or journal totals per VAT rate, issued from one date to another, as CSV",
        querystring: InvoiceExportQuery,
        response: { 200: InvoiceCsv, ...problems(401, 403, 422, 500) },
      },
    },
    async (request, reply) => {
      const { from, to, part = 'invoices' } = request.query;
      if (to < from) throw invalidField('querystring.to', `${to} is before from (${from})`);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="vigil-${part}-${from}-${to}.csv"`)
        .send(journalCsv(part, await invoices.documentsIssued(from, to)));
    },
  );

  app.get(
    '/invoices/:number',
    {
      schema: {
        summary: 'An invoice with its lines',
        params: InvoiceNumberParams,
        response: { 200: InvoiceView, ...problems(401, 404, 422, 500) },
      },
    },
    async (request) => {
      const { document, ...invoice } = await visibleInvoice(request, request.params.number);
      // The format the customer is sent, as its record said when the invoice was issued.
      const prepaid = document && invoicePrepaid(document);
      return {
        ...withLinks(invoice),
        ...(document ? { eInvoiceFormat: eInvoiceFormatFor(document.buyer), vat: document.totals.breakdown } : {}),
        // The prepaid statement its HTML and PDF print, from the same document.
        ...(prepaid ? { prepaid } : {}),
      };
    },
  );

  app.get(
    '/invoices/:number/html',
    {
      schema: {
        summary: 'An invoice as the customer receives it',
        params: InvoiceNumberParams,
        response: { 200: InvoiceHtml, ...problems(401, 404, 422, 500) },
      },
    },
    async (request, reply) => {
      const page = await invoices.html(request.params.number);
      if (!page || !mayRead(principalOf(request), page.customerId))
        throw notFound(`no invoice ${request.params.number}`);
      return reply.type('text/html; charset=utf-8').send(page.html);
    },
  );

  eInvoiceRoutes(app, 'invoices', InvoiceNumberParams, visibleInvoice);

  app.get(
    '/invoices/:number/pdf',
    {
      schema: {
        summary: 'An invoice as a PDF document',
        params: InvoiceNumberParams,
        response: { 200: InvoicePdf, ...problems(401, 404, 422, 500) },
      },
    },
    async (request, reply) => {
      const invoice = await visibleInvoice(request, request.params.number);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
        .send(await renderInvoicePdf(invoice));
    },
  );

  if (invoices.creditNotes) creditNoteRoutes(app, invoices.creditNotes);
  done();
};

const creditNoteView = ({ document: _document, ...note }: CreditNoteDetail) => {
  const self = `/v1/credit-notes/${note.number}`;
  return {
    ...note,
    links: {
      self,
      invoice: `/v1/invoices/${note.invoiceNumber}`,
      html: `${self}/html`,
      pdf: `${self}/pdf`,
      ubl: `${self}/ubl`,
      facturx: `${self}/facturx`,
    },
  };
};

type App = Parameters<FastifyPluginCallbackTypebox<InvoiceRoutesDeps>>[0];

const E_INVOICES = [
  {
    suffix: 'ubl',
    render: peppolUbl,
    response: InvoiceUbl,
    what: 'Peppol BIS Billing 3.0 UBL (EN 16931), the e-invoice of Belgian and Luxembourgish customers',
  },
  {
    suffix: 'facturx',
    render: facturX,
    response: InvoicePdf,
    what: 'Factur-X (PDF/A-3 with its EN 16931 CII embedded), the e-invoice of French customers',
  },
] as const;

/** GET /v1/<kind>/:number/ubl and /facturx, for invoices and credit notes alike. */
function eInvoiceRoutes(
  app: App,
  kind: 'invoices' | 'credit-notes',
  params: typeof InvoiceNumberParams | typeof CreditNoteNumberParams,
  visible: (request: FastifyRequest, number: string) => Promise<Pick<InvoiceDetail, 'number' | 'document'>>,
): void {
  for (const { suffix, render, response, what } of E_INVOICES) {
    app.get(
      `/${kind}/:number/${suffix}`,
      {
        schema: {
          summary: `${kind === 'invoices' ? 'An invoice' : 'A credit note'} as ${what}`,
          params,
          response: { 200: response, ...problems(401, 404, 409, 422, 500) },
        },
      },
      async (request, reply) => {
        const file = await eInvoice(await visible(request, request.params.number), render);
        return reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .send(file.body);
      },
    );
  }
}

/** Credit notes: issued by admins and managers against an invoice; read like invoices, by whose they are. */
function creditNoteRoutes(app: App, notes: NonNullable<InvoiceReader['creditNotes']>): void {
  async function visibleNote(request: FastifyRequest, number: string): Promise<CreditNoteDetail> {
    const note = await notes.find(number);
    if (!note || !mayRead(principalOf(request), note.customerId)) throw notFound(`no credit note ${number}`);
    return note;
  }

  app.post(
    '/invoices/:number/credit-notes',
    {
      onRequest: requireRoles('admin', 'manager'),
      schema: {
        summary: 'Cancel an invoice in full or in part: a credit note, numbered CN-<year>-NNNNNN without gaps',
        params: InvoiceNumberParams,
        body: NewCreditNoteBody,
        response: { 201: CreditNoteView, ...problems(401, 403, 404, 409, 422, 500) },
      },
    },
    async (request, reply) => {
      let note: CreditNoteDetail | undefined;
      try {
        note = await notes.issue(request.params.number, {
          reason: request.body.reason,
          ...(request.body.lines ? { positions: request.body.lines } : {}),
        });
      } catch (error) {
        if (!(error instanceof CreditNoteError)) throw error;
        if (error.conflict) {
          throw new HttpProblem({
            type: problemType('already-credited'),
            title: 'Cannot be credited so',
            status: 409,
            detail: error.message,
          });
        }
        throw invalidField(`body.${error.field}`, error.message);
      }
      if (!note) throw notFound(`no invoice ${request.params.number}`);
      const view = creditNoteView(note);
      return reply.status(201).header('location', view.links.self).send(view);
    },
  );

  app.get(
    '/credit-notes/:number',
    {
      schema: {
        summary: 'A credit note',
        params: CreditNoteNumberParams,
        response: { 200: CreditNoteView, ...problems(401, 404, 422, 500) },
      },
    },
    async (request) => creditNoteView(await visibleNote(request, request.params.number)),
  );

  app.get(
    '/credit-notes/:number/html',
    {
      schema: {
        summary: 'A credit note as its customer reads it',
        params: CreditNoteNumberParams,
        response: { 200: InvoiceHtml, ...problems(401, 404, 422, 500) },
      },
    },
    async (request, reply) => {
      const page = await notes.html(request.params.number);
      if (!page || !mayRead(principalOf(request), page.customerId))
        throw notFound(`no credit note ${request.params.number}`);
      return reply.type('text/html; charset=utf-8').send(page.html);
    },
  );

  app.get(
    '/credit-notes/:number/pdf',
    {
      schema: {
        summary: 'A credit note as a PDF document',
        params: CreditNoteNumberParams,
        response: { 200: InvoicePdf, ...problems(401, 404, 422, 500) },
      },
    },
    async (request, reply) => {
      const note = await visibleNote(request, request.params.number);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${note.number}.pdf"`)
        .send(await renderDocumentPdf(note.document));
    },
  );

  eInvoiceRoutes(app, 'credit-notes', CreditNoteNumberParams, async (request, number) => {
    const note = await visibleNote(request, number);
    return { number: note.number, document: note.document };
  });
}
