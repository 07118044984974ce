import Holidays from 'date-holidays';
import { CalendarError } from './errors';
import { parseIsoDate } from './civil';
import type { DayNumber } from './civil';

/** Whose public holidays apply: an ISO country code and, optionally, a region (DE: BY, FR: 57...). */
export interface HolidayJurisdiction {
  readonly country: string;
  readonly region?: string;
}

const libraries = new Map<string, Holidays>();
const holidaysByYear = new Map<string, ReadonlySet<DayNumber>>();

function keyOf({ country, region }: HolidayJurisdiction): string {
  return region === undefined ? country : `${country}/${region}`;
}

function libraryFor(jurisdiction: HolidayJurisdiction): Holidays {
  const key = keyOf(jurisdiction);
  const cached = libraries.get(key);
  if (cached) return cached;
  const { country, region } = jurisdiction;
  const catalogue = new Holidays();
  const knownCountry = Object.keys(catalogue.getCountries() ?? {}).includes(country);
  const knownRegion = region === undefined || Object.keys(catalogue.getStates(country) ?? {}).includes(region);
  if (!knownCountry || !knownRegion) {
    throw new CalendarError('HOLIDAYS_UNKNOWN', `no public holidays known for "${key}"`);
  }
  const library =
    region === undefined
      ? new Holidays(country, { types: ['public'] })
      : new Holidays(country, region, { types: ['public'] });
  libraries.set(key, library);
  return library;
}

export function assertKnownJurisdiction(jurisdiction: HolidayJurisdiction): void {
  libraryFor(jurisdiction);
}

/**
 * The public holidays of one year as local day numbers, computed once per
 * jurisdiction and year. A holiday counts for its whole local date: the library's
 * `date` field is already local to the country, so no zone is involved.
 */
export function publicHolidaysOf(jurisdiction: HolidayJurisdiction, year: number): ReadonlySet<DayNumber> {
  const key = `${keyOf(jurisdiction)}@${year}`;
  const cached = holidaysByYear.get(key);
  if (cached) return cached;
  const days = new Set<DayNumber>();
  for (const holiday of libraryFor(jurisdiction).getHolidays(year)) {
    const day = parseIsoDate(holiday.date.slice(0, 10));
    if (holiday.type === 'public' && day !== undefined) days.add(day);
  }
  holidaysByYear.set(key, days);
  return days;
}
