import { Type } from '@sinclair/typebox';
import { literals } from '../../messages/schema-parts';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import { INBOUND_STATES, type AttachmentRow, type InboundRow, type InboundStore } from '../../db/inbound';
import type { TicketSnapshots } from '../../db/ticket-snapshots';
import { TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';
import { requireRoles } from '../auth';
import { notFound } from '../problems';
import { problemResponses as problems } from '../schemas/problem';
import { ownTicketsOnly, TICKET_ROLES } from '../ticket-access';

export interface InboundRoutesDeps {
  inbound: InboundStore;
  temporal: Client;
  snapshots: TicketSnapshots;
}

const Instant = Type.String({ format: 'date-time' });
const MailView = Type.Object({
  id: Type.Integer(),
  state: literals(INBOUND_STATES, {
    description:
      'received (not acted on yet), opened (a ticket), threaded (onto a ticket), triage (an admin looks), ignored (automatic mail)',
  }),
  reason: Type.Optional(Type.String({ description: 'what was done with it and why' })),
  via: Type.String({ description: 'smtp or imap' }),
  messageId: Type.Optional(Type.String()),
  from: Type.Optional(Type.String()),
  envelopeFrom: Type.Optional(Type.String()),
  to: Type.Array(Type.String()),
  subject: Type.String(),
  text: Type.String(),
  ticketNumber: Type.Optional(Type.String()),
  customerId: Type.Optional(Type.String()),
  attachments: Type.Integer(),
  receivedAt: Instant,
  processedAt: Type.Optional(Instant),
});
const AttachmentView = Type.Object({
  id: Type.Integer(),
  mailId: Type.Integer(),
  filename: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  receivedAt: Instant,
  href: Type.String(),
});

const mailView = (row: InboundRow) => ({
  id: row.id,
  state: row.state,
  reason: row.reason,
  via: row.via,
  messageId: row.messageId,
  from: row.fromAddress,
  envelopeFrom: row.mailFrom,
  to: row.rcptTo,
  subject: row.subject,
  text: row.bodyText,
  ticketNumber: row.ticketNumber,
  customerId: row.customerId,
  attachments: row.attachments,
  receivedAt: row.receivedAt.toISOString(),
  processedAt: row.processedAt?.toISOString(),
});
const attachmentView = (ticketNumber: string, row: AttachmentRow) => ({
  id: row.id,
  mailId: row.inboundId,
  filename: row.filename,
  contentType: row.contentType,
  sizeBytes: row.sizeBytes,
  receivedAt: row.receivedAt.toISOString(),
  href: `/v1/tickets/${ticketNumber}/attachments/${row.id}`,
});

const TicketParams = Type.Object({ number: Type.String({ pattern: TICKET_NUMBER_PATTERN }) });
const Limit = Type.Integer({ minimum: 1, maximum: 500, default: 100 });

/**
 * A filename safe in a quoted Content-Disposition parameter, with the real one in filename* (RFC 6266), percent-encoded
 * as RFC 5987 reads it: encodeURIComponent leaves ' ( ) and * as they are, which its attr-char does not take (a '
 * separates the charset and the language from the name).
 */
export const attachmentDisposition = (filename: string) =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(
    filename,
  ).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * Mail received (mail/inbound/): the admin's list by state (`triage`: nobody known sent it; `ignored`: auto-replies,
 * bounces and loops, with the reason), and, on a ticket, the mails that opened it or went onto it and their
 * attachments. The ticket routes answer a customer's key for its own company's tickets only, as GET /tickets/:number
 * does (api/ticket-access.ts): another company's ticket is the same 404 as a missing one. Mount under /v1.
 */
export const inboundRoutes: FastifyPluginCallbackTypebox<InboundRoutesDeps> = (
  app,
  { inbound, temporal, snapshots },
  done,
) => {
  app.addHook('preHandler', ownTicketsOnly(temporal, snapshots));
  const readers = requireRoles(...TICKET_ROLES.read);

  app.get(
    '/admin/inbound',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary:
          'Mail received, newest first, by state (triage: for a person to look at; ignored: automatic mail, with why)',
        tags: ['mail'],
        querystring: Type.Object({
          state: Type.Optional(literals(INBOUND_STATES)),
          limit: Type.Optional(Limit),
        }),
        response: { 200: Type.Object({ mails: Type.Array(MailView) }), ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => ({
      mails: (await inbound.list({ state: request.query.state, limit: request.query.limit ?? 100 })).map(mailView),
    }),
  );

  app.get(
    '/tickets/:number/messages',
    {
      onRequest: readers,
      schema: {
        summary: 'The e-mails that opened the ticket or went onto it, oldest first',
        tags: ['mail'],
        params: TicketParams,
        response: { 200: Type.Object({ messages: Type.Array(MailView) }), ...problems(401, 403, 404, 422, 500) },
      },
    },
    async (request) => ({ messages: (await inbound.messages(request.params.number)).map(mailView) }),
  );

  app.get(
    '/tickets/:number/attachments',
    {
      onRequest: readers,
      schema: {
        summary: 'The attachments of the e-mails of the ticket',
        tags: ['mail'],
        params: TicketParams,
        response: {
          200: Type.Object({ attachments: Type.Array(AttachmentView) }),
          ...problems(401, 403, 404, 422, 500),
        },
      },
    },
    async (request) => ({
      attachments: (await inbound.attachments(request.params.number)).map((row) =>
        attachmentView(request.params.number, row),
      ),
    }),
  );

  app.get(
    '/tickets/:number/attachments/:id',
    {
      onRequest: readers,
      schema: {
        summary: 'One attachment, as it came',
        tags: ['mail'],
        params: Type.Object({
          number: TicketParams.properties.number,
          id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
        }),
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the attachment as it came' }),
          ...problems(401, 403, 404, 422, 500),
        },
      },
    },
    async (request, reply) => {
      const { number, id } = request.params;
      const attachment = await inbound.attachment(number, id);
      if (!attachment) throw notFound(`no attachment ${id} on ticket ${number}`);
      // Served as a download whatever it claims to be: an attachment's HTML is never rendered under the API's origin.
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', attachmentDisposition(attachment.filename))
        .header('x-content-type-options', 'nosniff')
        .header('x-vigil-content-type', attachment.contentType.replace(/[^\x20-\x7e]/g, '_'))
        .send(attachment.content);
    },
  );
  done();
};
