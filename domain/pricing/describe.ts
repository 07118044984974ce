import { DAY_MS, HOUR_MS, MINUTE_MS, formatIsoDate } from '../calendar';
import type { ZoneRules } from '../calendar';
import type { LocalSpan } from './line-labels';

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

/** The stretch in local time, the end's date kept only when it differs. */
export function localSpanOf(zone: ZoneRules, start: number, end: number): LocalSpan {
  const [from, to] = [zone.wallOf(start), zone.wallOf(end)];
  const [fromDay, toDay] = [Math.floor(from / DAY_MS), Math.floor(to / DAY_MS)];
  return {
    date: formatIsoDate(fromDay),
    from: clockOf(from - fromDay * DAY_MS),
    ...(toDay === fromDay ? {} : { toDate: formatIsoDate(toDay) }),
    to: clockOf(to - toDay * DAY_MS),
  };
}

/** `2026-05-13 16:30–17:00`, `2026-05-13 23:30–2026-05-14 00:15`. */
export const spanText = ({ date, from, toDate, to }: LocalSpan): string =>
  `${date} ${from}–${toDate === undefined ? '' : `${toDate} `}${to}`;

/** "10 h", "7 h 30 min", "45 min". */
export function hoursText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (rest === 0) return `${hours} h`;
  return hours === 0 ? `${rest} min` : `${hours} h ${rest} min`;
}
