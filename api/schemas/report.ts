import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DESK_ZONE } from '../../messages/desk-zone';
import { METRICS, PRIORITIES } from '../../domain/policy/vocabulary';
import { literals } from '../../messages/schema-parts';
import { Line } from './text';
import { TicketSummary } from './ticket-list';

const Month = Type.String({
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  description: `YYYY-MM, month of registration in ${DESK_ZONE}`,
});
const Count = Type.Integer({ minimum: 0 });
const Percent = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], {
    description: `${description}; one decimal, null when nothing is counted`,
  });
const Minutes = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
  description: 'Business minutes, one decimal; null when nothing is measured',
});

export const SlaReportQuery = Type.Object(
  {
    from: Type.Optional(Month),
    to: Type.Optional(Month),
    customer: Type.Optional(Line(100, { description: "A customer's key is held to its own company" })),
    priority: Type.Optional(literals(PRIORITIES)),
  },
  { additionalProperties: false },
);
export type SlaReportQuery = Static<typeof SlaReportQuery>;

const MetricFigures = Type.Object({
  metric: literals(METRICS),
  withTarget: Type.Integer({
    minimum: 0,
    description: 'Tickets whose policy sets a target for this metric and priority',
  }),
  withoutTarget: Type.Integer({
    minimum: 0,
    description: 'Best effort for this metric: not counted as met or breached',
  }),
  met: Count,
  breached: Count,
  pending: Type.Integer({ minimum: 0, description: 'Clock still running, not breached yet' }),
  withdrawn: Type.Integer({
    minimum: 0,
    description: 'Ticket ended (cancelled, quote declined) before this was reached',
  }),
  percentMet: Percent('met / (met + breached)'),
});

const SlaReportRow = Type.Object({
  customerId: Type.String(),
  priority: literals(PRIORITIES),
  month: Month,
  tickets: Count,
  timeToRespond: Type.Object(
    { measured: Count, medianMinutes: Minutes, p90Minutes: Minutes },
    {
      description:
        "Registration to taking in charge, paused time left out, on the ticket's calendar; every ticket taken in charge, target or not",
    },
  ),
  sameBusinessDay: Type.Object(
    { counted: Count, takenInCharge: Count, percent: Percent('takenInCharge / counted') },
    {
      description:
        'Taken in charge on the business day of registration (registered out of hours: the next opening day). Counted: taken in charge, or whose day is over; a ticket cancelled before being taken in charge is not',
    },
  ),
  metrics: Type.Array(MetricFigures),
});

export const SlaReport = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  timeZone: Type.Literal(DESK_ZONE),
  from: Type.Union([Month, Type.Null()]),
  to: Type.Union([Month, Type.Null()]),
  rows: Type.Array(SlaReportRow, {
    description: 'One per customer, priority and month of registration; refused tickets are left out',
  }),
});
export type SlaReport = Static<typeof SlaReport>;

export const AtRiskQuery = Type.Object(
  {
    customer: Type.Optional(Line(100, { description: "A customer's key is held to its own company" })),
    priority: Type.Optional(literals(PRIORITIES)),
  },
  { additionalProperties: false },
);
export type AtRiskQuery = Static<typeof AtRiskQuery>;

const Tally = (key: TSchema) => Type.Object({ key, breached: Count, atRisk: Count });

export const AtRiskReport = Type.Object({
  asOf: Type.String({ format: 'date-time' }),
  tickets: Type.Array(
    Type.Composite([
      TicketSummary,
      Type.Object({ state: Type.Union([Type.Literal('breached'), Type.Literal('at-risk')]) }),
    ]),
    {
      description: 'Open tickets breached or at risk: breached first, then nearest deadline first; 500 at most',
    },
  ),
  byAssignee: Type.Array(
    Tally(Type.Union([Type.String(), Type.Null()], { description: 'the agent; null: nobody yet' })),
    { description: 'most breaches first' },
  ),
  byCustomer: Type.Array(Tally(Type.String()), { description: 'most breaches first' }),
});
export type AtRiskReport = Static<typeof AtRiskReport>;
