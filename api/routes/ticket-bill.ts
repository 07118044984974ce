import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type { InvoiceReader } from '../../db/invoices';
import type { TicketSnapshots } from '../../db/ticket-snapshots';
import { TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';
import { requireRoles } from '../auth';
import { problemResponses as problems } from '../schemas/problem';
import { ownTicketsOnly, TICKET_ROLES } from '../ticket-access';

export interface TicketBillRoutesDeps {
  invoices: Pick<InvoiceReader, 'ticketLines'>;
  temporal: Client;
  snapshots: TicketSnapshots;
}

const BillingLineView = Type.Object({
  index: Type.Integer({ minimum: 0, description: "the line's place in the ticket's billing.lines" }),
  label: Type.Optional(
    Type.Object(
      { kind: Type.String() },
      {
        additionalProperties: true,
        description:
          'what the line is, as data (its kind and figures), for a reader to word in its own language as invoices do; absent on lines billed before labels were kept',
      },
    ),
  ),
  minutes: Type.Integer(),
  rateCents: Type.Integer(),
  multiplier: Type.Number(),
  amountCents: Type.Integer(),
});

/**
 * `GET /tickets/:number/billing-lines`: a billed ticket's lines as they were written for invoicing, each with its
 * label. The ticket's own view (GET /tickets/:number) keeps its `billing` as it always has, in English; the console's
 * ticket page words the lines in its reader's language from these labels (api/web/console.ts). A customer's key reads
 * its own company's tickets only, as for the ticket itself (api/ticket-access.ts). Mount under /v1.
 */
export const ticketBillRoutes: FastifyPluginCallbackTypebox<TicketBillRoutesDeps> = (
  app,
  { invoices, temporal, snapshots },
  done,
) => {
  app.addHook('preHandler', ownTicketsOnly(temporal, snapshots));
  app.get(
    '/tickets/:number/billing-lines',
    {
      onRequest: requireRoles(...TICKET_ROLES.read),
      schema: {
        summary: "A billed ticket's lines with their labels, in the bill's order; none before it is billed",
        tags: ['invoices'],
        params: Type.Object({ number: Type.String({ pattern: TICKET_NUMBER_PATTERN }) }),
        response: {
          200: Type.Object({ lines: Type.Array(BillingLineView) }),
          ...problems(401, 403, 404, 422, 500),
        },
      },
    },
    async (request) => ({ lines: await invoices.ticketLines(request.params.number) }),
  );
  done();
};
