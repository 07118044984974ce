import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { InvoiceReader, InvoiceSummary } from '../../db/invoices';
import { renderInvoicePdf } from '../invoice-pdf';
import { notFound } from '../problems';
import { InvoiceHtml, InvoiceList, InvoicePdf, InvoiceListQuery, InvoiceNumberParams, InvoiceView } from '../schemas/invoice';
import { ProblemSchema } from '../schemas/ticket';

export interface InvoiceRoutesDeps {
  invoices: InvoiceReader;
}

const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));

const withLinks = <T extends InvoiceSummary>(invoice: T) => ({
  ...invoice,
  links: { self: `/v1/invoices/${invoice.number}`, html: `/v1/invoices/${invoice.number}/html`, pdf: `/v1/invoices/${invoice.number}/pdf` },
});

export const invoiceRoutes: FastifyPluginCallbackTypebox<InvoiceRoutesDeps> = (app, { invoices }, done) => {
  app.get(
    '/invoices',
    { schema: { summary: 'Invoices, all or of one customer', querystring: InvoiceListQuery, response: { 200: InvoiceList, ...problems(422, 500) } } },
    async (request) => ({ invoices: (await invoices.list(request.query.customer)).map(withLinks) }),
  );

  app.get(
    '/invoices/:number',
    { schema: { summary: 'An invoice with its lines', params: InvoiceNumberParams, response: { 200: InvoiceView, ...problems(404, 422, 500) } } },
    async (request) => {
      const invoice = await invoices.find(request.params.number);
      if (!invoice) throw notFound(`no invoice ${request.params.number}`);
      return withLinks(invoice);
    },
  );

  app.get(
    '/invoices/:number/html',
    { schema: { summary: 'An invoice as the customer receives it', params: InvoiceNumberParams, response: { 200: InvoiceHtml, ...problems(404, 422, 500) } } },
    async (request, reply) => {
      const html = await invoices.html(request.params.number);
      if (html === undefined) throw notFound(`no invoice ${request.params.number}`);
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  app.get(
    '/invoices/:number/pdf',
    { schema: { summary: 'An invoice as a PDF document', params: InvoiceNumberParams, response: { 200: InvoicePdf, ...problems(404, 422, 500) } } },
    async (request, reply) => {
      const invoice = await invoices.find(request.params.number);
      if (!invoice) throw notFound(`no invoice ${request.params.number}`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
        .send(await renderInvoicePdf(invoice));
    },
  );

  done();
};
