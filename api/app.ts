import fastifyRateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AccountStore } from '../contracts/accounts';
import { authentication } from './auth';
import { docs } from './docs';
import { metrics, type MetricsOptions } from './metrics';
import { notFound, problemErrorHandler, sendProblem, toProblem } from './problems';
import { DEFAULT_RATE_LIMIT, rateLimitOptions, type RateLimitSettings } from './rate-limit';
import { temporalReady, type ReadinessChecks } from './readiness';
import { requestIdOf, requestIds } from './request-ids';
import { RequestLog } from './request-log';
import { adminRoutes } from './routes/admin';
import { healthRoutes } from './routes/health';
import { invoiceRoutes, type InvoiceRoutesDeps } from './routes/invoices';
import { prepaidRoutes, type PrepaidRoutesDeps } from './routes/prepaid';
import { reportRoutes, type ReportRoutesDeps } from './routes/reports';
import { ticketListRoutes, type TicketListRoutesDeps } from './routes/ticket-list';
import { ticketRoutes, type TicketRoutesDeps } from './routes/tickets';

/** Operations settings, each with a default so that a test passes only what it is about. */
export interface OpsDeps {
  /** Checks GET /ready runs besides Temporal's (which comes from `temporal`); the server adds PostgreSQL's. */
  readiness?: ReadinessChecks;
  readinessTimeoutMs?: number;
  /** Per API key; `false` turns the limit off. */
  rateLimit?: RateLimitSettings | false;
  metrics?: MetricsOptions;
}

/** Invoices, prepaid hours, the ticket list and the SLA report are served only when the app is given their readers. `accounts` authenticates every /v1 call. */
export type ApiDeps = TicketRoutesDeps & Partial<InvoiceRoutesDeps> & Partial<Pick<PrepaidRoutesDeps, 'prepaid'>> & Partial<TicketListRoutesDeps> & Partial<Pick<ReportRoutesDeps, 'slaReport'>> & { accounts: AccountStore } & OpsDeps;

/** The HTTP API as a Fastify instance, built from injected clients so tests can hand it their own. */
export function buildApp(deps: ApiDeps, options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({
    bodyLimit: 256 * 1024,
    // A field the schema does not know is refused, naming it, rather than dropped without a word (Fastify's default).
    ajv: { customOptions: { removeAdditional: false } },
    genReqId: requestIdOf,
    logController: new RequestLog(),
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(problemErrorHandler);
  // Before the routes: the limiter and the OpenAPI generator hook each route as it is added.
  void app.register(requestIds);
  if (deps.rateLimit !== false) void app.register(fastifyRateLimit, rateLimitOptions(deps.rateLimit ?? DEFAULT_RATE_LIMIT));
  void app.register(docs);
  void app.register(metrics, deps.metrics ?? {});
  const readinessTimeoutMs = deps.readinessTimeoutMs ?? 2_000;
  void app.register(healthRoutes, { readiness: { temporal: temporalReady(deps.temporal, readinessTimeoutMs), ...deps.readiness }, readinessTimeoutMs });
  app.addHook('onRequest', authentication(deps.accounts));
  app.setNotFoundHandler((request, reply) => sendProblem(reply, toProblem(notFound(`no route ${request.method} ${request.url}`))));
  void app.register(ticketRoutes, { ...deps, prefix: '/v1' });
  void app.register(adminRoutes, { accounts: deps.accounts, prefix: '/v1/admin' });
  if (deps.invoices) void app.register(invoiceRoutes, { invoices: deps.invoices, prefix: '/v1' });
  if (deps.prepaid) void app.register(prepaidRoutes, { accounts: deps.accounts, prepaid: deps.prepaid, prefix: '/v1' });
  if (deps.ticketQueries) void app.register(ticketListRoutes, { ticketQueries: deps.ticketQueries, prefix: '/v1' });
  if (deps.slaReport) void app.register(reportRoutes, { slaReport: deps.slaReport, now: deps.now, prefix: '/v1' });
  return app;
}
