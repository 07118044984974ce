import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { WEEKDAY_NAMES } from '../calendar';
import { HolidaysSchema, Name, WeeklyWindowSchema, Zone, partialRecordOf, strict } from './schema-parts';

/** Facts about an intervention that some terms charge extra for (the tm-minimum preset's x3 and x2). */
export const SURCHARGE_TRIGGERS = ['outOfHoursRequested', 'urgent'] as const;
export type SurchargeTrigger = (typeof SURCHARGE_TRIGGERS)[number];

// Money is integer euro cents excl. VAT; multipliers are whole percentages so that prices stay exact.
const Cents = Type.Integer({ minimum: 0, description: 'a whole number of euro cents' });
const Percent = Type.Integer({ minimum: 1, description: 'a whole percentage of at least 1 (150 for x1.5)' });
const Minutes = Type.Integer({ minimum: 1, description: 'a whole number of minutes of at least 1' });
const Label = Type.String({ minLength: 1, description: 'a label for invoice lines' });

/** A rate coefficient and the words that explain it on a line. */
const CoefficientSchema = Type.Object({ label: Label, percent: Percent }, strict);

/** Exactly one of the three is set; Policy.parse checks it (a union would lose the path of errors inside). */
const RatesSchema = Type.Object(
  {
    hourlyCents: Type.Optional(Cents),
    hourlyCentsByRole: Type.Optional(Type.Record(Name, Cents, { minProperties: 1, additionalProperties: false })),
    hourlyCentsByService: Type.Optional(Type.Record(Name, Cents, { minProperties: 1, additionalProperties: false })),
  },
  strict,
);

/**
 * How worked time becomes billed minutes: `firstMinutes` billed as soon as work starts (the Mixvoip presets'
 * first full hour on site), then every started step of `stepMinutes`.
 */
const IncrementSchema = Type.Object({ firstMinutes: Type.Optional(Minutes), stepMinutes: Minutes }, strict);

/**
 * Rate bands: within the standard hours the rate is as listed; outside them, `outside`. Whole days
 * (a weekday, or a public holiday of the standard hours' jurisdiction) override both, a public holiday first.
 */
const TimeBandsSchema = Type.Object(
  {
    standardHours: Type.Object(
      { label: Label, open: Type.Array(WeeklyWindowSchema, { minItems: 1 }), holidays: Type.Optional(HolidaysSchema) },
      strict,
    ),
    outside: CoefficientSchema,
    wholeDays: Type.Optional(partialRecordOf(WEEKDAY_NAMES, CoefficientSchema)),
    publicHolidays: Type.Optional(CoefficientSchema),
  },
  strict,
);

export const BillingSchema = Type.Object(
  {
    /** Where the times of bands and invoice lines are read. */
    zone: Zone,
    rates: RatesSchema,
    /** Remote work; on-site work too unless `onSite` says otherwise. */
    increments: Type.Object({ remote: IncrementSchema, onSite: Type.Optional(IncrementSchema) }, strict),
    minimumMinutes: Type.Optional(
      Type.Object({ perRequest: Minutes, whenRemoteToolMissing: Type.Optional(Minutes) }, strict),
    ),
    timeBands: Type.Optional(TimeBandsSchema),
    /** Coefficients on top of the band's, when the intervention says so. */
    surcharges: Type.Optional(partialRecordOf(SURCHARGE_TRIGGERS, CoefficientSchema)),
    fees: Type.Optional(
      Type.Object({ emergencyCents: Type.Optional(Cents), monthlyContractCents: Type.Optional(Cents) }, strict),
    ),
    /**
     * Travel to the customer's site, on top of everything and never covered by a contract or prepaid hours: a
     * fee per trip, and/or the travel time at an hourly rate by the started minute. Without it travel is not billed.
     */
    travel: Type.Optional(
      Type.Object(
        { perTripCents: Type.Optional(Cents), hourlyCents: Type.Optional(Cents) },
        { ...strict, minProperties: 1 },
      ),
    ),
    /** Hours bought in advance cover billed minutes before anything is charged. */
    drawsOnPrepaidHours: Type.Optional(Type.Boolean()),
    /** Services outside the contract, billed under another one: pricing them here is refused. */
    excludedServices: Type.Optional(Type.Array(Name, { uniqueItems: true })),
  },
  strict,
);

export type BillingDocument = Static<typeof BillingSchema>;
export type IncrementDocument = Static<typeof IncrementSchema>;
export type TimeBandsDocument = Static<typeof TimeBandsSchema>;
export type CoefficientDocument = Static<typeof CoefficientSchema>;
