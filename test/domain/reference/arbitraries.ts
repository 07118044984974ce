import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { CalendarSpec, Interval, WeekdayName } from '../../../domain/calendar';

const MINUTE = 60_000;
const JURISDICTIONS = [
  { zone: 'Europe/Luxembourg', country: 'LU' },
  { zone: 'Europe/Paris', country: 'FR' },
  { zone: 'Europe/Brussels', country: 'BE' },
  { zone: 'Europe/Berlin', country: 'DE' },
] as const;
const WEEKDAYS: WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function hhmm(minutes: number): string {
  return minutes === 1440
    ? '24:00'
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

// Quarter hours, so that windows often start or end inside the DST hour 02:00-03:00 and at 24:00.
const windowArb = fc
  .tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ from: hhmm(Math.min(a, b) * 15), to: hhmm(Math.max(a, b) * 15) }));

const aroundTransitions = [
  '2025-03-28',
  '2025-10-24',
  '2026-03-27',
  '2026-10-23',
  '2026-04-01',
  '2026-05-10',
  '2026-12-22',
];

/** Whole-minute instants in 2025-2026, half of them in the weeks around DST changes, Easter, Ascension and Christmas. */
export const instantArb = fc.oneof(
  fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }).map((m) => Date.UTC(2025, 0, 1) + m * MINUTE),
  fc
    .tuple(fc.constantFrom(...aroundTransitions), fc.integer({ min: 0, max: 8 * 24 * 60 }))
    .map(([date, m]) => Date.parse(`${date}T00:00:00Z`) + m * MINUTE),
);

function localDate(zone: string, instant: number, dayOffset: number): string {
  return DateTime.fromMillis(instant, { zone }).plus({ days: dayOffset }).toISODate() ?? '';
}

/** A calendar and an instant near which its closed dates and extra windows fall. */
export const calendarAndStartArb = fc
  .record({
    jurisdiction: fc.constantFrom(...JURISDICTIONS),
    weekly: fc.array(fc.record({ days: fc.subarray(WEEKDAYS, { minLength: 1 }), window: windowArb }), {
      minLength: 1,
      maxLength: 3,
    }),
    closedOnHolidays: fc.boolean(),
    closedOffsets: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 2 }),
    extra: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 10 }), window: windowArb }), { maxLength: 2 }),
    start: instantArb,
  })
  .map(({ jurisdiction, weekly, closedOnHolidays, closedOffsets, extra, start }) => {
    const spec: CalendarSpec = {
      zone: jurisdiction.zone,
      holidays: { country: jurisdiction.country },
      closedOnHolidays,
      open: weekly.map(({ days, window }) => ({ days, ...window })),
      closedDates: closedOffsets.map((offset) => localDate(jurisdiction.zone, start, offset)),
      extraOpen: extra.map(({ offset, window }) => ({ date: localDate(jurisdiction.zone, start, offset), ...window })),
    };
    return { spec, start };
  });

/** Up to three whole-minute pauses starting around `start`, some overlapping. */
export function pausesArb(start: number): fc.Arbitrary<Interval[]> {
  return fc.array(
    fc
      .tuple(fc.integer({ min: -24 * 60, max: 5 * 24 * 60 }), fc.integer({ min: 0, max: 2 * 24 * 60 }))
      .map(([offset, length]): Interval => [start + offset * MINUTE, start + (offset + length) * MINUTE]),
    { maxLength: 3 },
  );
}
