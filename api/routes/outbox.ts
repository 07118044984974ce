import { Type } from '@sinclair/typebox';
import { literals } from '../../messages/schema-parts';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';
import { OUTBOX_STATES, stateOf, type OutboxRow, type OutboxStore } from '../../db/outbox';
import { requireRoles } from '../auth';
import { problemResponses as problems } from '../schemas/problem';

export interface OutboxRoutesDeps {
  outbox: OutboxStore;
}

const NoticeView = Type.Object({
  id: Type.Integer(),
  kind: Type.String({
    description:
      'acknowledgement, refusal, threshold-warning, breach, emergency-opened, taken-in-charge, waiting-for-customer, resolution-proposed, validated, quote-submitted',
  }),
  state: literals(OUTBOX_STATES, {
    description: 'pending (to send, or to try again at nextAttemptAt), sent, or failed for good',
  }),
  recipient: Type.String(),
  subject: Type.String(),
  ticketNumber: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Optional(Type.String({ format: 'date-time' })),
  sentAt: Type.Optional(Type.String({ format: 'date-time' })),
  failedAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastError: Type.Optional(
    Type.String({ description: "the SMTP server's answer, or why the notice could not be addressed" }),
  ),
  messageId: Type.Optional(Type.String()),
});
const NoticeList = Type.Object({ notices: Type.Array(NoticeView) });

const view = (row: OutboxRow) => {
  const state = stateOf(row);
  return {
    id: row.id,
    kind: row.kind,
    state,
    recipient: row.recipient,
    subject: row.subject,
    ticketNumber: row.ticketNumber,
    createdAt: row.createdAt.toISOString(),
    attempts: row.attempts,
    nextAttemptAt: state === 'pending' ? row.nextAttemptAt.toISOString() : undefined,
    sentAt: row.sentAt?.toISOString(),
    failedAt: row.failedAt?.toISOString(),
    lastError: row.lastError,
    messageId: row.messageId,
  };
};

const Limit = Type.Integer({ minimum: 1, maximum: 500, default: 100 });
const refusals = problems(401, 403, 422, 500);

/**
 * The outbox as people see it: every notice with its delivery state. `GET /admin/outbox?state=failed` lists what
 * will never arrive without somebody acting (a 5xx answer, attempts exhausted, a level nobody answers for);
 * `GET /tickets/:number/notifications` is the ticket's own, for the desk. Mount under /v1.
 */
export const outboxRoutes: FastifyPluginCallbackTypebox<OutboxRoutesDeps> = (app, { outbox }, done) => {
  app.get(
    '/admin/outbox',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: 'Notices of the outbox by delivery state, newest first (failed: most recently failed first)',
        tags: ['notifications'],
        querystring: Type.Object({
          state: Type.Optional(literals(OUTBOX_STATES)),
          limit: Type.Optional(Limit),
        }),
        response: { 200: NoticeList, ...refusals },
      },
    },
    async (request) => ({
      notices: (await outbox.list({ state: request.query.state, limit: request.query.limit ?? 100 })).map(view),
    }),
  );

  app.get(
    '/tickets/:number/notifications',
    {
      onRequest: requireRoles('admin', 'manager', 'agent'),
      schema: {
        summary: "The ticket's e-mail notices and whether each arrived at the SMTP server",
        tags: ['notifications'],
        params: Type.Object({ number: Type.String({ pattern: TICKET_NUMBER_PATTERN }) }),
        querystring: Type.Object({ limit: Type.Optional(Limit) }),
        response: { 200: NoticeList, ...refusals },
      },
    },
    async (request) => ({
      notices: (await outbox.list({ ticketNumber: request.params.number, limit: request.query.limit ?? 100 })).map(
        view,
      ),
    }),
  );
  done();
};
