import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import { ticketClosed } from '../problems';
import {
  CustomerIdKey,
  KindKey,
  PriorityKey,
  SlaBreachedKey,
  StatusKey,
  TicketNumberKey,
} from '../../contracts/search-attributes';
import {
  getTicketQuery,
  proposeResolutionUpdate,
  takeChargeUpdate,
  TICKET_TASK_QUEUE,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  validateUpdate,
  type OpenTicketInput,
  type TicketState,
} from '../../contracts/ticket';
import type { TicketNumberAllocator } from '../../db/ticket-numbers';
import type { ticketWorkflow } from '../../workflows';
import {
  OpenedTicket,
  OpenTicketBody,
  ProblemSchema,
  ProposeResolutionBody,
  TakeChargeBody,
  TicketNumberParams,
  TicketView,
  ValidateBody,
} from '../schemas/ticket';
import { toTicketView } from '../ticket-view';

export interface TicketRoutesDeps {
  temporal: Client;
  allocateTicketNumber: TicketNumberAllocator;
  taskQueue?: string;
}

const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));

export const ticketRoutes: FastifyPluginCallbackTypebox<TicketRoutesDeps> = (app, { temporal, allocateTicketNumber, taskQueue = TICKET_TASK_QUEUE }, done) => {
  const handleOf = (ticketNumber: string): WorkflowHandle<typeof ticketWorkflow> =>
    temporal.workflow.getHandle<typeof ticketWorkflow>(ticketWorkflowId(ticketNumber));

  /** Temporal answers "not found" for an Update sent to a finished workflow: tell a closed ticket from a missing one. */
  async function updateOpenTicket<Body>(ticketNumber: string, update: UpdateDefinition<TicketState, [Body]>, body: Body): Promise<TicketState> {
    const handle = handleOf(ticketNumber);
    try {
      return await handle.executeUpdate(update, { args: [body] });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const finished = await handle.describe().catch(() => undefined);
      if (!finished) throw error;
      throw ticketClosed(`ticket ${ticketNumber} is ${finished.status.name.toLowerCase()}: it takes no more actions`);
    }
  }

  app.post(
    '/tickets',
    { schema: { summary: 'Open a ticket', body: OpenTicketBody, response: { 201: OpenedTicket, ...problems(422, 500) } } },
    async (request, reply) => {
      const ticketNumber = await allocateTicketNumber();
      const input: OpenTicketInput = {
        ticketNumber,
        customerId: request.body.customerId,
        policyId: request.body.policyId ?? 'econnect',
        kind: request.body.kind ?? 'incident',
        priority: request.body.priority ?? 'P3',
        title: request.body.title,
        description: request.body.description,
        contact: request.body.contact,
      };
      const handle = await temporal.workflow.start<typeof ticketWorkflow>(TICKET_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: ticketWorkflowId(ticketNumber),
        args: [input],
        memo: { title: input.title },
        staticSummary: `${ticketNumber}: ${input.title}`,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: TicketNumberKey, value: ticketNumber },
          { key: CustomerIdKey, value: input.customerId },
          { key: PriorityKey, value: input.priority },
          { key: KindKey, value: input.kind },
          { key: StatusKey, value: 'request' },
          { key: SlaBreachedKey, value: false },
        ]),
      });
      const self = `/v1/tickets/${ticketNumber}`;
      return reply.status(201).header('location', self).send({ ticketNumber, workflowId: handle.workflowId, status: 'request', links: { self } });
    },
  );

  app.get(
    '/tickets/:number',
    { schema: { summary: 'A ticket, live from its workflow', params: TicketNumberParams, response: { 200: TicketView, ...problems(404, 422, 500) } } },
    async (request) => toTicketView(await handleOf(request.params.number).query(getTicketQuery)),
  );

  const action = <Body>(path: string, summary: string, body: typeof TakeChargeBody | typeof ProposeResolutionBody | typeof ValidateBody, update: UpdateDefinition<TicketState, [Body]>) =>
    app.post(
      `/tickets/:number/${path}`,
      { schema: { summary, params: TicketNumberParams, body, response: { 200: TicketView, ...problems(404, 409, 422, 500) } } },
      async (request) => toTicketView(await updateOpenTicket(request.params.number, update, request.body as Body)),
    );

  action('take-charge', 'An agent takes the ticket in charge (first response)', TakeChargeBody, takeChargeUpdate);
  action('propose-resolution', 'An agent proposes a resolution; validation starts', ProposeResolutionBody, proposeResolutionUpdate);
  action('validate', 'The customer validates the resolution; the ticket closes and is billed', ValidateBody, validateUpdate);
  done();
};
