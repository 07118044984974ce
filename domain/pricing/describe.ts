import { DAY_MS, HOUR_MS, MINUTE_MS, formatIsoDate } from '../calendar';
import type { ZoneRules } from '../calendar';

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** HH:MM, with the seconds only when there are some, so that 16:59:30 is not shown as 16:59. */
function clockOf(msOfDay: number): string {
  const hours = Math.floor(msOfDay / HOUR_MS);
  const minutes = Math.floor((msOfDay % HOUR_MS) / MINUTE_MS);
  const seconds = Math.floor((msOfDay % MINUTE_MS) / 1000);
  return `${twoDigits(hours)}:${twoDigits(minutes)}${seconds === 0 ? '' : `:${twoDigits(seconds)}`}`;
}

/** `2026-05-13 16:30–17:00` in local time, the end's date shown only when it differs. */
export function localSpan(zone: ZoneRules, start: number, end: number): string {
  const [from, to] = [zone.wallOf(start), zone.wallOf(end)];
  const [fromDay, toDay] = [Math.floor(from / DAY_MS), Math.floor(to / DAY_MS)];
  const endDate = toDay === fromDay ? '' : `${formatIsoDate(toDay)} `;
  return `${formatIsoDate(fromDay)} ${clockOf(from - fromDay * DAY_MS)}–${endDate}${clockOf(to - toDay * DAY_MS)}`;
}
