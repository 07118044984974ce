import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { notFound, problemErrorHandler, sendProblem, toProblem } from './problems';
import { invoiceRoutes, type InvoiceRoutesDeps } from './routes/invoices';
import { ticketRoutes, type TicketRoutesDeps } from './routes/tickets';

/** Invoices are served only when the app is given their reader. */
export type ApiDeps = TicketRoutesDeps & Partial<InvoiceRoutesDeps>;

/** The HTTP API as a Fastify instance, built from injected clients so tests can hand it their own. */
export function buildApp(deps: ApiDeps, options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({ bodyLimit: 256 * 1024, ...options }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(reply, toProblem(notFound(`no route ${request.method} ${request.url}`))));
  void app.register(ticketRoutes, { ...deps, prefix: '/v1' });
  if (deps.invoices) void app.register(invoiceRoutes, { invoices: deps.invoices, prefix: '/v1' });
  return app;
}
