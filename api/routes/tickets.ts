import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import { CustomerIdKey, KindKey, PriorityKey, SlaBreachedKey, StatusKey, TicketNumberKey } from '../../contracts/search-attributes';
import {
  acceptQuoteUpdate,
  cancelUpdate,
  customerRepliedUpdate,
  declineQuoteUpdate,
  scheduleReleaseUpdate,
  submitQuoteUpdate,
  getTicketQuery,
  logTimeUpdate,
  proposeResolutionUpdate,
  provideWorkaroundUpdate,
  reassignUpdate,
  rejectUpdate,
  setPriorityUpdate,
  startInterventionUpdate,
  takeChargeUpdate,
  TICKET_TASK_QUEUE,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  validateUpdate,
  waitForCustomerUpdate,
  type OpenTicketInput,
  type TicketState,
} from '../../contracts/ticket';
import type { TicketNumberAllocator } from '../../db/ticket-numbers';
import type { ticketWorkflow } from '../../workflows';
import { ticketClosed } from '../problems';
import { ActionBodies, OpenedTicket, OpenTicketBody, ProblemSchema, TicketNumberParams, TicketView } from '../schemas/ticket';
import { toTicketView } from '../ticket-view';

export interface TicketRoutesDeps {
  temporal: Client;
  allocateTicketNumber: TicketNumberAllocator;
  taskQueue?: string;
  /** The API's clock, for the live business-time figures of a ticket. */
  now?: () => number;
}

const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));

export const ticketRoutes: FastifyPluginCallbackTypebox<TicketRoutesDeps> = (app, { temporal, allocateTicketNumber, taskQueue = TICKET_TASK_QUEUE, now = Date.now }, done) => {
  const handleOf = (ticketNumber: string): WorkflowHandle<typeof ticketWorkflow> =>
    temporal.workflow.getHandle<typeof ticketWorkflow>(ticketWorkflowId(ticketNumber));

  /** Temporal answers "not found" for an Update sent to a finished workflow: tell a closed ticket from a missing one. */
  async function updateOpenTicket<Command>(ticketNumber: string, update: UpdateDefinition<TicketState, [Command]>, command: Command): Promise<TicketState> {
    const handle = handleOf(ticketNumber);
    try {
      return await handle.executeUpdate(update, { args: [command] });
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
        channel: request.body.channel,
        scope: request.body.scope,
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
    async (request) => toTicketView(await handleOf(request.params.number).query(getTicketQuery), now()),
  );

  function action<Body extends TSchema, Command>(
    path: keyof typeof ActionBodies,
    summary: string,
    body: Body,
    update: UpdateDefinition<TicketState, [Command]>,
    toCommand: (body: Static<Body>) => Command,
  ): void {
    app.post(
      `/tickets/:number/${path}`,
      { schema: { summary, params: TicketNumberParams, body, response: { 200: TicketView, ...problems(404, 409, 422, 500) } } },
      async (request) => toTicketView(await updateOpenTicket(request.params.number, update, toCommand(request.body as Static<Body>)), now()),
    );
  }
  const asIs = <T>(body: T) => body;

  action('take-charge', 'An agent takes the ticket in charge: the response clock stops', ActionBodies['take-charge'], takeChargeUpdate, asIs);
  action('start-intervention', 'The intervention starts: the intervention clock stops', ActionBodies['start-intervention'], startInterventionUpdate, asIs);
  action('time-entries', 'Log time worked on the ticket', ActionBodies['time-entries'], logTimeUpdate, (entry) => ({
    ...entry,
    start: Date.parse(entry.start),
    end: Date.parse(entry.end),
    onSite: entry.onSite ?? false,
  }));
  action('priority', 'The desk validates or changes the priority: deadlines are recomputed from registration', ActionBodies.priority, setPriorityUpdate, asIs);
  action('reassign', 'Hand the ticket to another agent', ActionBodies.reassign, reassignUpdate, asIs);
  action('wait-for-customer', 'Ask the customer; every clock stops until the reply', ActionBodies['wait-for-customer'], waitForCustomerUpdate, asIs);
  action('customer-reply', 'The customer replies; the clocks resume', ActionBodies['customer-reply'], customerRepliedUpdate, asIs);
  action('workaround', 'Service restored by a workaround', ActionBodies.workaround, provideWorkaroundUpdate, asIs);
  action('propose-resolution', 'Propose a resolution; validation starts', ActionBodies['propose-resolution'], proposeResolutionUpdate, asIs);
  action('validate', 'The customer validates the resolution; the ticket closes and is billed', ActionBodies.validate, validateUpdate, asIs);
  action('reject', 'The customer rejects the resolution; support resumes', ActionBodies.reject, rejectUpdate, asIs);
  action('cancel', 'Cancel the ticket with a reason', ActionBodies.cancel, cancelUpdate, asIs);
  action('quote', 'Submit an estimate; above the policy limit, or for excluded work, the customer must accept it first', ActionBodies.quote, submitQuoteUpdate, asIs);
  action('quote/accept', 'The customer accepts the quote; work may start', ActionBodies['quote/accept'], acceptQuoteUpdate, asIs);
  action('quote/decline', 'The customer declines the quote; the ticket is cancelled', ActionBodies['quote/decline'], declineQuoteUpdate, asIs);
  action('release-date', 'Communicate the release date of a change; it waits until then', ActionBodies['release-date'], scheduleReleaseUpdate, ({ agent, releaseAt }) => ({
    agent,
    releaseAt: Date.parse(releaseAt),
  }));
  done();
};
