import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHANNELS } from '../../messages/principal';
import { PRIORITIES, QUOTE_REASONS, REGISTRATION_REFUSAL_REASONS, TICKET_KINDS } from '../../messages/ticket';
import { Contact, TicketRequestFields } from '../../messages/open-ticket';
import { literals, strictObject } from '../../messages/schema-parts';
import { ACTION_TABLE, TICKET_ACTION_NAMES, type TicketActionName } from '../../messages/ticket-actions';
import { METRICS } from '../../domain/policy/vocabulary';
import { DURATION_UNITS } from '../../domain/calendar';
import { TICKET_STATUSES } from '../../domain/ticket/status';
import { TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';
import { Line } from './text';

const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });

export const TicketNumberParams = Type.Object({
  number: Type.String({ pattern: TICKET_NUMBER_PATTERN, description: 'Ticket number, e.g. VIG-000042' }),
});
export type TicketNumberParams = Static<typeof TicketNumberParams>;

/**
 * The request's fields (messages/open-ticket.ts, the workflow input's too) and whom it is for. The ticket's terms
 * (policy, version, authorized contacts) come from the customer's contract, never from the body.
 */
export const OpenTicketBody = strictObject({
  customerId: Type.Optional(
    Line(100, { description: "Required from staff; a customer's key implies its own company" }),
  ),
  contractId: Type.Optional(Line(100, { description: 'Needed only when the customer has several contracts in force' })),
  kind: Type.Optional(TicketRequestFields.kind),
  priority: Type.Optional(TicketRequestFields.priority),
  title: TicketRequestFields.title,
  description: TicketRequestFields.description,
  contact: TicketRequestFields.contact,
  channel: TicketRequestFields.channel,
  scope: TicketRequestFields.scope,
});
export type OpenTicketBody = Static<typeof OpenTicketBody>;

/**
 * Opening a ticket and every action on it: a retried POST with the same key and body gets the answer the first one
 * got, and is applied once (one ticket opened, one Update applied).
 */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Line(255, {
      description:
        'Client-chosen key making the POST safe to retry: the same key and body get the first answer again, applied once',
    }),
  ),
});

/** One body schema per action path, from the action table (messages/ticket-actions.ts); the route turns it into the command. */
export const ActionBodies = Object.fromEntries(
  TICKET_ACTION_NAMES.map((name) => [ACTION_TABLE[name].path, ACTION_TABLE[name].body]),
) as {
  [Name in TicketActionName as (typeof ACTION_TABLE)[Name]['path']]: (typeof ACTION_TABLE)[Name]['body'];
};

const Optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

const ClockView = Type.Object({
  metric: literals(METRICS),
  state: literals(['running', 'paused', 'stopped', 'no-target'] as const),
  deadline: Type.Union([Instant, Type.Null()]),
  met: Optional(Type.Boolean()),
  breachedAt: Optional(Instant),
  pausedSince: Optional(Instant),
  stoppedAt: Optional(Instant),
  pauses: Type.Array(Type.Object({ start: Instant, end: Instant })),
  thresholds: Type.Array(
    Type.Object({ percent: Type.Number(), at: Instant, notify: Type.Array(Type.String()), notified: Type.Boolean() }),
  ),
  /**
   * Counted time, measured on the clock's own calendar when the ticket was read: business time, or every hour where
   * `unit` (the clock's target's) counts every hour (an emergency's response clock, day and night).
   */
  elapsedMs: Optional(Type.Integer()),
  remainingMs: Optional(Type.Integer()),
  unit: Optional(literals(DURATION_UNITS)),
});

export const TicketView = Type.Object({
  ticketNumber: Type.String(),
  customerId: Type.String(),
  policyId: Type.String(),
  policyVersion: Optional(Type.Integer()),
  contractId: Optional(Type.String()),
  kind: literals(TICKET_KINDS),
  priority: literals(PRIORITIES),
  priorityConfirmed: Type.Boolean(),
  status: literals(TICKET_STATUSES),
  title: Type.String(),
  description: Type.String(),
  contact: Contact,
  revision: Type.Integer(),
  asOf: Instant,
  stale: Optional(
    Type.Literal(true, {
      description:
        "Present when the workflow could not answer (no worker, Temporal away): this is the read model's last snapshot, as of `revision`; the Warning header says why",
    }),
  ),
  workflowTask: Optional(
    Type.Object(
      {
        failing: Type.Literal(true),
        attempts: Type.Integer({ description: "Temporal's attempt count of the task now pending" }),
        failure: Type.String({ description: 'What the last failure said' }),
        nondeterminism: Type.Boolean({
          description: 'The workflow code no longer replays this history: it needs a fix or a reset, not a retry',
        }),
        since: Optional(Instant),
      },
      {
        description:
          'Present while the workflow task of this ticket fails: the ticket cannot move until ops fix it; the view is the last snapshot',
      },
    ),
  ),
  openedAt: Instant,
  acknowledgedAt: Optional(Instant),
  assignee: Optional(Type.String()),
  takenInChargeAt: Optional(Instant),
  interventionStartedAt: Optional(Instant),
  workaroundAt: Optional(Instant),
  resolution: Optional(Type.String()),
  resolutionProposedAt: Optional(Instant),
  autoValidateAt: Optional(Instant),
  validatedAt: Optional(Instant),
  validatedBy: Optional(Type.String()),
  cancelledAt: Optional(Instant),
  cancelReason: Optional(Type.String()),
  channel: Optional(Type.String()),
  scope: Optional(Type.String()),
  refusalReason: Optional(Type.String({ description: 'why the ticket was refused at its registration, in English' })),
  refusal: Optional(
    Type.Object({
      reason: literals(REGISTRATION_REFUSAL_REASONS),
      contact: Type.String({ description: 'the address that opened the ticket' }),
    }),
  ),
  releaseAt: Optional(Instant),
  quote: Optional(
    Type.Object({
      status: Type.String(),
      reason: Type.String(),
      estimateMinutes: Optional(Type.Integer()),
      amountCents: Optional(Type.Integer()),
      submittedBy: Optional(Type.String()),
      submittedAt: Optional(Instant),
      decidedBy: Optional(Type.String()),
      decidedAt: Optional(Instant),
      declineReason: Optional(Type.String()),
    }),
  ),
  slaBreached: Type.Boolean(),
  clocks: Type.Array(ClockView),
  timeEntries: Type.Array(
    Type.Object({
      agent: Type.String(),
      role: Optional(Type.String()),
      service: Optional(Type.String()),
      start: Instant,
      end: Instant,
      onSite: Type.Boolean(),
      remoteToolMissing: Optional(Type.Boolean()),
      outOfHoursRequested: Optional(Type.Boolean()),
      urgent: Optional(Type.Boolean()),
      travelMinutes: Optional(Type.Integer()),
      note: Optional(Type.String()),
    }),
  ),
  billing: Optional(
    Type.Object({
      lines: Type.Array(
        Type.Object({
          description: Type.String(),
          minutes: Type.Integer(),
          rateCents: Type.Integer(),
          multiplier: Type.Number(),
          amountCents: Type.Integer(),
        }),
      ),
      totalCents: Type.Integer(),
    }),
  ),
  rateCard: Optional(
    Type.Union([
      Type.Null(),
      Type.Object({ pricesBy: Type.String(), names: Type.Array(Type.String()), excluded: Type.Array(Type.String()) }),
    ]),
  ),
  // The audit trail: who did what, when, and through which channel (absent on events recorded before it was kept,
  // and on what the ticket does on its own).
  events: Type.Array(
    Type.Object({
      at: Instant,
      type: Type.String(),
      by: Optional(Type.String({ description: 'who acted, by name: a person, an API key’s label, a mail’s sender' })),
      actorId: Optional(
        Type.String({
          description:
            'who acted for sure: user:<id> (signed in to the console), key:<id> (an API key), contact:<address> (by e-mail)',
        }),
      ),
      channel: Optional(literals(CHANNELS)),
      note: Optional(Type.String({ description: "people's own words: a question, a reply, a resolution" })),
      metric: Optional(literals(METRICS)),
      percent: Optional(Type.Number({ description: "sla-threshold: the share of the clock's target used" })),
      notified: Optional(
        Type.Array(Type.String(), {
          description: "sla-threshold: whom its notice went to, as the policy's escalation names them",
        }),
      ),
      estimateMinutes: Optional(Type.Integer({ description: 'estimate-recorded, quote-submitted: the estimate' })),
      amountCents: Optional(Type.Integer({ description: 'quote-submitted: the quoted amount, in cents' })),
      quoteReason: Optional(
        literals(QUOTE_REASONS, {
          description: 'quote-submitted: why the work needs a quote',
        }),
      ),
      remark: Optional(
        Type.String({
          description: "estimate-recorded, quote-submitted: the submitter's own words beside the figures",
        }),
      ),
    }),
  ),
});
export type TicketView = Static<typeof TicketView>;
export type ClockView = Static<typeof ClockView>;

/** The ticket as registered (acknowledged or refused, its deadlines planned), with where to find it. */
export const OpenedTicket = Type.Object({
  ...TicketView.properties,
  workflowId: Type.String(),
  links: Type.Object({ self: Type.String() }),
});
