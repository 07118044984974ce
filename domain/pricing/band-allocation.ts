import { startedMinutes } from './increments';
import type { Band, TimeBands } from './time-bands';

/** Part of an item priced at one band (none where the policy has no bands). */
export interface BilledPart {
  readonly start: number;
  readonly end: number;
  readonly band: Band | null;
  readonly minutes: number;
}

/**
 * Lays an item's billed minutes across its bands, in time order: each started minute of work goes to the
 * band in which it started; the minutes billed beyond the work (the rest of a started step, the first full
 * hour, a minimum) go to the band in which the work ended, as they complete that last stretch. So no minute is
 * priced at a band in which no work was done, and the parts add up to the minutes of the whole item.
 */
export function allocateMinutes(bands: TimeBands | null, start: number, end: number, billed: number): BilledPart[] {
  // A zero-length item still has a band: the one at its start.
  const spans = bands ? bands.spansOf(start, Math.max(end, start + 1)) : [{ start, end, band: null }];
  const parts = spans.map((span) => ({
    ...span,
    end: Math.min(span.end, end),
    minutes: startedMinutes(Math.min(span.end, end) - start) - startedMinutes(span.start - start),
  }));
  // A span in which no minute starts is the tail of the minute started before it: that part covers it.
  const kept: typeof parts = [];
  for (const part of parts) {
    const previous = kept[kept.length - 1];
    if (part.minutes === 0 && previous) previous.end = part.end;
    else kept.push(part);
  }
  const last = kept[kept.length - 1];
  if (last) last.minutes += billed - startedMinutes(end - start);
  return kept.filter((part) => part.minutes > 0);
}
