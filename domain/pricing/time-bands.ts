import { BusinessCalendar, isoWeekdayOf, WEEKDAY_NAMES } from '../calendar';
import type { DayNumber, Interval } from '../calendar';
import type { CoefficientDocument, TimeBandsDocument } from '../policy/billing-schema';

/** A stretch of time priced at one coefficient; the label explains it on the line. */
export type Band = CoefficientDocument;

export interface BandedSpan {
  readonly start: number;
  readonly end: number;
  readonly band: Band;
}

/** Cuts `whole` into the parts inside and outside `open` (both sorted, `open` within `whole`'s day). */
function splitByOpen(whole: readonly Interval[], open: readonly Interval[], inside: Band, outside: Band): BandedSpan[] {
  const spans: BandedSpan[] = [];
  for (const [wholeStart, wholeEnd] of whole) {
    let cursor = wholeStart;
    for (const [openStart, openEnd] of open) {
      const start = Math.max(openStart, wholeStart);
      const end = Math.min(openEnd, wholeEnd);
      if (start >= end) continue;
      if (cursor < start) spans.push({ start: cursor, end: start, band: outside });
      spans.push({ start, end, band: inside });
      cursor = end;
    }
    if (cursor < wholeEnd) spans.push({ start: cursor, end: wholeEnd, band: outside });
  }
  return spans;
}

/** The rate bands of a policy, as instants: standard hours come from a BusinessCalendar, zones and holidays included. */
export class TimeBands {
  private readonly standard: Band;

  private constructor(
    private readonly document: TimeBandsDocument,
    private readonly calendar: BusinessCalendar,
  ) {
    this.standard = { label: document.standardHours.label, percent: 100 };
  }

  /** Throws CalendarError (with a path inside `standardHours`) when the hours cannot be compiled. */
  static compile(document: TimeBandsDocument, zone: string): TimeBands {
    const { open, holidays } = document.standardHours;
    return new TimeBands(document, BusinessCalendar.compile({ zone, open, ...(holidays ? { holidays } : {}) }));
  }

  /** `[from, to)` cut where the band changes, in time order, adjacent spans of one band merged. */
  spansOf(from: number, to: number): BandedSpan[] {
    const { zone } = this.calendar;
    const spans: BandedSpan[] = [];
    for (let day = zone.localDayOf(from); day <= zone.localDayOf(to - 1); day++) {
      for (const span of this.spansOn(day)) {
        const start = Math.max(span.start, from);
        const end = Math.min(span.end, to);
        if (start >= end) continue;
        const last = spans[spans.length - 1];
        if (last && last.band === span.band && last.end === start) spans[spans.length - 1] = { ...last, end };
        else spans.push({ start, end, band: span.band });
      }
    }
    return spans;
  }

  private spansOn(day: DayNumber): BandedSpan[] {
    const whole = this.calendar.allTime.intervalsOn(day);
    const { publicHolidays, wholeDays, outside } = this.document;
    const weekday = WEEKDAY_NAMES[isoWeekdayOf(day) - 1];
    const dayBand =
      (publicHolidays && this.calendar.isPublicHoliday(day) ? publicHolidays : undefined) ??
      (weekday && wholeDays?.[weekday]);
    if (dayBand) return whole.map(([start, end]) => ({ start, end, band: dayBand }));
    return splitByOpen(whole, this.calendar.intervalsOn(day), this.standard, outside);
  }
}
