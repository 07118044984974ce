import { Type, type Static } from '@sinclair/typebox';
import { PRIORITIES, TICKET_KINDS } from '../../contracts/ticket';
import { TICKET_STATUSES } from '../../domain/ticket/lifecycle';
import { TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';
import { BILLABLE_POLICY_IDS } from '../../domain/pricing/flat-hourly-rates';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

export const TicketNumberParams = Type.Object({
  number: Type.String({ pattern: TICKET_NUMBER_PATTERN, description: 'Ticket number, e.g. VIG-000042' }),
});
export type TicketNumberParams = Static<typeof TicketNumberParams>;

const Contact = Type.Object({ name: Text(200), email: Type.String({ format: 'email', maxLength: 320 }) }, { additionalProperties: false });

export const OpenTicketBody = Type.Object(
  {
    customerId: Text(100),
    policyId: Type.Optional(literals(BILLABLE_POLICY_IDS)),
    kind: Type.Optional(literals(TICKET_KINDS)),
    priority: Type.Optional(literals(PRIORITIES)),
    title: Text(200),
    description: Text(20_000),
    contact: Contact,
  },
  { additionalProperties: false },
);
export type OpenTicketBody = Static<typeof OpenTicketBody>;

export const OpenedTicket = Type.Object({
  ticketNumber: Type.String(),
  workflowId: Type.String(),
  status: literals(TICKET_STATUSES),
  links: Type.Object({ self: Type.String() }),
});

export const TakeChargeBody = Type.Object({ agent: Text(200) }, { additionalProperties: false });
export const ProposeResolutionBody = Type.Object(
  { agent: Text(200), resolution: Text(20_000), minutesWorked: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export const ValidateBody = Type.Object({ contact: Text(320), comment: Type.Optional(Type.String({ maxLength: 20_000 })) }, { additionalProperties: false });

const TicketEventView = Type.Object({
  at: Instant,
  type: Type.String(),
  by: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});

export const TicketView = Type.Object({
  ticketNumber: Type.String(),
  customerId: Type.String(),
  policyId: Type.String(),
  kind: literals(TICKET_KINDS),
  priority: literals(PRIORITIES),
  status: literals(TICKET_STATUSES),
  title: Type.String(),
  description: Type.String(),
  contact: Contact,
  revision: Type.Integer(),
  openedAt: Instant,
  acknowledgedAt: Type.Optional(Instant),
  assignee: Type.Optional(Type.String()),
  takenInChargeAt: Type.Optional(Instant),
  resolution: Type.Optional(Type.String()),
  minutesWorked: Type.Optional(Type.Integer()),
  resolutionProposedAt: Type.Optional(Instant),
  validatedAt: Type.Optional(Instant),
  validatedBy: Type.Optional(Type.String()),
  billing: Type.Optional(Type.Object({ minutes: Type.Integer(), hourlyRateCents: Type.Integer(), amountCents: Type.Integer() })),
  events: Type.Array(TicketEventView),
});
export type TicketView = Static<typeof TicketView>;

export const ProblemSchema = Type.Object(
  { type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String() },
  { additionalProperties: true },
);
