import { IANAZone } from 'luxon';
import { CalendarError } from './errors';
import { DAY_MS, HOUR_MS, civilDateOf, dayNumberOf } from './civil';
import type { DayNumber } from './civil';

/** A stretch of instants `[start, end)` during which the zone keeps one UTC offset. */
export interface OffsetSegment {
  readonly start: number;
  readonly end: number;
  readonly offsetMs: number;
}

interface Transition {
  readonly at: number;
  readonly offsetAfterMs: number;
}

interface YearRules {
  readonly initialOffsetMs: number;
  readonly transitions: readonly Transition[];
}

// No real offset is further than this from UTC; it bounds where a local day's instants can lie.
const OFFSET_BOUND_MS = 16 * HOUR_MS;
// Asking Intl for an offset costs ~10 µs, so each UTC year is sampled weekly and the
// changes are bisected. This assumes a zone never changes its offset twice within a
// week, which holds for every zone in use.
const SAMPLE_STEP_MS = 7 * DAY_MS;
const SECOND_MS = 1000;

/**
 * The UTC offsets of one IANA zone, learned once per year and cached, so that turning
 * local dates into instants costs a binary search rather than a call into Intl.
 */
export class ZoneRules {
  private readonly years = new Map<number, YearRules>();
  // Walks go forward day by day, so the stretch last looked at usually answers the next question.
  private lastSegment: OffsetSegment = { start: 0, end: 0, offsetMs: 0 };

  private constructor(
    readonly name: string,
    private readonly zone: IANAZone,
  ) {}

  private static readonly known = new Map<string, ZoneRules>();

  static of(name: string): ZoneRules {
    const cached = ZoneRules.known.get(name);
    if (cached) return cached;
    if (!IANAZone.isValidZone(name)) throw new CalendarError('ZONE_UNKNOWN', `unknown IANA time zone "${name}"`);
    const rules = new ZoneRules(name, IANAZone.create(name));
    ZoneRules.known.set(name, rules);
    return rules;
  }

  offsetAt(instant: number): number {
    return this.segmentAt(instant).offsetMs;
  }

  /** The constant-offset stretch holding `instant`, cut at UTC year ends. */
  segmentAt(instant: number): OffsetSegment {
    const last = this.lastSegment;
    if (instant >= last.start && instant < last.end) return last;
    const year = utcYearOf(instant);
    const { initialOffsetMs, transitions } = this.yearRules(year);
    let start = dayNumberOf({ year, month: 1, day: 1 }) * DAY_MS;
    let end = dayNumberOf({ year: year + 1, month: 1, day: 1 }) * DAY_MS;
    let offsetMs = initialOffsetMs;
    for (const transition of transitions) {
      if (transition.at > instant) {
        end = transition.at;
        break;
      }
      start = transition.at;
      offsetMs = transition.offsetAfterMs;
    }
    this.lastSegment = { start, end, offsetMs };
    return this.lastSegment;
  }

  /** The constant-offset stretches covering `[from, to)`, in order. */
  segments(from: number, to: number): OffsetSegment[] {
    const segments: OffsetSegment[] = [];
    let cursor = from;
    let offsetMs = this.offsetAt(from);
    for (let year = utcYearOf(from); year <= utcYearOf(to - 1); year++) {
      for (const transition of this.yearRules(year).transitions) {
        if (transition.at <= from || transition.at >= to) continue;
        segments.push({ start: cursor, end: transition.at, offsetMs });
        cursor = transition.at;
        offsetMs = transition.offsetAfterMs;
      }
    }
    segments.push({ start: cursor, end: to, offsetMs });
    return segments;
  }

  /** Local wall-clock reading of an instant, as milliseconds since 1970-01-01T00:00 local. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  localDayOf(instant: number): DayNumber {
    return Math.floor(this.wallOf(instant) / DAY_MS);
  }

  /**
   * The instants whose local reading lies in `[wallFrom, wallTo)`: usually one interval,
   * none inside a spring-forward gap, two when a fall-back repeats part of the range.
   */
  instantsOfWallRange(wallFrom: number, wallTo: number): Array<[number, number]> {
    const around = this.segmentAt(wallFrom - OFFSET_BOUND_MS);
    if (around.end >= wallTo + OFFSET_BOUND_MS) return [[wallFrom - around.offsetMs, wallTo - around.offsetMs]];
    const found: Array<[number, number]> = [];
    for (const segment of this.segments(wallFrom - OFFSET_BOUND_MS, wallTo + OFFSET_BOUND_MS)) {
      const start = Math.max(wallFrom - segment.offsetMs, segment.start);
      const end = Math.min(wallTo - segment.offsetMs, segment.end);
      if (start >= end) continue;
      const last = found[found.length - 1];
      if (last && last[1] === start) last[1] = end;
      else found.push([start, end]);
    }
    return found;
  }

  /**
   * The instant a local reading denotes: the earlier one when a fall-back repeats it,
   * and, inside a spring-forward gap, the reading moved forward by the gap's length
   * (02:30 becomes 03:30), as java.time and Luxon do.
   */
  instantOfWall(wall: number): number {
    let shiftedOverGap: number | undefined;
    for (const segment of this.segments(wall - OFFSET_BOUND_MS, wall + OFFSET_BOUND_MS)) {
      const candidate = wall - segment.offsetMs;
      if (candidate >= segment.start && candidate < segment.end) return candidate;
      if (candidate >= segment.end) shiftedOverGap = candidate;
    }
    if (shiftedOverGap === undefined)
      throw new CalendarError('INSTANT_INVALID', `cannot place local time in ${this.name}`);
    return shiftedOverGap;
  }

  private yearRules(year: number): YearRules {
    const cached = this.years.get(year);
    if (cached) return cached;
    const rules = this.learnYear(year);
    this.years.set(year, rules);
    return rules;
  }

  private learnYear(year: number): YearRules {
    const start = dayNumberOf({ year, month: 1, day: 1 }) * DAY_MS;
    const end = dayNumberOf({ year: year + 1, month: 1, day: 1 }) * DAY_MS;
    const initialOffsetMs = this.intlOffset(start);
    const transitions: Transition[] = [];
    let before = start;
    let offsetBefore = initialOffsetMs;
    while (before < end) {
      const after = Math.min(before + SAMPLE_STEP_MS, end);
      const offsetAfter = this.intlOffset(after);
      if (offsetAfter !== offsetBefore) {
        const at = this.bisectChange(before, after, offsetBefore);
        if (at < end) transitions.push({ at, offsetAfterMs: offsetAfter });
      }
      before = after;
      offsetBefore = offsetAfter;
    }
    return { initialOffsetMs, transitions };
  }

  /** First whole second in `(low, high]` whose offset differs from `offsetAtLow`. */
  private bisectChange(low: number, high: number, offsetAtLow: number): number {
    let lo = low;
    let hi = high;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.max(SECOND_MS, Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS);
      if (this.intlOffset(mid) === offsetAtLow) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  private intlOffset(instant: number): number {
    return this.zone.offset(instant) * 60_000;
  }
}

function utcYearOf(instant: number): number {
  return civilDateOf(Math.floor(instant / DAY_MS)).year;
}
