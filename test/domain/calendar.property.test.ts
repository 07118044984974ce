import fc from 'fast-check';
import {
  BusinessCalendar,
  businessTimeBetween,
  deadlineOf,
  elapsedOf,
  instantAtPercent,
  nextOpening,
  addBusinessTime,
  budgetOf,
} from '../../domain/calendar';
import type { Duration } from '../../domain/calendar';
import { calendarAndStartArb, pausesArb } from './reference/arbitraries';
import { NaiveCalendar, naiveDeadline, naiveElapsedMinutes, naiveNextOpening } from './reference/naive-calendar';

const MINUTE = 60_000;
const RUNS = { numRuns: 120 };
jest.setTimeout(120_000);

const withPauses = calendarAndStartArb.chain((case_) => pausesArb(case_.start).map((pauses) => ({ ...case_, pauses })));

function iso(instant: number): string {
  return new Date(instant).toISOString();
}

describe('calendar against the naive minute-stepping reference', () => {
  test('next opening, with pauses', () => {
    fc.assert(
      fc.property(withPauses, ({ spec, start, pauses }) => {
        const expected = naiveNextOpening(new NaiveCalendar(spec), start, pauses);
        expect(iso(nextOpening(BusinessCalendar.compile(spec), start, pauses))).toBe(iso(expected));
      }),
      RUNS,
    );
  });

  test('business minutes and hours added, with pauses', () => {
    const amounts = fc.oneof(
      fc.integer({ min: 0, max: 2400 }).map((amount): Duration => ({ amount, unit: 'businessMinutes' })),
      fc.integer({ min: 1, max: 30 }).map((amount): Duration => ({ amount, unit: 'businessHours' })),
    );
    fc.assert(
      fc.property(withPauses, amounts, ({ spec, start, pauses }, duration) => {
        const expected = naiveDeadline(new NaiveCalendar(spec), start, duration, pauses);
        expect(iso(deadlineOf(BusinessCalendar.compile(spec), start, duration, pauses))).toBe(iso(expected));
      }),
      RUNS,
    );
  });

  test('business time elapsed between two instants, with pauses', () => {
    fc.assert(
      fc.property(withPauses, fc.integer({ min: -60, max: 8 * 24 * 60 }), ({ spec, start, pauses }, span) => {
        const end = start + span * MINUTE;
        const naive = new NaiveCalendar(spec);
        const expected = naiveElapsedMinutes((t) => naive.isOpenMinute(t), start, end, pauses) * MINUTE;
        expect(businessTimeBetween(BusinessCalendar.compile(spec), start, end, pauses)).toBe(expected);
      }),
      RUNS,
    );
  });

  test('business days, jours ouvrables and calendar hours, with pauses', () => {
    const durations = fc.oneof(
      fc.integer({ min: 0, max: 4 }).map((amount): Duration => ({ amount, unit: 'businessDays' })),
      fc.integer({ min: 0, max: 4 }).map((amount): Duration => ({ amount, unit: 'joursOuvrables' })),
      fc.integer({ min: 0, max: 72 }).map((amount): Duration => ({ amount, unit: 'calendarHours' })),
    );
    fc.assert(
      fc.property(withPauses, durations, ({ spec, start, pauses }, duration) => {
        const expected = naiveDeadline(new NaiveCalendar(spec), start, duration, pauses);
        expect(iso(deadlineOf(BusinessCalendar.compile(spec), start, duration, pauses))).toBe(iso(expected));
      }),
      { numRuns: 80 },
    );
  });
});

describe('calendar operations agree with each other', () => {
  test('elapsed time up to start + x is x', () => {
    fc.assert(
      fc.property(withPauses, fc.integer({ min: 0, max: 500_000_000 }), ({ spec, start, pauses }, amount) => {
        const calendar = BusinessCalendar.compile(spec);
        expect(businessTimeBetween(calendar, start, addBusinessTime(calendar, start, amount, pauses), pauses)).toBe(
          amount,
        );
      }),
      { numRuns: 300 },
    );
  });

  test('thresholds: elapsed at the instant of p% is p% of the budget, and 100% is the deadline', () => {
    const durations = fc.constantFrom<Duration>(
      { amount: 4, unit: 'businessHours' },
      { amount: 2, unit: 'businessDays' },
      { amount: 3, unit: 'joursOuvrables' },
      { amount: 30, unit: 'calendarHours' },
    );
    fc.assert(
      fc.property(
        withPauses,
        durations,
        fc.integer({ min: 1, max: 99 }),
        ({ spec, start, pauses }, duration, percent) => {
          const calendar = BusinessCalendar.compile(spec);
          const budget = budgetOf(calendar, start, duration);
          const at = instantAtPercent(calendar, start, duration, percent, pauses);
          expect(elapsedOf(calendar, duration.unit, start, at, pauses)).toBe(Math.ceil((budget * percent) / 100));
          expect(instantAtPercent(calendar, start, duration, 100, pauses)).toBe(
            deadlineOf(calendar, start, duration, pauses),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
