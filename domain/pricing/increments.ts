// civil.ts, not the calendar index: workflow code imports this module and must not bundle the holiday tables.
import { MINUTE_MS } from '../calendar/civil';
import type { IncrementDocument } from '../policy/billing-schema';

/** Minutes in which some work was done: a minute started is a minute worked. */
export function startedMinutes(workedMs: number): number {
  return Math.ceil(workedMs / MINUTE_MS);
}

/**
 * The minutes an item bills: nothing for no work; otherwise the first block as soon as work starts, then
 * every started step; never less than `minimumMinutes`. Counted on the whole item, before any band split,
 * so that cutting an item at 17:00 never bills one more started step than leaving it whole.
 */
export function billedMinutes(
  workedMs: number,
  { firstMinutes = 0, stepMinutes }: IncrementDocument,
  minimumMinutes = 0,
): number {
  if (workedMs <= 0) return minimumMinutes;
  const beyondFirstMs = Math.max(0, workedMs - firstMinutes * MINUTE_MS);
  const steps = Math.ceil(beyondFirstMs / (stepMinutes * MINUTE_MS));
  return Math.max(minimumMinutes, firstMinutes + steps * stepMinutes);
}
