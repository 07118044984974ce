import { CalendarError } from './errors';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './civil';
import type { BusinessCalendar, TimeLine } from './calendar';
import type { Interval } from './intervals';
import { addBusinessTime, businessTimeBetween, nextOpening } from './operations';

export const DURATION_UNITS = [
  'businessMinutes',
  'businessHours',
  'businessDays',
  'joursOuvrables',
  'calendarHours',
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

const DAY_SEARCH_LIMIT = 3660;

/**
 * The time a unit counts: open hours for business units, whole jours ouvrables for
 * jours ouvrables, every instant for calendar hours. Pauses are measured on it, so a
 * pause only gives back the time the clock would have counted.
 */
export function countingLineOf(calendar: BusinessCalendar, unit: DurationUnit): TimeLine {
  switch (unit) {
    case 'businessMinutes':
    case 'businessHours':
    case 'businessDays':
      return calendar;
    case 'joursOuvrables':
      return calendar.joursOuvrables;
    case 'calendarHours':
      return calendar.allTime;
  }
}

function assertAmount({ amount, unit }: Duration): void {
  const wholeDays = unit === 'businessDays' || unit === 'joursOuvrables';
  if (!Number.isFinite(amount) || amount < 0 || (wholeDays && !Number.isInteger(amount))) {
    throw new CalendarError('DURATION_INVALID', `${amount} ${unit} is not a valid duration`);
  }
}

/** The day `count` qualifying days after `day`. */
function nthDayAfter(day: number, count: number, qualifies: (day: number) => boolean): number {
  // The limit runs from the last qualifying day: many days on a sparse calendar can lie far ahead.
  let found = day;
  let lastQualifying = day;
  for (let left = count; left > 0;) {
    found++;
    if (found - lastQualifying > DAY_SEARCH_LIMIT)
      throw new CalendarError('CALENDAR_NEVER_OPENS', `no qualifying day within ${DAY_SEARCH_LIMIT} days`);
    if (qualifies(found)) {
      left--;
      lastQualifying = found;
    }
  }
  return found;
}

/** The deadline as if the clock never paused. */
function unpausedDeadline(calendar: BusinessCalendar, start: number, duration: Duration): number {
  const { amount, unit } = duration;
  const { zone } = calendar;
  switch (unit) {
    case 'businessMinutes':
      return addBusinessTime(calendar, start, amount * MINUTE_MS);
    case 'businessHours':
      return addBusinessTime(calendar, start, amount * HOUR_MS);
    case 'calendarHours':
      return start + amount * HOUR_MS;
    case 'businessDays': {
      // Same local time of day on the Nth following business day, counted from the next opening.
      const wall = zone.wallOf(nextOpening(calendar, start));
      const openingDay = Math.floor(wall / DAY_MS);
      const day = nthDayAfter(openingDay, amount, (candidate) => calendar.isBusinessDay(candidate));
      return zone.instantOfWall(day * DAY_MS + (wall - openingDay * DAY_MS));
    }
    case 'joursOuvrables': {
      // 24:00 local of the Nth jour ouvrable after the day of registration.
      const day = nthDayAfter(zone.localDayOf(start), amount, (candidate) => calendar.isJourOuvrable(candidate));
      return zone.instantOfWall((day + 1) * DAY_MS);
    }
  }
}

/**
 * When `duration`, started at `start`, runs out. Paused time that the unit's clock
 * would have counted before the unpaused deadline is given back after it, on the
 * same clock, skipping later pauses.
 */
export function deadlineOf(
  calendar: BusinessCalendar,
  start: number,
  duration: Duration,
  pauses: readonly Interval[] = [],
): number {
  assertAmount(duration);
  const unpaused = unpausedDeadline(calendar, start, duration);
  if (pauses.length === 0) return unpaused;
  const line = countingLineOf(calendar, duration.unit);
  const pausedMs = businessTimeBetween(line, start, unpaused) - businessTimeBetween(line, start, unpaused, pauses);
  return addBusinessTime(line, unpaused, pausedMs, pauses);
}

/** The counted time `duration` stands for when started at `start`: the 100% of its thresholds. */
export function budgetOf(calendar: BusinessCalendar, start: number, duration: Duration): number {
  assertAmount(duration);
  return businessTimeBetween(
    countingLineOf(calendar, duration.unit),
    start,
    unpausedDeadline(calendar, start, duration),
  );
}

/** Whether `unit` counts every hour, day and night (countingLineOf's allTime), rather than open or working days. */
export const countsEveryHour = (unit: DurationUnit): boolean => unit === 'calendarHours';

/** Counted, unpaused time between two instants on the clock of `unit`. */
export function elapsedOf(
  calendar: BusinessCalendar,
  unit: DurationUnit,
  from: number,
  to: number,
  pauses: readonly Interval[] = [],
): number {
  return businessTimeBetween(countingLineOf(calendar, unit), from, to, pauses);
}

/**
 * The instant at which `percent` of the duration has been consumed (100 is the
 * deadline itself; above 100 continues past it), for warnings and escalations.
 */
export function instantAtPercent(
  calendar: BusinessCalendar,
  start: number,
  duration: Duration,
  percent: number,
  pauses: readonly Interval[] = [],
): number {
  if (!Number.isFinite(percent) || percent < 0)
    throw new CalendarError('DURATION_INVALID', `${percent}% is not a valid threshold`);
  const line = countingLineOf(calendar, duration.unit);
  const budget = budgetOf(calendar, start, duration);
  if (percent < 100) return addBusinessTime(line, start, Math.ceil((budget * percent) / 100), pauses);
  const deadline = deadlineOf(calendar, start, duration, pauses);
  return addBusinessTime(line, deadline, Math.ceil((budget * (percent - 100)) / 100), pauses);
}
