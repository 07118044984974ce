import { Type } from '@sinclair/typebox';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { DURATION_UNITS } from '../calendar';
import { BillingSchema } from './billing-schema';
import {
  HolidaysSchema,
  LocalDate,
  Name,
  TimeOfDay,
  WeeklyWindowSchema,
  Zone,
  partialRecordOf,
  strict,
} from './schema-parts';
import { literals } from '../../messages/schema-parts';
import { METRICS, PRIORITIES, TICKET_KINDS } from './vocabulary';

/** An object with exactly these keys, each holding `value`. */
function recordOf<K extends string, S extends TSchema>(keys: readonly K[], value: S): TObject<{ [P in K]: S }> {
  return Type.Object(Object.fromEntries(keys.map((key) => [key, value])) as { [P in K]: S }, strict);
}

const Instant = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$',
  description: 'an ISO-8601 date-time with an offset, e.g. 2021-01-01T00:00:00+01:00',
});

export const DurationSchema = Type.Object(
  { amount: Type.Integer({ minimum: 1, description: 'a whole number of at least 1' }), unit: literals(DURATION_UNITS) },
  strict,
);

const CalendarSchema = Type.Object(
  {
    zone: Zone,
    open: Type.Array(WeeklyWindowSchema),
    holidays: Type.Optional(HolidaysSchema),
    closedOnHolidays: Type.Optional(Type.Boolean()),
    closedDates: Type.Optional(Type.Array(LocalDate)),
    extraOpen: Type.Optional(Type.Array(Type.Object({ date: LocalDate, from: TimeOfDay, to: TimeOfDay }, strict))),
  },
  strict,
);

const EscalationLevelSchema = Type.Object(
  {
    atPercent: Type.Number({ exclusiveMinimum: 0, description: 'a percentage of the target above 0' }),
    notify: Type.Array(Name, { minItems: 1 }),
  },
  strict,
);

/**
 * The emergency channel's own response clock (the econnect preset: "traité dans l'immédiat"): counted in calendar time, day
 * and night, whatever the ticket's calendar; its thresholds and escalation levels replace the policy's for that clock.
 */
const EmergencySchema = Type.Object(
  {
    responseTarget: DurationSchema,
    warningPercents: Type.Array(
      Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'a percentage between 0 and 100' }),
      {
        uniqueItems: true,
      },
    ),
    escalation: Type.Array(EscalationLevelSchema),
    /**
     * The escalation levels told the moment an emergency is registered, before any share of its target is used (the
     * econnect preset: "traité dans l'immédiat" means somebody hears of it at once, not at its first warning). A list of
     * its own rather than an escalation level at 0%: a level is a share of the target used, planned and notified as a
     * threshold of the clock (activities/clock-planner.ts), so a level at 0% would count the ticket at risk from its
     * opening (atRiskFrom, domain/sla/clock.ts), be told again whenever a priority change re-arms the thresholds, and
     * be sent after the registration, in a workflow task and an activity of its own; a notice at opening is queued
     * with the acknowledgement, in the registration's own transaction (activities/ticket-activities.ts).
     */
    atOpening: Type.Optional(Type.Array(Name, { minItems: 1, uniqueItems: true })),
  },
  strict,
);

export const PolicySchema = Type.Object(
  {
    id: Name,
    version: Type.Integer({ minimum: 1, description: 'a whole number of at least 1' }),
    effectiveFrom: Instant,
    title: Type.String({ minLength: 1 }),
    /** Where the terms come from and how their open points were read. */
    notes: Type.Optional(Type.Array(Type.String())),
    calendars: Type.Record(Name, CalendarSchema),
    calendarByKind: recordOf(TICKET_KINDS, Name),
    targets: partialRecordOf(METRICS, partialRecordOf(PRIORITIES, DurationSchema)),
    warningPercents: Type.Array(
      Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'a percentage between 0 and 100' }),
      {
        uniqueItems: true,
      },
    ),
    escalation: Type.Array(EscalationLevelSchema),
    autoValidationAfter: Type.Union([Type.Null(), DurationSchema]),
    workaroundStopsResolutionClock: Type.Boolean(),
    /** An intervention estimated above this many minutes needs the customer's approved quote first (the econnect preset: "more than a day"). */
    quoteRequiredAboveMinutes: Type.Optional(
      Type.Integer({ minimum: 1, description: 'a whole number of minutes of at least 1' }),
    ),
    /** Outside the calendar's hours, only the contacts the customer's contract names may open an incident (the care-solutions preset). */
    outOfHoursContacts: Type.Optional(Type.Union([Type.Literal('any'), Type.Literal('authorized')])),
    /** At most this many people log time on one ticket, counting the time of the services named, or all (the care-solutions preset: "max trois intervenants"). */
    maxPeoplePerTicket: Type.Optional(
      Type.Object(
        {
          people: Type.Integer({ minimum: 1, description: 'a whole number of people of at least 1' }),
          services: Type.Optional(Type.Array(Name, { minItems: 1, uniqueItems: true })),
        },
        strict,
      ),
    ),
    /** A response target for tickets opened through the emergency channel; absent: they run the priority's targets. */
    emergency: Type.Optional(EmergencySchema),
    /** How logged time becomes money; absent where the terms bill nothing. */
    billing: Type.Optional(BillingSchema),
  },
  strict,
);

export type PolicyDocument = Static<typeof PolicySchema>;
export type CalendarDocument = Static<typeof CalendarSchema>;
export type EscalationLevel = Static<typeof EscalationLevelSchema>;
export type EmergencyDocument = Static<typeof EmergencySchema>;
