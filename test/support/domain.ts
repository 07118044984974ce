import { DateTime } from 'luxon';
import type { CalendarSpec, WeekdayName } from '../../domain/calendar';

export const WEEKDAYS: WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const EVERY_DAY: WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Epoch ms of an ISO-8601 instant with offset. */
export function at(iso: string): number {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw new Error(`bad test instant ${iso}`);
  return parsed.toMillis();
}

/** ISO-8601 in `zone`, with offset, to compare with hand-computed expectations. */
export function show(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? 'invalid';
}

export function officeHours(
  zone: string,
  country: string,
  from = '09:00',
  to = '17:00',
  days = WEEKDAYS,
): CalendarSpec {
  return { zone, holidays: { country }, open: [{ days, from, to }] };
}

export function allDay(zone: string): CalendarSpec {
  return { zone, open: [{ days: EVERY_DAY, from: '00:00', to: '24:00' }] };
}

/** The error `run` throws, for matching its stable code (and path) rather than its wording. */
export function errorOf(run: () => unknown): { code?: unknown; path?: unknown; source?: unknown } {
  try {
    run();
  } catch (error) {
    return error as { code?: unknown };
  }
  throw new Error('expected an error');
}
