import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { AccountStore } from '../../messages/accounts';
import { actingOf, type Principal } from '../../messages/principal';
import {
  CustomerIdKey,
  KindKey,
  PriorityKey,
  SlaBreachedKey,
  StatusKey,
  TicketNumberKey,
} from '../../messages/search-attributes';
import {
  getTicketQuery,
  registeredUpdate,
  TICKET_TASK_QUEUE,
  TICKET_UPDATES,
  TICKET_WORKFLOW_TYPE,
  ticketWorkflowId,
  type OpenTicketInput,
  type TicketState,
} from '../../messages/ticket';
import { actionSpec, TICKET_ACTION_NAMES } from '../../messages/ticket-actions';
import { DEFAULT_PRIORITY } from '../../messages/open-ticket';
import { openedTicket } from '../../domain/ticket/evolve';
import { requestHashOf, type IdempotencyStore } from '../../db/idempotency';
import type { TicketNumberAllocator } from '../../db/ticket-numbers';
import type { TicketSnapshots } from '../../db/ticket-snapshots';
import type { WorkflowTaskFailures } from '../../db/workflow-task-failures';
import { toHeaderText } from '../../domain/text';
import type { ticketWorkflow } from '../../workflows';
import { requireRoles } from '../auth';
import { openingTerms, type OpeningTerms } from '../opening-terms';
import { idempotencyKeyReused, ticketClosed } from '../problems';
import { principalOf } from '../request-principal';
import { problemResponses as problems } from '../schemas/problem';
import { IdempotencyHeaders, OpenedTicket, OpenTicketBody, TicketNumberParams, TicketView } from '../schemas/ticket';
import { assertVisible, noSuchTicket, ownTicketsOnly, TICKET_ROLES, type TicketOperation } from '../ticket-access';
import { toTicketView } from '../ticket-view';
import type { PolicySource } from '../../policies/catalog';
import { presetRegistry } from '../../policies/registry';
import type { BackPressure } from '../back-pressure';
import { dependencyFailure, sentOpeningFailure } from '../dependency-errors';
import { sharedFor, workerPolling } from '../readiness';
import { TEMPORAL_DEADLINE_MS } from '../busy-bounds';
import { temporalDeadline } from '../temporal-deadline';
import { answerOnce, deliverUpdate, sendAnswer, type UpdateDelivery } from '../idempotent-actions';

export interface TicketRoutesDeps {
  temporal: Client;
  allocateTicketNumber: TicketNumberAllocator;
  accounts: AccountStore;
  idempotency: IdempotencyStore;
  snapshots: TicketSnapshots;
  /** Failed workflow tasks the worker recorded: a ticket whose task fails says so in its view. */
  workflowTaskFailures?: WorkflowTaskFailures;
  taskQueue?: string;
  /**
   * Refuses new tickets while the workers are behind (api/back-pressure.ts). Only creations: a new ticket is the work
   * that grows the backlog, while an action on an open ticket (a reply, a resolution that stops its clock) is part of
   * what was already taken on, and runs under the request's Temporal deadline, answered "busy" when it is not served.
   */
  backPressure?: BackPressure;
  /** How long one request may wait on Temporal in all (TEMPORAL_DEADLINE_MS). */
  temporalDeadlineMs?: number;
  /** How recently a worker must have polled the task queue to count as polling (WORKER_SEEN_WITHIN_MS). */
  workerSeenWithinMs?: number;
  /** The API's clock, for the live business-time figures of a ticket and the date contracts are in force on. */
  now?: () => number;
  /** Where a ticket's pinned policy version is read for those figures (db/policy-versions.ts); the presets by default. */
  policies?: PolicySource;
}

type WorkflowTaskView = NonNullable<Static<typeof TicketView>['workflowTask']>;

/** Where a ticket's state lives now: its running workflow, or, once closed or gone from Temporal, the read model. */
type Whereabouts = 'running' | 'closed' | 'gone';

// A worker answers a query in milliseconds: one that has not in this long is not answering now.
const QUERY_DEADLINE_MS = 2_000;

export const ticketRoutes: FastifyPluginCallbackTypebox<TicketRoutesDeps> = (app, deps, done) => {
  const {
    temporal,
    allocateTicketNumber,
    accounts,
    idempotency,
    snapshots,
    taskQueue = TICKET_TASK_QUEUE,
    now = Date.now,
    policies = presetRegistry,
  } = deps;
  const handleOf = (ticketNumber: string): WorkflowHandle<typeof ticketWorkflow> =>
    temporal.workflow.getHandle<typeof ticketWorkflow>(ticketWorkflowId(ticketNumber));
  const allowed = (operation: TicketOperation) => requireRoles(...TICKET_ROLES[operation]);
  // Asked of Temporal at most once a second, however many requests need to know.
  const workerPresent = sharedFor(
    1_000,
    workerPolling(temporal, { taskQueue, timeoutMs: QUERY_DEADLINE_MS, seenWithinMs: deps.workerSeenWithinMs, now }),
  );
  app.addHook('onRoute', temporalDeadline(temporal, deps.temporalDeadlineMs ?? TEMPORAL_DEADLINE_MS, workerPresent));

  /** Where the ticket is, and the attempt of its pending workflow task (above 1, the last one failed or timed out). */
  async function describeTicket(ticketNumber: string): Promise<{ place: Whereabouts; taskAttempt: number }> {
    try {
      const description = await handleOf(ticketNumber).describe();
      return {
        place: description.status.name === 'RUNNING' ? 'running' : 'closed',
        taskAttempt: description.raw.pendingWorkflowTask?.attempt ?? 0,
      };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { place: 'gone', taskAttempt: 0 };
      throw error;
    }
  }
  const whereabouts = async (ticketNumber: string): Promise<Whereabouts> => (await describeTicket(ticketNumber)).place;

  /** A running ticket whose workflow task fails again and again, as the worker recorded it (worker/workflow-task-watch.ts). */
  async function failingTask(ticketNumber: string, taskAttempt: number): Promise<WorkflowTaskView | undefined> {
    if (taskAttempt <= 1 || !deps.workflowTaskFailures) return undefined;
    const failure = await deps.workflowTaskFailures.latestFor(ticketWorkflowId(ticketNumber)).catch(() => undefined);
    if (!failure) return undefined;
    return {
      failing: true,
      attempts: taskAttempt,
      failure: failure.message,
      nondeterminism: failure.nondeterminism,
      since: failure.firstFailedAt.toISOString(),
    };
  }

  /** Temporal answers "not found" for an Update sent to a finished workflow: tell a closed ticket from a missing one. */
  async function updateOpenTicket<Command>(
    ticketNumber: string,
    update: UpdateDefinition<TicketState, [Command]>,
    command: Command,
    delivery: UpdateDelivery,
  ): Promise<TicketState> {
    const handle = handleOf(ticketNumber);
    try {
      return await deliverUpdate(temporal, ticketWorkflowId(ticketNumber), update, command, delivery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const finished = await handle.describe().catch(() => undefined);
      if (!finished) throw noSuchTicket(ticketNumber);
      throw ticketClosed(`ticket ${ticketNumber} is ${finished.status.name.toLowerCase()}: it takes no more actions`);
    }
  }

  // A customer's key reads and acts on its own company's tickets only, checked before any route below touches one.
  app.addHook('preHandler', ownTicketsOnly(temporal, snapshots));

  /** How a ticket's workflow starts: its number is its ID, never reused, even once closed. */
  const startOptions = (input: OpenTicketInput) => ({
    taskQueue,
    workflowId: ticketWorkflowId(input.ticketNumber),
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    args: [input] as [OpenTicketInput],
    memo: { title: input.title },
    staticSummary: `${input.ticketNumber}: ${input.title}`,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: TicketNumberKey, value: input.ticketNumber },
      { key: CustomerIdKey, value: input.customerId },
      { key: PriorityKey, value: input.priority },
      { key: KindKey, value: input.kind },
      { key: StatusKey, value: 'request' },
      { key: SlaBreachedKey, value: false },
    ]),
  });

  /**
   * Starts the ticket's workflow and answers the ticket registered (acknowledged or refused, its deadlines planned), in
   * one round trip (Update-with-start); a ticket already running answers its state now, one closed its last state.
   * Without a worker to register it, or when registration does not answer in time, the ticket is opened all the same
   * and answered as requested, its deadlines to come: a GET shows them once registered.
   */
  async function registerTicket(input: OpenTicketInput): Promise<TicketState> {
    const requested = () => openedTicket(input, now());
    if (
      !(await workerPresent().then(
        () => true,
        () => false,
      ))
    ) {
      await temporal.workflow
        .start<typeof ticketWorkflow>(TICKET_WORKFLOW_TYPE, startOptions(input))
        .catch((error: unknown) => {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError))
            throw sentOpeningFailure(input.ticketNumber, error);
        });
      return requested();
    }
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof ticketWorkflow>(TICKET_WORKFLOW_TYPE, {
      ...startOptions(input),
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    try {
      return await temporal.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return (await currentState(input.ticketNumber)).ticket;
      if (
        await startWorkflowOperation.workflowHandle().then(
          () => true,
          () => false,
        )
      )
        return requested();
      throw sentOpeningFailure(input.ticketNumber, error);
    }
  }

  function inputOf(
    ticketNumber: string,
    principal: Principal,
    body: OpenTicketBody,
    terms: OpeningTerms,
  ): OpenTicketInput {
    const { customerId: _named, contractId: _chosen, ...request } = body;
    return {
      ...request,
      ...terms,
      ticketNumber,
      kind: body.kind ?? 'incident',
      priority: body.priority ?? DEFAULT_PRIORITY,
      // Who opens is who is authenticated; the body's contact is the person the ticket is for.
      openedBy: actingOf(principal),
    };
  }

  /**
   * A new ticket's input under a number of its own. The number is drawn while the contract is read, neither waiting for
   * the other: a number was always drawn before the terms were checked, so a refused request leaves the same gap in
   * the numbers as before.
   */
  async function newInput(principal: Principal, body: OpenTicketBody): Promise<OpenTicketInput> {
    const [ticketNumber, terms] = await Promise.all([
      allocateTicketNumber(),
      openingTerms(accounts, principal, body, now(), policies),
    ]);
    return inputOf(ticketNumber, principal, body, terms);
  }

  /**
   * With an Idempotency-Key, the key is recorded with the ticket's number before the workflow starts: a retry after
   * a crash between the two finds the record and starts the workflow then, so the ticket is neither lost nor doubled.
   * A retry answers the ticket as it is now.
   */
  async function openIdempotently(
    principal: Principal,
    key: string,
    body: OpenTicketBody,
  ): Promise<{ ticket: TicketState; replayed: boolean }> {
    const hash = requestHashOf(body);
    const recorded = await idempotency.find(principal.keyId, key);
    if (recorded) {
      if (recorded.requestHash !== hash) throw idempotencyKeyReused(key);
      const started =
        (await whereabouts(recorded.ticketNumber)) !== 'gone' ||
        (await snapshots.find(recorded.ticketNumber)) !== undefined;
      const ticket = started
        ? (await currentState(recorded.ticketNumber)).ticket
        : await registerTicket(
            inputOf(
              recorded.ticketNumber,
              principal,
              body,
              await openingTerms(accounts, principal, body, now(), policies),
            ),
          );
      return { ticket, replayed: true };
    }
    // The terms are checked before a number is recorded, so that a refused request leaves no key behind.
    const input = await newInput(principal, body);
    const claimed = await idempotency.claim(principal.keyId, key, {
      ticketNumber: input.ticketNumber,
      requestHash: hash,
    });
    if (claimed.requestHash !== hash) throw idempotencyKeyReused(key);
    return {
      ticket: await registerTicket({ ...input, ticketNumber: claimed.ticketNumber }),
      replayed: claimed.ticketNumber !== input.ticketNumber,
    };
  }

  async function openTicket(
    principal: Principal,
    body: OpenTicketBody,
    idempotencyKey: string | undefined,
  ): Promise<{ ticket: TicketState; replayed: boolean }> {
    // Whether a worker polls is asked of Temporal at most once a second (workerPresent): when the answer is due again,
    // it is asked now, while PostgreSQL is read, rather than after; registerTicket then waits for the same answer.
    void workerPresent().catch(() => undefined);
    if (idempotencyKey !== undefined) return openIdempotently(principal, idempotencyKey, body);
    const input = await newInput(principal, body);
    return { ticket: await registerTicket(input), replayed: false };
  }

  app.post(
    '/tickets',
    {
      schema: {
        summary: "Open a ticket under the customer's contract in force; answers it registered, its deadlines known",
        headers: IdempotencyHeaders,
        body: OpenTicketBody,
        response: { 201: OpenedTicket, ...problems(401, 403, 422, 500) },
      },
      onRequest: allowed('open'),
      ...(deps.backPressure ? { preHandler: deps.backPressure.hook() } : {}),
    },
    async (request, reply) => {
      const { ticket, replayed } = await openTicket(
        principalOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      const self = `/v1/tickets/${ticket.ticketNumber}`;
      if (replayed) void reply.header('idempotent-replayed', 'true');
      const view = await toTicketView(ticket, now(), policies);
      return reply
        .status(201)
        .header('location', self)
        .send({ ...view, workflowId: ticketWorkflowId(ticket.ticketNumber), links: { self } });
    },
  );

  /** A query is answered by a worker: none polling, it is not sent; one that does not answer at once is not coming. */
  async function liveState(ticketNumber: string): Promise<TicketState> {
    await workerPresent();
    return temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      handleOf(ticketNumber).query(getTicketQuery),
    );
  }

  /**
   * Live from the workflow, in one query, running or closed; from the read model once Temporal no longer keeps it.
   * While the live state cannot be had (no worker polling, Temporal away or too slow, its workflow task failing), the
   * read model's last snapshot, with why it may be behind: a ticket stays readable through a restart, and only one the
   * read model lacks answers 503.
   */
  async function currentState(
    ticketNumber: string,
  ): Promise<{ ticket: TicketState; staleBecause?: string; workflowTask?: WorkflowTaskView }> {
    try {
      return { ticket: await liveState(ticketNumber) };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) return lastSnapshot(ticketNumber, error);
      const snapshot = await snapshots.find(ticketNumber);
      if (snapshot) return { ticket: snapshot };
      throw noSuchTicket(ticketNumber);
    }
  }

  /** The read model's snapshot of a ticket whose workflow did not answer, and why, asked of Temporal only now. */
  async function lastSnapshot(
    ticketNumber: string,
    error: unknown,
  ): Promise<{ ticket: TicketState; staleBecause?: string; workflowTask?: WorkflowTaskView }> {
    const { place, taskAttempt } = await describeTicket(ticketNumber).catch(() => ({
      place: undefined,
      taskAttempt: 0,
    }));
    const snapshot = await snapshots.find(ticketNumber).catch(() => undefined);
    if (place === 'gone' && !snapshot) throw noSuchTicket(ticketNumber);
    // A closed ticket's last snapshot is its state: nothing can have changed since.
    if (place === 'closed' && snapshot) return { ticket: snapshot };
    // A failing task answers no query: the last snapshot is all there is, and the view says why.
    const workflowTask = place === 'running' ? await failingTask(ticketNumber, taskAttempt) : undefined;
    if (workflowTask && snapshot)
      return {
        ticket: snapshot,
        staleBecause: `its workflow task fails (attempt ${workflowTask.attempts}): ${workflowTask.failure}`,
        workflowTask,
      };
    // A running ticket's query can also fail while its run is being continued as new, or while its task is retried:
    // the ticket is there all the same, and its last snapshot says what it was.
    const reason =
      dependencyFailure(error)?.reason ??
      (place === 'running'
        ? `its workflow did not answer (${error instanceof Error ? error.message : String(error)})`
        : undefined);
    if (!snapshot || reason === undefined) throw error;
    return { ticket: snapshot, staleBecause: reason };
  }

  app.get(
    '/tickets/:number',
    {
      schema: {
        summary:
          'A ticket, live from its workflow in one query; its last snapshot, marked stale, while the workflow cannot answer',
        params: TicketNumberParams,
        response: { 200: TicketView, ...problems(401, 403, 404, 422, 500, 503) },
      },
      onRequest: allowed('read'),
    },
    async (request, reply) => {
      const { ticket, staleBecause, workflowTask } = await currentState(request.params.number);
      assertVisible(principalOf(request), ticket);
      const view = await toTicketView(ticket, now(), policies);
      if (staleBecause === undefined) return view;
      // RFC 9111 retired Warning, but it is still the one header that says "stale" to a generic client.
      void reply.header(
        'warning',
        `110 vigil "stale: revision ${ticket.revision} from the read model; ${toHeaderText(staleBecause)
          .replace(/[^\x20-\x7e]/g, '?')
          .replaceAll('"', "'")}"`,
      );
      return { ...view, stale: true as const, ...(workflowTask ? { workflowTask } : {}) };
    },
  );

  // One route per entry of the action table: its path, summary, body, roles and Update.
  for (const name of TICKET_ACTION_NAMES) {
    const { path, summary, body, toCommand } = actionSpec(name);
    const update = TICKET_UPDATES[name] as UpdateDefinition<TicketState, [unknown]>;
    app.post(
      `/tickets/:number/${path}`,
      {
        schema: {
          summary,
          params: TicketNumberParams,
          headers: IdempotencyHeaders,
          body,
          response: { 200: TicketView, ...problems(401, 403, 404, 409, 422, 500) },
        },
        onRequest: allowed(path as TicketOperation),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { number } = request.params;
        // Who acts is who is authenticated (a person, an API key, a mail's sender), never a name the body gives.
        const command = toCommand(request.body, actingOf(principal));
        const answer = await answerOnce(
          idempotency,
          principal,
          request.headers['idempotency-key'],
          { target: number, action: path, body: request.body },
          async (delivery) => toTicketView(await updateOpenTicket(number, update, command, delivery), now(), policies),
        );
        return sendAnswer(reply, answer);
      },
    );
  }
  done();
};
