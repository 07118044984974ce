import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { AccountStore } from '../messages/accounts';
import type { InboundStore } from '../db/inbound';
import type { OutboxStore } from '../db/outbox';
import type { WebhookStore } from '../db/webhooks';
import { authentication } from './auth';
import { docs } from './docs';
import { utf8JsonBodies } from './json-bodies';
import { metrics, type MetricsOptions } from './metrics';
import { notFound, problemErrorHandler, sendProblem, toProblem } from './problems';
import {
  AuthFailureLimit,
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_RATE_LIMIT,
  rateLimitOptions,
  type RateLimitSettings,
} from './rate-limit';
import { temporalReadiness, type ReadinessChecks } from './readiness';
import { requestIdOf, requestIds } from './request-ids';
import { RequestLog } from './request-log';
import { securityHeaders } from './security-headers';
import { adminRoutes, type AdminRoutesDeps } from './routes/admin';
import { contractRoutes } from './routes/contracts';
import { policyRoutes, type PolicyRoutesDeps } from './routes/policies';
import { refuseNonFiniteNumbers } from './finite-numbers';
import { outboxRoutes } from './routes/outbox';
import { inboundRoutes } from './routes/inbound';
import { webhookRoutes } from './routes/webhooks';
import { healthRoutes } from './routes/health';
import { iconRoute } from './web/icon';
import { invoiceRoutes, type InvoiceRoutesDeps } from './routes/invoices';
import { ticketBillRoutes } from './routes/ticket-bill';
import { prepaidRoutes, type PrepaidRoutesDeps } from './routes/prepaid';
import { reportRoutes, type ReportRoutesDeps } from './routes/reports';
import { ticketListRoutes, type TicketListRoutesDeps } from './routes/ticket-list';
import { ticketRoutes, type TicketRoutesDeps } from './routes/tickets';
import { failingWorkflowTasks } from './workflow-task-report';
import { userRoutes } from './routes/users';
import { consoleDeps, consoleRoutes, type PeopleDeps } from './web/console';
import { DEFAULT_PUBLIC_URL } from './web/sign-in-mail';
import { EMAIL_ADDRESS } from '../domain/text';

/** Operations settings, each with a default so that a test passes only what it is about. */
export interface OpsDeps {
  /** Checks GET /ready runs besides Temporal's and the worker's (from `temporal`), by name; the server adds PostgreSQL's. */
  readiness?: ReadinessChecks;
  readinessTimeoutMs?: number;
  /** Per API key; `false` turns the limit off. */
  rateLimit?: RateLimitSettings | false;
  /** Failed authentications per client address, after which it gets 429 until its window ends; `false` turns it off. */
  authFailureLimit?: RateLimitSettings | false;
  metrics?: MetricsOptions;
  /** The e-mail outbox: its admin list, each ticket's notices, and its figures on /metrics. */
  outbox?: OutboxStore;
  /** Mail received (mail/inbound/): the admin's triage list, and each ticket's messages and attachments. */
  inbound?: InboundStore;
  /** Webhook endpoints and their deliveries (mail/webhooks/): the admin's API. */
  webhooks?: WebhookStore;
  /** People who sign in to the console, and their sessions: the console is served, and /v1 also takes a signed-in browser (api/sessions.ts). */
  people?: PeopleDeps;
}

/** Invoices, prepaid hours, the ticket list and the SLA report are served only when the app is given their readers. `accounts` authenticates every /v1 call. */
export type ApiDeps = TicketRoutesDeps &
  Partial<InvoiceRoutesDeps> &
  Partial<Pick<PrepaidRoutesDeps, 'prepaid'>> &
  Partial<TicketListRoutesDeps> &
  Partial<Pick<ReportRoutesDeps, 'slaReport'>> &
  Partial<PolicyRoutesDeps> & { accounts: AccountStore } & Pick<AdminRoutesDeps, 'transaction'> &
  OpsDeps;

const noRoute = (request: FastifyRequest, reply: FastifyReply) =>
  sendProblem(reply, toProblem(notFound(`no route ${request.method} ${request.url}`)));

/**
 * Every /v1 route, in one encapsulated plugin whose onRequest hook authenticates (fastify/demo's `autohooks`): a
 * route is protected because it is registered here, not because its URL looks like /v1, so no spelling of a path
 * that reaches it (`/%76%31/...`) skips the key. Its own 404 handler runs the hook too: an unknown /v1 path answers
 * 401 to a caller without a key, as a known one does.
 */
const v1Routes =
  (deps: ApiDeps): FastifyPluginAsyncTypebox =>
  async (v1) => {
    const failureLimit =
      deps.authFailureLimit === false
        ? undefined
        : new AuthFailureLimit(deps.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT);
    const sessions = deps.people && { store: deps.people.sessions, now: deps.now ?? Date.now };
    v1.addHook('onRequest', authentication(deps.accounts, failureLimit, sessions));
    v1.setNotFoundHandler(noRoute);
    await v1.register(ticketRoutes, deps);
    await v1.register(adminRoutes, {
      accounts: deps.accounts,
      users: deps.people?.users,
      sessions: deps.people?.sessions,
      idempotency: deps.idempotency,
      transaction: deps.transaction,
      prefix: '/admin',
    });
    if (deps.policyVersions) await v1.register(policyRoutes, { policyVersions: deps.policyVersions, prefix: '/admin' });
    if (deps.people) {
      const links = {
        ...deps.people,
        publicUrl: deps.people.settings?.publicUrl ?? DEFAULT_PUBLIC_URL,
        now: deps.now ?? Date.now,
      };
      await v1.register(userRoutes, {
        ...deps.people,
        links,
        accounts: deps.accounts,
        idempotency: deps.idempotency,
        prefix: '/admin',
      });
    }
    if (deps.outbox) await v1.register(outboxRoutes, { outbox: deps.outbox });
    if (deps.inbound)
      await v1.register(inboundRoutes, { inbound: deps.inbound, temporal: deps.temporal, snapshots: deps.snapshots });
    if (deps.webhooks) await v1.register(webhookRoutes, { webhooks: deps.webhooks, accounts: deps.accounts });
    if (deps.invoices) {
      await v1.register(invoiceRoutes, { invoices: deps.invoices });
      await v1.register(ticketBillRoutes, {
        invoices: deps.invoices,
        temporal: deps.temporal,
        snapshots: deps.snapshots,
      });
    }
    if (deps.prepaid) await v1.register(prepaidRoutes, { accounts: deps.accounts, prepaid: deps.prepaid });
    if (deps.ticketQueries)
      await v1.register(ticketListRoutes, {
        ticketQueries: deps.ticketQueries,
        now: deps.now,
        policies: deps.policies,
      });
    if (deps.slaReport)
      await v1.register(reportRoutes, { slaReport: deps.slaReport, ticketQueries: deps.ticketQueries, now: deps.now });
    await v1.register(contractRoutes, { accounts: deps.accounts, now: deps.now });
  };

/** The HTTP API as a Fastify instance, built from injected clients so tests can hand it their own. */
export function buildApp(deps: ApiDeps, options: FastifyServerOptions = {}): FastifyInstance {
  const app = Fastify({
    bodyLimit: 256 * 1024,
    // A field the schema does not know is refused, naming it, rather than dropped without a word (Fastify's default).
    // An e-mail address is the one the stores take too (domain/text.ts EMAIL_ADDRESS), after ajv-formats' own.
    ajv: {
      customOptions: { removeAdditional: false },
      onCreate: (ajv) => void ajv.addFormat('email', EMAIL_ADDRESS),
    },
    genReqId: requestIdOf,
    logController: new RequestLog(),
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(problemErrorHandler);
  utf8JsonBodies(app);
  refuseNonFiniteNumbers(app);
  // Before the routes: the limiter and the OpenAPI generator hook each route as it is added.
  void app.register(requestIds);
  void app.register(securityHeaders);
  if (deps.rateLimit !== false)
    void app.register(fastifyRateLimit, rateLimitOptions(deps.rateLimit ?? DEFAULT_RATE_LIMIT));
  void app.register(docs);
  const failures = deps.workflowTaskFailures;
  const outbox = deps.outbox;
  void app.register(metrics, {
    ...deps.metrics,
    ...(failures ? { failingWorkflowTasks: () => failures.countFailingNow() } : {}),
    ...(outbox ? { outboxFigures: () => outbox.figures() } : {}),
    ...(deps.backPressure ? { backPressure: deps.backPressure } : {}),
  });
  const readinessTimeoutMs = deps.readinessTimeoutMs ?? 2_000;
  const temporalChecks = temporalReadiness(deps.temporal, {
    taskQueue: deps.taskQueue,
    timeoutMs: readinessTimeoutMs,
    seenWithinMs: deps.workerSeenWithinMs,
    now: deps.now,
  });
  void app.register(healthRoutes, {
    readiness: { ...temporalChecks, ...deps.readiness },
    readinessTimeoutMs,
    // Failing workflow tasks do not make the API unready (it serves every other ticket), but /ready names them.
    details: failures ? { workflowTasks: () => failingWorkflowTasks(failures) } : {},
  });
  void app.register(iconRoute);
  app.setNotFoundHandler(noRoute);
  void app.register(v1Routes(deps), { prefix: '/v1' });
  if (deps.people) void app.register(consoleRoutes, { ...consoleDeps(app, deps.people, deps.now), prefix: '/console' });
  return app;
}
