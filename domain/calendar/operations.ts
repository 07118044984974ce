import { CalendarError } from './errors';
import { DAY_MS, HOUR_MS } from './civil';
import type { TimeLine } from './calendar';
import { PauseSet } from './intervals';
import type { Interval } from './intervals';

// Going this long without any counted time means the calendar (or the pauses) never lets it pass.
const HORIZON_DAYS = 3660;
// A local day's instants start no later than this after its UTC midnight.
const LATEST_OFFSET_MS = 16 * HOUR_MS;

function assertInstant(instant: number, what: string): void {
  if (!Number.isFinite(instant))
    throw new CalendarError('INSTANT_INVALID', `${what} is not a finite epoch-millisecond instant`);
}

/**
 * Visits, in order, the counted and unpaused pieces of time at or after `from`,
 * stopping when `visit` returns true or once past `until`. Work is proportional
 * to the number of local days crossed.
 */
function walk(
  line: TimeLine,
  from: number,
  pauses: PauseSet,
  until: number,
  visit: (start: number, end: number) => boolean,
): void {
  const firstDay = line.zone.localDayOf(from) - 1;
  // The horizon runs from the last counted time, not from `from`: a calendar open 15 minutes
  // a week takes more than ten years to count 131 hours, yet it does open.
  let giveUpAfter = firstDay + HORIZON_DAYS;
  for (let day = firstDay; day <= giveUpAfter; day++) {
    if (day * DAY_MS - LATEST_OFFSET_MS >= until) return;
    for (const [start, end] of line.intervalsOn(day)) {
      if (end <= from) continue;
      for (const [pieceStart, pieceEnd] of pauses.subtractFrom(Math.max(start, from), end)) {
        if (visit(pieceStart, pieceEnd)) return;
        giveUpAfter = day + HORIZON_DAYS;
      }
    }
  }
  throw new CalendarError('CALENDAR_NEVER_OPENS', `no counted time within ${HORIZON_DAYS} days`);
}

/** The first counted, unpaused instant at or after `at`. */
export function nextOpening(line: TimeLine, at: number, pauses: readonly Interval[] = []): number {
  assertInstant(at, 'instant');
  let found = at;
  walk(line, at, PauseSet.of(pauses), Infinity, (start) => {
    found = start;
    return true;
  });
  return found;
}

/** Counted, unpaused milliseconds in `[from, to)`; zero when `to` is not after `from`. */
export function businessTimeBetween(
  line: TimeLine,
  from: number,
  to: number,
  pauses: readonly Interval[] = [],
): number {
  assertInstant(from, 'start');
  assertInstant(to, 'end');
  let total = 0;
  if (to <= from) return total;
  walk(line, from, PauseSet.of(pauses), to, (start, end) => {
    if (start >= to) return true;
    total += Math.min(end, to) - start;
    return false;
  });
  return total;
}

/**
 * The earliest instant by which `amountMs` of counted, unpaused time has passed
 * since `start`; `start` itself for a zero amount.
 */
export function addBusinessTime(
  line: TimeLine,
  start: number,
  amountMs: number,
  pauses: readonly Interval[] = [],
): number {
  assertInstant(start, 'start');
  if (!Number.isFinite(amountMs) || amountMs < 0)
    throw new CalendarError('DURATION_INVALID', `cannot add ${amountMs} ms`);
  if (amountMs === 0) return start;
  let remaining = amountMs;
  let reached = start;
  walk(line, start, PauseSet.of(pauses), Infinity, (pieceStart, pieceEnd) => {
    if (pieceEnd - pieceStart >= remaining) {
      reached = pieceStart + remaining;
      return true;
    }
    remaining -= pieceEnd - pieceStart;
    return false;
  });
  return reached;
}
