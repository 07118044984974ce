import { CalendarError } from './errors';

/** Instants `[start, end)` in epoch milliseconds. */
export type Interval = readonly [start: number, end: number];

/**
 * Paused stretches, sorted and merged once so that each counted interval is cut
 * by a binary search instead of a scan of every pause.
 */
export class PauseSet {
  static readonly none = new PauseSet([]);

  private constructor(private readonly merged: readonly Interval[]) {}

  static of(pauses: readonly Interval[] = []): PauseSet {
    if (pauses.length === 0) return PauseSet.none;
    for (const [start, end] of pauses) {
      if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
        throw new CalendarError(
          'INTERVAL_INVALID',
          `paused interval [${start}, ${end}) is not a finite forward interval`,
        );
      }
    }
    const sorted = [...pauses].filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [start, end] of sorted) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    return new PauseSet(merged);
  }

  /** The parts of `[start, end)` outside every pause, in order. */
  subtractFrom(start: number, end: number): Interval[] {
    const pieces: Interval[] = [];
    let cursor = start;
    for (let i = this.firstEndingAfter(start); i < this.merged.length && cursor < end; i++) {
      const [pauseStart, pauseEnd] = this.merged[i] as Interval;
      if (pauseStart >= end) break;
      if (pauseStart > cursor) pieces.push([cursor, pauseStart]);
      cursor = Math.max(cursor, pauseEnd);
    }
    if (cursor < end) pieces.push([cursor, end]);
    return pieces;
  }

  private firstEndingAfter(instant: number): number {
    let lo = 0;
    let hi = this.merged.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.merged[mid] as Interval)[1] <= instant) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
