import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { InvoiceDetail, InvoiceReader, InvoiceSummary } from '../../db/invoices';
import { renderInvoicePdf } from '../invoice-pdf';
import { customerScope, mayRead } from '../customer-scope';
import { notFound } from '../problems';
import { principalOf } from '../request-principal';
import { InvoiceHtml, InvoiceList, InvoicePdf, InvoiceListQuery, InvoiceNumberParams, InvoiceView } from '../schemas/invoice';
import { problemResponses as problems } from '../schemas/problem';

export interface InvoiceRoutesDeps {
  invoices: InvoiceReader;
}

const withLinks = <T extends InvoiceSummary>(invoice: T) => ({
  ...invoice,
  links: { self: `/v1/invoices/${invoice.number}`, html: `/v1/invoices/${invoice.number}/html`, pdf: `/v1/invoices/${invoice.number}/pdf` },
});

export const invoiceRoutes: FastifyPluginCallbackTypebox<InvoiceRoutesDeps> = (app, { invoices }, done) => {
  /** A customer's key reads its own company's invoices; another's answers as if it did not exist. */
  async function visibleInvoice(request: FastifyRequest, number: string): Promise<InvoiceDetail> {
    const invoice = await invoices.find(number);
    if (!invoice || !mayRead(principalOf(request), invoice.customerId)) throw notFound(`no invoice ${number}`);
    return invoice;
  }

  app.get(
    '/invoices',
    { schema: { summary: 'Invoices, all or of one customer (a customer key: its own)', querystring: InvoiceListQuery, response: { 200: InvoiceList, ...problems(401, 403, 422, 500) } } },
    async (request) => ({ invoices: (await invoices.list(customerScope(principalOf(request), request.query.customer))).map(withLinks) }),
  );

  app.get(
    '/invoices/:number',
    { schema: { summary: 'An invoice with its lines', params: InvoiceNumberParams, response: { 200: InvoiceView, ...problems(401, 404, 422, 500) } } },
    async (request) => withLinks(await visibleInvoice(request, request.params.number)),
  );

  app.get(
    '/invoices/:number/html',
    { schema: { summary: 'An invoice as the customer receives it', params: InvoiceNumberParams, response: { 200: InvoiceHtml, ...problems(401, 404, 422, 500) } } },
    async (request, reply) => {
      const page = await invoices.html(request.params.number);
      if (!page || !mayRead(principalOf(request), page.customerId)) throw notFound(`no invoice ${request.params.number}`);
      return reply.type('text/html; charset=utf-8').send(page.html);
    },
  );

  app.get(
    '/invoices/:number/pdf',
    { schema: { summary: 'An invoice as a PDF document', params: InvoiceNumberParams, response: { 200: InvoicePdf, ...problems(401, 404, 422, 500) } } },
    async (request, reply) => {
      const invoice = await visibleInvoice(request, request.params.number);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
        .send(await renderInvoicePdf(invoice));
    },
  );

  done();
};
