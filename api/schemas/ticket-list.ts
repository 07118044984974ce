import { Type, type Static } from '@sinclair/typebox';
import { PRIORITIES, TICKET_KINDS } from '../../domain/policy/vocabulary';
import { TICKET_STATUSES } from '../../domain/ticket/lifecycle';
import { literals, strictObject } from '../../messages/schema-parts';
import { TicketOrder } from '../../messages/ticket-list';
import { Line } from './text';

/** Repeated (`?status=a&status=b`) or a comma list (`?status=a,b`): the route splits commas before validation. */
const anyOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Optional(Type.Array(literals(values), { minItems: 1, maxItems: values.length, description }));
const Name = (description: string) => Type.Optional(Line(320, { description }));

/** The query parameters that may hold several values. */
export const LIST_PARAMETERS = ['status', 'priority', 'kind'] as const;

const QueueFilters = {
  customer: Type.Optional(Line(100, { description: "A customer's key is held to its own company" })),
  priority: anyOf(PRIORITIES, 'One or more priorities'),
  kind: anyOf(TICKET_KINDS, 'One or more kinds of request'),
  breached: Type.Optional(Type.Boolean({ description: 'Whether any SLA clock of the ticket is breached' })),
  assignee: Name('The agent the ticket is assigned to'),
  atRisk: Type.Optional(
    Type.Boolean({
      description:
        "true: only tickets at risk now, not breached: past the policy's first warning on a running clock, before its deadline",
    }),
  ),
  q: Type.Optional(
    Line(200, {
      description: "Search: tickets whose number, title, or customer's id or name contains it, whatever the case",
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
  cursor: Type.Optional(
    Line(400, {
      description: 'nextCursor (or previousCursor) of the page read before, as given: the page after (before) it',
    }),
  ),
};

export const QueueQuery = strictObject(QueueFilters);
export type QueueQuery = Static<typeof QueueQuery>;

export const TicketListQuery = strictObject({
  ...QueueFilters,
  status: anyOf(TICKET_STATUSES, 'One or more statuses'),
  order: TicketOrder,
});
export type TicketListQuery = Static<typeof TicketListQuery>;

const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });

export const TicketSummary = Type.Object({
  ticketNumber: Type.String(),
  customerId: Type.String(),
  title: Type.String(),
  kind: literals(TICKET_KINDS),
  priority: literals(PRIORITIES),
  status: literals(TICKET_STATUSES),
  assignee: Type.Optional(Type.String()),
  openedAt: Instant,
  nextDeadline: Type.Union([Instant, Type.Null()], {
    description: 'The earliest deadline still ahead of a running clock; null when none',
  }),
  businessTimeLeftMs: Type.Optional(
    Type.Integer({
      description:
        "Time left until nextDeadline, in milliseconds, counted as that deadline's clock counts it (as the ticket's clocks show it, with their unit): business time on the calendar of the ticket's policy version, or every hour, day and night, where the clock's target is in calendarHours (an emergency's response); negative once the deadline has passed, absent without a deadline",
    }),
  ),
  slaBreached: Type.Boolean(),
  atRiskFrom: Type.Union([Instant, Type.Null()], {
    description:
      'From when the ticket is at risk: the first warning threshold of the policy on a running clock (the first warning notice); null when none is ahead',
  }),
  emergency: Type.Optional(
    Type.Literal(true, {
      description:
        'Present, and true, on a ticket opened through the emergency channel (`channel: "emergency"` on opening); absent on every other ticket',
    }),
  ),
  links: Type.Object({ self: Type.String() }),
});

export const TicketList = Type.Object({
  items: Type.Array(TicketSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass it as `cursor` for the next page; null on the last page',
  }),
  previousCursor: Type.Union([Type.String(), Type.Null()], {
    description:
      'Pass it as `cursor` for the page before this one, as it reads now (tickets added since included); null on the first page',
  }),
});
export type TicketList = Static<typeof TicketList>;
