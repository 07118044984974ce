import { DateTime } from 'luxon';
import { UsageError } from './args';

// A local time without offset would be read in whatever zone the machine has: refuse it.
const HAS_OFFSET = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** `where` names the input in the error: an option (`--opened`) or a field of a file. */
export function parseInstant(text: string, where: string): number {
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!HAS_OFFSET.test(text) || !parsed.isValid) {
    throw new UsageError(
      `${where}: unparsable instant "${text}" (expected ISO-8601 with an offset, e.g. 2026-05-13T16:30:00+02:00)`,
    );
  }
  return parsed.toMillis();
}

export function formatInstant(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? String(instant);
}
