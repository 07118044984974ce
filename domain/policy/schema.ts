import { Type } from '@sinclair/typebox';
import type { Static, TLiteral, TObject, TOptional, TSchema, TUnion } from '@sinclair/typebox';
import { DURATION_UNITS, WEEKDAY_NAMES } from '../calendar';
import { METRICS, PRIORITIES, TICKET_KINDS } from './vocabulary';

function oneOf<T extends string>(values: readonly T[]): TUnion<Array<TLiteral<T>>> {
  return Type.Union(values.map((value) => Type.Literal(value)));
}

const strict = { additionalProperties: false } as const;

/** An object with exactly these keys, each holding `value`. */
function recordOf<K extends string, S extends TSchema>(keys: readonly K[], value: S): TObject<{ [P in K]: S }> {
  return Type.Object(Object.fromEntries(keys.map((key) => [key, value])) as { [P in K]: S }, strict);
}

/** An object with at most these keys, each holding `value`. */
function partialRecordOf<K extends string, S extends TSchema>(keys: readonly K[], value: S): TObject<{ [P in K]: TOptional<S> }> {
  // fromEntries forgets the keys; they are exactly `keys`.
  const properties = Object.fromEntries(keys.map((key) => [key, Type.Optional(value)])) as unknown;
  return Type.Object(properties as { [P in K]: TOptional<S> }, strict);
}

const TimeOfDay = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'a time of day HH:MM (24:00 allowed)' });
const LocalDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'a local date YYYY-MM-DD' });
const Instant = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$',
  description: 'an ISO-8601 date-time with an offset, e.g. 2021-01-01T00:00:00+01:00',
});
const Name = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'a lower-case kebab-case name' });

export const DurationSchema = Type.Object(
  { amount: Type.Integer({ minimum: 1, description: 'a whole number of at least 1' }), unit: oneOf(DURATION_UNITS) },
  strict,
);

const CalendarSchema = Type.Object(
  {
    zone: Type.String({ minLength: 1, description: 'an IANA time zone such as Europe/Luxembourg' }),
    open: Type.Array(
      Type.Object({ days: Type.Array(oneOf(WEEKDAY_NAMES), { minItems: 1, uniqueItems: true }), from: TimeOfDay, to: TimeOfDay }, strict),
    ),
    holidays: Type.Optional(
      Type.Object(
        {
          country: Type.String({ pattern: '^[A-Z]{2}$', description: 'an ISO 3166 country code such as LU' }),
          region: Type.Optional(Type.String({ minLength: 1 })),
        },
        strict,
      ),
    ),
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
    warningPercents: Type.Array(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'a percentage between 0 and 100' }), {
      uniqueItems: true,
    }),
    escalation: Type.Array(EscalationLevelSchema),
    autoValidationAfter: Type.Union([Type.Null(), DurationSchema]),
    workaroundStopsResolutionClock: Type.Boolean(),
    /** Filled by the billing rules; only its being an object is checked here. */
    billing: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  strict,
);

export type PolicyDocument = Static<typeof PolicySchema>;
export type CalendarDocument = Static<typeof CalendarSchema>;
export type EscalationLevel = Static<typeof EscalationLevelSchema>;
