/**
 * The naive reference the calendar is checked against: it looks at every minute
 * through Luxon and asks whether that minute is open, straight from the
 * CalendarSpec. Slow by design and independent of domain/calendar's day model.
 * Instants, windows and pauses must fall on whole minutes, and zones may change
 * offset only at whole UTC hours (true of the European zones it is used with),
 * which lets it ask Luxon for the offset once per hour instead of once per minute.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { CalendarSpec, Duration, Interval } from '../../../domain/calendar';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const LIMIT_MINUTES = 4 * 366 * 24 * 60;

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** A local date and what the spec says of it: what every minute of that date asks. */
interface LocalDate {
  isoDate: string;
  /** ISO weekday, 1 (Monday) to 7. */
  weekday: number;
  windows: Array<[number, number]>;
}

export class NaiveCalendar {
  private readonly holidayCache = new Map<number, Set<string>>();
  private readonly offsetByHour = new Map<number, number>();
  // The reference asks about every minute, and consecutive minutes share their hour and date: each hour's offset and
  // each date's windows are worked out once, and the last ones are kept at hand.
  private readonly dateByDay = new Map<number, LocalDate>();
  private lastHour = Number.NaN;
  private lastOffset = 0;
  private lastDay = Number.NaN;
  private lastDate: LocalDate | undefined;

  constructor(readonly spec: CalendarSpec) {}

  local(instant: number): DateTime {
    return DateTime.fromMillis(instant, { zone: this.spec.zone });
  }

  isPublicHoliday(isoDate: string): boolean {
    const { holidays } = this.spec;
    if (!holidays) return false;
    const year = Number(isoDate.slice(0, 4));
    let days = this.holidayCache.get(year);
    if (!days) {
      const library = holidays.region
        ? new Holidays(holidays.country, holidays.region)
        : new Holidays(holidays.country);
      days = new Set(
        library
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      this.holidayCache.set(year, days);
    }
    return days.has(isoDate);
  }

  /** Open windows of a local date (ISO weekday 1-7), in minutes of the day. */
  windowsOf(isoDate: string, weekday: number): Array<[number, number]> {
    const closed =
      (this.spec.closedDates ?? []).includes(isoDate) ||
      ((this.spec.closedOnHolidays ?? true) && this.isPublicHoliday(isoDate));
    const name = WEEKDAYS[weekday - 1] ?? 'mon';
    const weekly = closed ? [] : this.spec.open.filter((w) => w.days.includes(name));
    const extra = (this.spec.extraOpen ?? []).filter((w) => w.date === isoDate);
    return [...weekly, ...extra].map((w) => [minutesOf(w.from), minutesOf(w.to)]);
  }

  hasWindows(date: DateTime): boolean {
    return this.windowsOf(date.toISODate() ?? '', date.weekday).length > 0;
  }

  /** The wall clock of an instant, read as if it were UTC: its day number names the local date. */
  private wallClock(instant: number): number {
    const hour = Math.floor(instant / HOUR);
    if (hour !== this.lastHour) {
      let offset = this.offsetByHour.get(hour);
      if (offset === undefined) {
        offset = DateTime.fromMillis(hour * HOUR, { zone: this.spec.zone }).offset;
        this.offsetByHour.set(hour, offset);
      }
      this.lastHour = hour;
      this.lastOffset = offset;
    }
    return instant + this.lastOffset * MINUTE;
  }

  /** The local date of a wall-clock day number (days since 1970-01-01). */
  private dateOfDay(day: number): LocalDate {
    if (day === this.lastDay && this.lastDate) return this.lastDate;
    let date = this.dateByDay.get(day);
    if (!date) {
      const midnight = new Date(day * DAY);
      const isoDate = midnight.toISOString().slice(0, 10);
      const weekday = ((midnight.getUTCDay() + 6) % 7) + 1;
      date = { isoDate, weekday, windows: this.windowsOf(isoDate, weekday) };
      this.dateByDay.set(day, date);
    }
    this.lastDay = day;
    this.lastDate = date;
    return date;
  }

  isOpenMinute(instant: number): boolean {
    const wall = this.wallClock(instant);
    const day = Math.floor(wall / DAY);
    const minute = (wall - day * DAY) / MINUTE;
    for (const [from, to] of this.dateOfDay(day).windows) if (minute >= from && minute < to) return true;
    return false;
  }

  isOuvrableMinute(instant: number): boolean {
    const { isoDate, weekday } = this.dateOfDay(Math.floor(this.wallClock(instant) / DAY));
    return weekday !== 7 && !this.isPublicHoliday(isoDate);
  }
}

type MinuteTest = (instant: number) => boolean;

function paused(pauses: readonly Interval[], instant: number): boolean {
  return pauses.some(([start, end]) => instant >= start && instant < end);
}

function countingTest(calendar: NaiveCalendar, unit: Duration['unit']): MinuteTest {
  if (unit === 'calendarHours') return () => true;
  if (unit === 'joursOuvrables') return (t) => calendar.isOuvrableMinute(t);
  return (t) => calendar.isOpenMinute(t);
}

export function naiveElapsedMinutes(
  counts: MinuteTest,
  from: number,
  to: number,
  pauses: readonly Interval[] = [],
): number {
  let minutes = 0;
  for (let t = from; t < to; t += MINUTE) if (counts(t) && !paused(pauses, t)) minutes++;
  return minutes;
}

export function naiveAddMinutes(
  counts: MinuteTest,
  start: number,
  minutes: number,
  pauses: readonly Interval[] = [],
): number {
  let left = minutes;
  let t = start;
  for (let steps = 0; left > 0; steps++, t += MINUTE) {
    if (steps > LIMIT_MINUTES) throw new Error('naive reference: never reached');
    if (counts(t) && !paused(pauses, t)) left--;
  }
  return t;
}

export function naiveNextOpening(calendar: NaiveCalendar, at: number, pauses: readonly Interval[] = []): number {
  let t = at;
  while (!calendar.isOpenMinute(t) || paused(pauses, t)) t += MINUTE;
  return t;
}

function unpausedDeadline(calendar: NaiveCalendar, start: number, { amount, unit }: Duration): number {
  switch (unit) {
    case 'businessMinutes':
      return naiveAddMinutes((t) => calendar.isOpenMinute(t), start, amount);
    case 'businessHours':
      return naiveAddMinutes((t) => calendar.isOpenMinute(t), start, amount * 60);
    case 'calendarHours':
      return start + amount * 60 * MINUTE;
    case 'businessDays': {
      const opening = calendar.local(naiveNextOpening(calendar, start));
      let day = opening.startOf('day');
      for (let left = amount; left > 0;) {
        day = day.plus({ days: 1 });
        if (calendar.hasWindows(day)) left--;
      }
      return day.set({ hour: opening.hour, minute: opening.minute }).toMillis();
    }
    case 'joursOuvrables': {
      let day = calendar.local(start).startOf('day');
      for (let left = amount; left > 0;) {
        day = day.plus({ days: 1 });
        if (day.weekday !== 7 && !calendar.isPublicHoliday(day.toISODate() ?? '')) left--;
      }
      return day.plus({ days: 1 }).toMillis();
    }
  }
}

/** The deadline of each Duration unit (domain/calendar), found minute by minute, with paused counted minutes given back after it. */
export function naiveDeadline(
  calendar: NaiveCalendar,
  start: number,
  duration: Duration,
  pauses: readonly Interval[] = [],
): number {
  const unpaused = unpausedDeadline(calendar, start, duration);
  const counts = countingTest(calendar, duration.unit);
  let owed = 0;
  for (let t = start; t < unpaused; t += MINUTE) if (counts(t) && paused(pauses, t)) owed++;
  return naiveAddMinutes(counts, unpaused, owed, pauses);
}
