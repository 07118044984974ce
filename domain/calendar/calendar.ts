import { CalendarError } from './errors';
import { DAY_MS, isoWeekdayOf, parseIsoDate, parseTimeOfDay, yearOf } from './civil';
import type { DayNumber } from './civil';
import { assertKnownJurisdiction, publicHolidaysOf } from './holidays';
import type { HolidayJurisdiction } from './holidays';
import type { Interval } from './intervals';
import { ZoneRules } from './zone';

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/** Open every listed weekday from `from` to `to` (`HH:MM`, `to` may be `24:00`). */
export interface WeeklyWindowSpec {
  readonly days: readonly WeekdayName[];
  readonly from: string;
  readonly to: string;
}

/** Open on one local date, e.g. a paid standby during a customer's event. */
export interface DatedWindowSpec {
  readonly date: string;
  readonly from: string;
  readonly to: string;
}

export interface CalendarSpec {
  /** IANA zone in which every time of day and date of this calendar is read. */
  readonly zone: string;
  readonly open: readonly WeeklyWindowSpec[];
  /** The jurisdiction whose public holidays apply (also defines jours ouvrables). */
  readonly holidays?: HolidayJurisdiction;
  /** Whether public holidays close the weekly windows; default true. */
  readonly closedOnHolidays?: boolean;
  /** Local dates on which the weekly windows do not open (`YYYY-MM-DD`). */
  readonly closedDates?: readonly string[];
  /** Windows added on top of everything else, holidays and closed dates included. */
  readonly extraOpen?: readonly DatedWindowSpec[];
}

/** Milliseconds since local midnight, `[from, to)`. */
type LocalWindow = readonly [from: number, to: number];

/** A source of counted time: the instants that count, grouped by local day. */
export interface TimeLine {
  readonly zone: ZoneRules;
  /** Sorted by start and disjoint: walks and band splits read them as a timeline. */
  intervalsOn(day: DayNumber): readonly Interval[];
}

function wholeDay(zone: ZoneRules, day: DayNumber): Interval[] {
  return zone.instantsOfWallRange(day * DAY_MS, (day + 1) * DAY_MS);
}

/** Compiled calendar: local windows per day, turned into instants on demand. */
export class BusinessCalendar implements TimeLine {
  /** Every instant counts: for calendar hours. */
  readonly allTime: TimeLine;
  /** Whole local days Monday to Saturday that are not public holidays. */
  readonly joursOuvrables: TimeLine;
  // Days are looked at in runs within one year; this spares a keyed lookup per day.
  private holidayYear: { year: number; days: ReadonlySet<DayNumber> } = { year: Number.NaN, days: new Set() };

  private constructor(
    readonly zone: ZoneRules,
    private readonly weekly: ReadonlyArray<readonly LocalWindow[]>,
    private readonly holidays: HolidayJurisdiction | undefined,
    private readonly closedOnHolidays: boolean,
    private readonly closedDates: ReadonlySet<DayNumber>,
    private readonly extraOpen: ReadonlyMap<DayNumber, readonly LocalWindow[]>,
  ) {
    this.allTime = { zone, intervalsOn: (day) => wholeDay(zone, day) };
    this.joursOuvrables = { zone, intervalsOn: (day) => (this.isJourOuvrable(day) ? wholeDay(zone, day) : []) };
  }

  static compile(spec: CalendarSpec): BusinessCalendar {
    const zone = withPath('/zone', () => ZoneRules.of(spec.zone));
    if (spec.holidays) {
      const jurisdiction = spec.holidays;
      withPath('/holidays', () => assertKnownJurisdiction(jurisdiction));
    }
    const weekly = WEEKDAY_NAMES.map((weekday) =>
      mergeWindows(
        spec.open.flatMap((window, index) =>
          window.days.includes(weekday) ? [parseWindow(window, `/open/${index}`)] : [],
        ),
      ),
    );
    const closedDates = new Set(
      (spec.closedDates ?? []).map((date, index) => parseDate(date, `/closedDates/${index}`)),
    );
    const extraByDay = new Map<DayNumber, LocalWindow[]>();
    (spec.extraOpen ?? []).forEach((window, index) => {
      const day = parseDate(window.date, `/extraOpen/${index}/date`);
      extraByDay.set(day, [...(extraByDay.get(day) ?? []), parseWindow(window, `/extraOpen/${index}`)]);
    });
    const extraOpen = new Map([...extraByDay].map(([day, windows]) => [day, mergeWindows(windows)] as const));
    if (weekly.every((windows) => windows.length === 0) && extraOpen.size === 0) {
      throw new CalendarError('CALENDAR_INVALID', 'calendar never opens: no weekly or extra window', '/open');
    }
    return new BusinessCalendar(zone, weekly, spec.holidays, spec.closedOnHolidays ?? true, closedDates, extraOpen);
  }

  isPublicHoliday(day: DayNumber): boolean {
    if (this.holidays === undefined) return false;
    const year = yearOf(day);
    if (this.holidayYear.year !== year) this.holidayYear = { year, days: publicHolidaysOf(this.holidays, year) };
    return this.holidayYear.days.has(day);
  }

  /** Monday to Saturday and not a public holiday: the legal "jour ouvrable". */
  isJourOuvrable(day: DayNumber): boolean {
    return isoWeekdayOf(day) !== 7 && !this.isPublicHoliday(day);
  }

  isBusinessDay(day: DayNumber): boolean {
    return this.windowsOn(day).length > 0;
  }

  windowsOn(day: DayNumber): readonly LocalWindow[] {
    const closed = this.closedDates.has(day) || (this.closedOnHolidays && this.isPublicHoliday(day));
    const weekly = closed ? [] : (this.weekly[isoWeekdayOf(day) - 1] ?? []);
    const extra = this.extraOpen.get(day);
    return extra ? mergeWindows([...weekly, ...extra]) : weekly;
  }

  intervalsOn(day: DayNumber): Interval[] {
    const midnight = day * DAY_MS;
    const intervals = this.windowsOn(day).flatMap(([from, to]) =>
      this.zone.instantsOfWallRange(midnight + from, midnight + to),
    );
    // Windows are in wall-clock order, which is not time order on a fall-back day: the
    // repeated hour's second pass through one window comes after its first pass through
    // a later one (02:00-02:30 and 02:45-03:00 are lived 02:00, 02:45, 02:00, 02:45).
    return intervals.sort((a, b) => a[0] - b[0]);
  }
}

function withPath<T>(path: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof CalendarError && error.path === undefined)
      throw new CalendarError(error.code, error.message, path);
    throw error;
  }
}

function parseWindow(window: { readonly from: string; readonly to: string }, path: string): LocalWindow {
  const from = parseTimeOfDay(window.from);
  const to = parseTimeOfDay(window.to);
  if (from === undefined)
    throw new CalendarError('CALENDAR_INVALID', `expected HH:MM, got "${window.from}"`, `${path}/from`);
  if (to === undefined)
    throw new CalendarError('CALENDAR_INVALID', `expected HH:MM or 24:00, got "${window.to}"`, `${path}/to`);
  if (to <= from)
    throw new CalendarError(
      'CALENDAR_INVALID',
      `window must end after it starts (${window.from}-${window.to})`,
      `${path}/to`,
    );
  return [from, to];
}

function parseDate(text: string, path: string): DayNumber {
  const day = parseIsoDate(text);
  if (day === undefined) throw new CalendarError('CALENDAR_INVALID', `expected a date YYYY-MM-DD, got "${text}"`, path);
  return day;
}

function mergeWindows(windows: readonly LocalWindow[]): LocalWindow[] {
  const merged: Array<[number, number]> = [];
  for (const [from, to] of [...windows].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
