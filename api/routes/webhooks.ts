import { Type } from '@sinclair/typebox';
import { literals } from '../../messages/schema-parts';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { AccountStore } from '../../messages/accounts';
import {
  DELIVERY_STATES,
  deliveryStateOf,
  WEBHOOK_EVENTS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookStore,
} from '../../db/webhooks';
import { Line } from '../schemas/text';
import { requireRoles } from '../auth';
import { invalidField, notFound } from '../problems';
import { problemResponses as problems } from '../schemas/problem';

export interface WebhookRoutesDeps {
  webhooks: WebhookStore;
  accounts: AccountStore;
}

const Instant = Type.String({ format: 'date-time' });
const Events = Type.Array(literals(WEBHOOK_EVENTS), {
  minItems: 1,
  uniqueItems: true,
});
const EndpointView = Type.Object({
  id: Type.Integer(),
  customerId: Type.Optional(
    Type.String({ description: "absent: the desk's own endpoint, told of every customer's tickets" }),
  ),
  url: Type.String(),
  events: Events,
  createdAt: Instant,
  disabledAt: Type.Optional(Instant),
});
const NewEndpoint = Type.Object(
  {
    url: Line(2_000, { description: 'https://…; http:// only to this machine (localhost, 127.0.0.1, [::1])' }),
    secret: Line(200, {
      minLength: 16,
      description: 'The HMAC-SHA256 key of Vigil-Signature; at least 16 characters, never shown again',
    }),
    customerId: Type.Optional(
      Line(100, { description: "Only this customer's tickets; absent: every customer's (the desk's endpoint)" }),
    ),
    events: Type.Optional(Events),
  },
  { additionalProperties: false },
);
const DeliveryView = Type.Object({
  id: Type.Integer(),
  endpointId: Type.Integer(),
  url: Type.String(),
  event: Type.String(),
  state: literals(DELIVERY_STATES),
  ticketNumber: Type.Optional(Type.String()),
  body: Type.String({ description: 'the JSON as it is signed and sent' }),
  createdAt: Instant,
  attempts: Type.Integer(),
  nextAttemptAt: Type.Optional(Instant),
  deliveredAt: Type.Optional(Instant),
  failedAt: Type.Optional(Instant),
  lastStatus: Type.Optional(Type.Integer({ description: "the endpoint's last HTTP status" })),
  lastError: Type.Optional(Type.String()),
});

const endpointView = (endpoint: WebhookEndpoint) => ({
  ...endpoint,
  createdAt: endpoint.createdAt.toISOString(),
  disabledAt: endpoint.disabledAt?.toISOString(),
});
const deliveryView = (delivery: WebhookDelivery) => {
  const state = deliveryStateOf(delivery);
  return {
    ...delivery,
    state,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: state === 'pending' ? delivery.nextAttemptAt.toISOString() : undefined,
    deliveredAt: delivery.deliveredAt?.toISOString(),
    failedAt: delivery.failedAt?.toISOString(),
  };
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A webhook goes over HTTPS: it carries tickets' titles and a signature whose secret must not be sniffed. Plain HTTP
 * is taken only to this machine, where no network sees it (a local relay, the tests' receiver).
 */
function endpointUrl(value: string): string {
  if (!URL.canParse(value)) throw invalidField('body.url', 'is not a URL');
  const url = new URL(value);
  if (url.username || url.password)
    throw invalidField('body.url', 'must not carry a user or password: the signature authenticates the call');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url.toString();
  throw invalidField('body.url', 'must be https:// (http:// is taken for localhost only)');
}

/** Admin only: register, list and disable webhook endpoints, and see every delivery with its last outcome. Mount under /v1. */
export const webhookRoutes: FastifyPluginCallbackTypebox<WebhookRoutesDeps> = (app, { webhooks, accounts }, done) => {
  const refusals = problems(401, 403, 422, 500);
  app.post(
    '/admin/webhooks',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: "Register an endpoint for breach, warning and status events of one customer's tickets, or of all",
        tags: ['webhooks'],
        body: NewEndpoint,
        response: { 201: EndpointView, ...refusals },
      },
    },
    async (request, reply) => {
      const { url, secret, customerId, events } = request.body;
      if (customerId !== undefined && !(await accounts.getCustomer(customerId)))
        throw invalidField('body.customerId', `names no known customer: ${customerId}`);
      const endpoint = await webhooks.register({
        url: endpointUrl(url),
        secret,
        events: events ?? [...WEBHOOK_EVENTS],
        ...(customerId === undefined ? {} : { customerId }),
      });
      return reply.status(201).send(endpointView(endpoint));
    },
  );

  app.get(
    '/admin/webhooks',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: 'The registered endpoints (secrets are never shown)',
        tags: ['webhooks'],
        response: { 200: Type.Object({ endpoints: Type.Array(EndpointView) }), ...refusals },
      },
    },
    async () => ({ endpoints: (await webhooks.endpoints()).map(endpointView) }),
  );

  app.post(
    '/admin/webhooks/:id/disable',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: 'Stop sending to an endpoint (what was queued for it still goes)',
        tags: ['webhooks'],
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: { 200: EndpointView, ...problems(401, 403, 404, 422, 500) },
      },
    },
    async (request) => {
      const endpoint = await webhooks.disable(request.params.id);
      if (!endpoint) throw notFound(`no webhook endpoint ${request.params.id}`);
      return endpointView(endpoint);
    },
  );

  app.get(
    '/admin/webhooks/deliveries',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: 'Every delivery, newest first, by state (failed: will not be tried again)',
        tags: ['webhooks'],
        querystring: Type.Object({
          state: Type.Optional(literals(DELIVERY_STATES)),
          endpoint: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView) }), ...refusals },
      },
    },
    async (request) => ({
      deliveries: (
        await webhooks.deliveries({
          state: request.query.state,
          endpointId: request.query.endpoint,
          limit: request.query.limit ?? 100,
        })
      ).map(deliveryView),
    }),
  );
  done();
};
