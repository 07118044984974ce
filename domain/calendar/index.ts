export { BusinessCalendar, WEEKDAY_NAMES } from './calendar';
export type { CalendarSpec, DatedWindowSpec, TimeLine, WeekdayName, WeeklyWindowSpec } from './calendar';
export { DAY_MS, HOUR_MS, MINUTE_MS, formatIsoDate, isoWeekdayOf, parseIsoDate } from './civil';
export type { DayNumber } from './civil';
export {
  DURATION_UNITS,
  budgetOf,
  countingLineOf,
  countsEveryHour,
  deadlineOf,
  elapsedOf,
  instantAtPercent,
} from './durations';
export type { Duration, DurationUnit } from './durations';
export { CalendarError } from './errors';
export type { CalendarErrorCode } from './errors';
export type { HolidayJurisdiction } from './holidays';
export type { Interval } from './intervals';
export { addBusinessTime, businessTimeBetween, nextOpening } from './operations';
export { ZoneRules } from './zone';
