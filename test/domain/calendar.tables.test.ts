import {
  BusinessCalendar,
  HOUR_MS,
  MINUTE_MS,
  addBusinessTime,
  businessTimeBetween,
  deadlineOf,
  nextOpening,
  parseIsoDate,
} from '../../domain/calendar';
import type { CalendarSpec, Duration } from '../../domain/calendar';
import { EVERY_DAY, WEEKDAYS, allDay, at, errorOf, officeHours, show } from '../support/domain';

const compile = (spec: CalendarSpec) => BusinessCalendar.compile(spec);
const hours = (amount: number): Duration => ({ amount, unit: 'businessHours' });

describe('daylight-saving changes', () => {
  // 2026: clocks go forward on 29 March at 02:00 and back on 25 October at 03:00 in all three zones.
  test.each([
    ['Europe/Luxembourg', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 23],
    ['Europe/Paris', '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 25],
    ['Europe/Brussels', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 23],
    ['Europe/Brussels', '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 25],
  ])('a day open 00:00-24:00 in %s from %s lasts %i hours', (zone, from, to, expected) => {
    expect(businessTimeBetween(compile(allDay(zone)), at(from), at(to))).toBe(expected * HOUR_MS);
  });

  test.each([
    // 01:00-04:00 local: the 02:00-03:00 hour is missing in spring and lived twice in autumn.
    ['Europe/Luxembourg', '2026-03-29', '01:00', '04:00', 2 * 60],
    ['Europe/Luxembourg', '2026-10-25', '01:00', '04:00', 4 * 60],
    // A window ending inside the gap keeps only its part before 02:00.
    ['Europe/Paris', '2026-03-29', '01:30', '02:30', 30],
    // A window inside the repeated hour is open twice.
    ['Europe/Paris', '2026-10-25', '02:15', '02:45', 60],
  ])('window on %s %s %s-%s is open %i minutes', (zone, date, from, to, minutes) => {
    const calendar = compile({ zone, open: [{ days: EVERY_DAY, from, to }] });
    const day = parseIsoDate(date) ?? 0;
    const open = calendar.intervalsOn(day).reduce((sum, [start, end]) => sum + end - start, 0);
    expect(open).toBe(minutes * MINUTE_MS);
  });

  test.each([
    ['Europe/Luxembourg', 'LU', '2026-03-27T16:00:00+01:00', '2026-03-30T10:00:00+02:00'],
    ['Europe/Brussels', 'BE', '2026-10-23T16:00:00+02:00', '2026-10-26T10:00:00+01:00'],
  ])('2 business hours over the weekend of a change in %s', (zone, country, start, expected) => {
    expect(show(deadlineOf(compile(officeHours(zone, country)), at(start), hours(2)), zone)).toBe(expected);
  });

  test.each<[string, Duration, string]>([
    ['2026-03-28T12:00:00+01:00', { amount: 1, unit: 'businessDays' }, '2026-03-29T12:00:00+02:00'],
    ['2026-10-24T12:00:00+02:00', { amount: 1, unit: 'businessDays' }, '2026-10-25T12:00:00+01:00'],
    // The same local time does not exist: it moves forward by the gap.
    ['2026-03-28T02:30:00+01:00', { amount: 1, unit: 'businessDays' }, '2026-03-29T03:30:00+02:00'],
    // The same local time happens twice: the first one.
    ['2026-10-24T02:30:00+02:00', { amount: 1, unit: 'businessDays' }, '2026-10-25T02:30:00+02:00'],
    // Calendar hours are real hours.
    ['2026-03-28T12:00:00+01:00', { amount: 24, unit: 'calendarHours' }, '2026-03-29T13:00:00+02:00'],
    ['2026-10-24T12:00:00+02:00', { amount: 24, unit: 'calendarHours' }, '2026-10-25T11:00:00+01:00'],
    ['2026-10-24T12:00:00+02:00', { amount: 48, unit: 'businessHours' }, '2026-10-26T11:00:00+01:00'],
  ])('on a calendar open 24/7 in Paris, %s + %j is %s', (start, duration, expected) => {
    expect(show(deadlineOf(compile(allDay('Europe/Paris')), at(start), duration), 'Europe/Paris')).toBe(expected);
  });

  test('two windows inside the repeated hour are walked in time order', () => {
    // Found by the "elapsed time up to start + x is x" property (Brussels, 00:15-02:15 and
    // 02:45-03:30). On 25 October the hour 02:00-03:00 is lived twice, so 02:00-02:30 and
    // 02:45-03:00 are open 02:00-02:30 and 02:45-03:00 in summer time, then 02:00-02:30 and
    // 02:45-03:00 in winter time: the second pass through the first window comes after the
    // first pass through the second, although the windows are listed the other way round.
    const calendar = compile({
      zone: 'Europe/Paris',
      open: [
        { days: ['sun'], from: '02:00', to: '02:30' },
        { days: ['sun'], from: '02:45', to: '03:00' },
      ],
    });
    const start = at('2026-10-25T02:00:00+02:00');
    const deadline = deadlineOf(calendar, start, { amount: 45, unit: 'businessMinutes' });
    expect(show(deadline, 'Europe/Paris')).toBe('2026-10-25T02:00:00+01:00');
    expect(businessTimeBetween(calendar, start, deadline)).toBe(45 * MINUTE_MS);
    expect(businessTimeBetween(calendar, start, at('2026-10-25T02:15:00+01:00'))).toBe(60 * MINUTE_MS);
    expect(show(nextOpening(calendar, at('2026-10-25T02:30:00+02:00')), 'Europe/Paris')).toBe(
      '2026-10-25T02:45:00+02:00',
    );
  });
});

describe('public holidays', () => {
  // 2026: Easter Sunday 5 April, Ascension 14 May, Whit Monday 25 May. 2025: 20 April, 29 May, 9 June.
  const cases: Array<[string, string, string]> = [];
  for (const [country, zone] of [
    ['LU', 'Europe/Luxembourg'],
    ['BE', 'Europe/Brussels'],
    ['FR', 'Europe/Paris'],
    ['DE', 'Europe/Berlin'],
  ] as const) {
    for (const date of ['2026-04-06', '2026-05-14', '2026-05-25', '2025-04-21', '2025-05-29', '2025-06-09'])
      cases.push([country, zone, date]);
  }
  test.each(cases)('%s closes on %s', (country, zone, date) => {
    const calendar = compile(officeHours(zone, country));
    const day = parseIsoDate(date) ?? 0;
    expect(calendar.isPublicHoliday(day)).toBe(true);
    expect(calendar.isBusinessDay(day)).toBe(false);
    expect(calendar.isBusinessDay(day + 1)).toBe(true);
  });

  test.each([
    ['LU', 'Europe/Luxembourg', '2026-06-23T08:00:00+02:00', '2026-06-24T09:00:00+02:00'],
    ['BE', 'Europe/Brussels', '2026-07-21T08:00:00+02:00', '2026-07-22T09:00:00+02:00'],
    ['FR', 'Europe/Paris', '2026-07-14T08:00:00+02:00', '2026-07-15T09:00:00+02:00'],
    ['DE', 'Europe/Berlin', '2026-04-03T08:00:00+02:00', '2026-04-07T09:00:00+02:00'],
  ])('%s: next opening on a national holiday %s is %s', (country, zone, from, expected) => {
    expect(show(nextOpening(compile(officeHours(zone, country)), at(from)), zone)).toBe(expected);
  });

  test('regional holidays: Epiphany closes Bavaria, not Germany as a whole', () => {
    const epiphany = parseIsoDate('2026-01-06') ?? 0;
    expect(
      compile({ ...officeHours('Europe/Berlin', 'DE'), holidays: { country: 'DE', region: 'BY' } }).isBusinessDay(
        epiphany,
      ),
    ).toBe(false);
    expect(compile(officeHours('Europe/Berlin', 'DE')).isBusinessDay(epiphany)).toBe(true);
  });

  test('a holiday on a Sunday is not carried to the Monday', () => {
    // All Saints' Day 2026 is a Sunday in France and Luxembourg.
    expect(
      show(nextOpening(compile(officeHours('Europe/Paris', 'FR')), at('2026-10-31T12:00:00+01:00')), 'Europe/Paris'),
    ).toBe('2026-11-02T09:00:00+01:00');
    expect(
      show(
        nextOpening(compile(officeHours('Europe/Luxembourg', 'LU')), at('2026-10-31T12:00:00+01:00')),
        'Europe/Luxembourg',
      ),
    ).toBe('2026-11-02T09:00:00+01:00');
  });

  test('a holiday on a Saturday closes a calendar that opens on Saturdays', () => {
    // Europe Day, Saturday 9 May 2026, is a Luxembourg holiday.
    const saturdays = compile(officeHours('Europe/Luxembourg', 'LU', '09:00', '12:00', ['sat']));
    expect(show(nextOpening(saturdays, at('2026-05-08T12:00:00+02:00')), 'Europe/Luxembourg')).toBe(
      '2026-05-16T09:00:00+02:00',
    );
  });
});

describe('windows that end at midnight', () => {
  const evenings = compile(officeHours('Europe/Paris', 'FR', '18:00', '24:00'));

  test('an evening window counts up to 24:00 and resumes the next evening', () => {
    expect(businessTimeBetween(evenings, at('2026-06-01T12:00:00+02:00'), at('2026-06-02T12:00:00+02:00'))).toBe(
      6 * HOUR_MS,
    );
    expect(show(deadlineOf(evenings, at('2026-06-01T23:30:00+02:00'), hours(1)), 'Europe/Paris')).toBe(
      '2026-06-02T18:30:00+02:00',
    );
    expect(show(deadlineOf(evenings, at('2026-06-01T18:00:00+02:00'), hours(6)), 'Europe/Paris')).toBe(
      '2026-06-02T00:00:00+02:00',
    );
  });

  test('windows meeting at midnight count as one stretch', () => {
    const night = compile({
      zone: 'Europe/Paris',
      open: [
        { days: ['mon'], from: '20:00', to: '24:00' },
        { days: ['tue'], from: '00:00', to: '04:00' },
      ],
    });
    expect(show(deadlineOf(night, at('2026-06-01T23:00:00+02:00'), hours(2)), 'Europe/Paris')).toBe(
      '2026-06-02T01:00:00+02:00',
    );
  });
});

describe('business days', () => {
  const esker = compile(officeHours('Europe/Paris', 'FR', '09:00', '18:00'));
  const days = (amount: number): Duration => ({ amount, unit: 'businessDays' });

  test.each([
    // Same local time on the Nth following business day; Ascension (Thursday 14 May 2026) is skipped.
    ['2026-05-13T16:30:00+02:00', 2, '2026-05-18T16:30:00+02:00'],
    ['2026-05-13T16:30:00+02:00', 5, '2026-05-21T16:30:00+02:00'],
    // From outside the calendar, counting starts at the next opening.
    ['2026-05-15T19:00:00+02:00', 1, '2026-05-19T09:00:00+02:00'],
    ['2026-05-16T11:00:00+02:00', 1, '2026-05-19T09:00:00+02:00'],
    ['2026-05-18T08:00:00+02:00', 1, '2026-05-19T09:00:00+02:00'],
    ['2026-05-18T18:00:00+02:00', 1, '2026-05-20T09:00:00+02:00'],
    ['2026-05-18T17:59:00+02:00', 1, '2026-05-19T17:59:00+02:00'],
    // Whit Monday 25 May 2026.
    ['2026-05-22T10:00:00+02:00', 1, '2026-05-26T10:00:00+02:00'],
  ])('from %s, %i business days is %s', (start, amount, expected) => {
    expect(show(deadlineOf(esker, at(start), days(amount)), 'Europe/Paris')).toBe(expected);
  });
});

describe('jours ouvrables', () => {
  const lu = compile(officeHours('Europe/Luxembourg', 'LU'));
  const fr = compile(officeHours('Europe/Paris', 'FR'));
  const ouvrables = (amount: number): Duration => ({ amount, unit: 'joursOuvrables' });

  test.each([
    // Ascension 14 May and Whit Monday 25 May skipped, Saturdays counted: the 15th is Tuesday 2 June.
    [lu, '2026-05-13T10:00:00+02:00', 15, '2026-06-03T00:00:00+02:00'],
    // Registered on a Sunday night: the day of registration never counts.
    [lu, '2026-05-17T23:00:00+02:00', 1, '2026-05-19T00:00:00+02:00'],
    // A Saturday counts...
    [fr, '2026-05-08T10:00:00+02:00', 1, '2026-05-10T00:00:00+02:00'],
    // ...unless it is a public holiday (Europe Day in Luxembourg).
    [lu, '2026-05-08T10:00:00+02:00', 1, '2026-05-12T00:00:00+02:00'],
    // Christmas and St Stephen's Day, then Sunday.
    [lu, '2026-12-19T10:00:00+01:00', 5, '2026-12-29T00:00:00+01:00'],
    // Counting does not care for office hours: registered at 23:59 on Friday.
    [lu, '2026-06-05T23:59:00+02:00', 1, '2026-06-07T00:00:00+02:00'],
  ])('%#: from %s, %i jours ouvrables end at %s', (calendar, start, amount, expected) => {
    expect(show(deadlineOf(calendar, at(start), ouvrables(amount)), 'Europe/Luxembourg')).toBe(expected);
  });
});

describe('calendar open every day, public holidays included (Mixvoip Entreprises fault handling)', () => {
  const faults = compile({
    ...officeHours('Europe/Luxembourg', 'LU', '07:00', '19:00', EVERY_DAY),
    closedOnHolidays: false,
  });
  const support = compile(officeHours('Europe/Luxembourg', 'LU', '07:30', '18:00'));

  test('opens on Christmas Day and on a Sunday', () => {
    expect(show(nextOpening(faults, at('2026-12-25T06:00:00+01:00')), 'Europe/Luxembourg')).toBe(
      '2026-12-25T07:00:00+01:00',
    );
    expect(show(deadlineOf(faults, at('2026-12-24T18:00:00+01:00'), hours(3)), 'Europe/Luxembourg')).toBe(
      '2026-12-25T09:00:00+01:00',
    );
    expect(show(deadlineOf(faults, at('2026-12-26T18:30:00+01:00'), hours(1)), 'Europe/Luxembourg')).toBe(
      '2026-12-27T07:30:00+01:00',
    );
  });

  test('while the Monday-to-Friday support calendar waits for Monday', () => {
    expect(show(deadlineOf(support, at('2026-12-24T17:00:00+01:00'), hours(3)), 'Europe/Luxembourg')).toBe(
      '2026-12-28T09:30:00+01:00',
    );
  });

  test('it still knows the holidays, for jours ouvrables', () => {
    expect(faults.isBusinessDay(parseIsoDate('2026-12-25') ?? 0)).toBe(true);
    expect(faults.isJourOuvrable(parseIsoDate('2026-12-25') ?? 0)).toBe(false);
  });
});

describe('extra closed dates and extra open windows', () => {
  const spec: CalendarSpec = {
    ...officeHours('Europe/Paris', 'FR'),
    closedDates: ['2026-06-05'],
    extraOpen: [
      { date: '2026-06-06', from: '10:00', to: '14:00' },
      { date: '2026-07-14', from: '09:00', to: '12:00' },
      { date: '2026-06-05', from: '20:00', to: '22:00' },
    ],
  };
  const calendar = compile(spec);

  test('a closed Friday is skipped and a standby Saturday counts', () => {
    // Thursday 16:00-17:00, Friday closed by day, its evening standby 20:00-22:00, then Saturday 10:00.
    expect(show(deadlineOf(calendar, at('2026-06-04T16:00:00+02:00'), hours(4)), 'Europe/Paris')).toBe(
      '2026-06-06T11:00:00+02:00',
    );
  });

  test('an extra window opens even a public holiday', () => {
    expect(show(nextOpening(calendar, at('2026-07-14T08:00:00+02:00')), 'Europe/Paris')).toBe(
      '2026-07-14T09:00:00+02:00',
    );
    expect(show(nextOpening(calendar, at('2026-07-14T12:00:00+02:00')), 'Europe/Paris')).toBe(
      '2026-07-15T09:00:00+02:00',
    );
  });

  test('extra open days are business days', () => {
    expect(
      show(deadlineOf(calendar, at('2026-06-04T11:00:00+02:00'), { amount: 1, unit: 'businessDays' }), 'Europe/Paris'),
    ).toBe('2026-06-05T11:00:00+02:00');
    expect(
      show(deadlineOf(calendar, at('2026-06-04T11:00:00+02:00'), { amount: 2, unit: 'businessDays' }), 'Europe/Paris'),
    ).toBe('2026-06-06T11:00:00+02:00');
  });
});

describe('pauses are measured on each clock', () => {
  const office = compile(officeHours('Europe/Paris', 'FR', '09:00', '18:00'));

  test('an overnight pause gives back only the open hours it covered', () => {
    // Paused Monday 17:00 to Tuesday 10:00: 1 h on Monday and 1 h on Tuesday were open.
    const pauses = [[at('2026-06-01T17:00:00+02:00'), at('2026-06-02T10:00:00+02:00')]] as const;
    expect(show(deadlineOf(office, at('2026-06-01T10:00:00+02:00'), hours(9), pauses), 'Europe/Paris')).toBe(
      '2026-06-02T12:00:00+02:00',
    );
    expect(
      show(
        deadlineOf(office, at('2026-06-01T10:00:00+02:00'), { amount: 2, unit: 'businessDays' }, pauses),
        'Europe/Paris',
      ),
    ).toBe('2026-06-03T12:00:00+02:00');
  });

  test('a pause on a Sunday gives nothing back to jours ouvrables', () => {
    const pauses = [[at('2026-06-07T00:00:00+02:00'), at('2026-06-08T00:00:00+02:00')]] as const;
    expect(
      show(
        deadlineOf(office, at('2026-06-05T10:00:00+02:00'), { amount: 3, unit: 'joursOuvrables' }, pauses),
        'Europe/Paris',
      ),
    ).toBe('2026-06-10T00:00:00+02:00');
  });
});

describe('broken rules are typed errors', () => {
  test.each<[CalendarSpec, string, string | undefined]>([
    [{ ...allDay('Europe/Atlantis') }, 'ZONE_UNKNOWN', '/zone'],
    [{ ...allDay('Europe/Paris'), holidays: { country: 'XX' } }, 'HOLIDAYS_UNKNOWN', '/holidays'],
    [{ ...allDay('Europe/Paris'), holidays: { country: 'DE', region: 'ZZ' } }, 'HOLIDAYS_UNKNOWN', '/holidays'],
    [
      { zone: 'Europe/Paris', open: [{ days: WEEKDAYS, from: '17:00', to: '09:00' }] },
      'CALENDAR_INVALID',
      '/open/0/to',
    ],
    [{ zone: 'Europe/Paris', open: [] }, 'CALENDAR_INVALID', '/open'],
    [{ ...allDay('Europe/Paris'), closedDates: ['2026-02-30'] }, 'CALENDAR_INVALID', '/closedDates/0'],
  ])('%j is refused with %s at %s', (spec, code, path) => {
    expect(errorOf(() => compile(spec))).toMatchObject({ code, path });
  });

  test('bad durations, instants and pauses', () => {
    const calendar = compile(allDay('Europe/Paris'));
    expect(errorOf(() => deadlineOf(calendar, 0, { amount: 1.5, unit: 'businessDays' }))).toMatchObject({
      code: 'DURATION_INVALID',
    });
    expect(errorOf(() => deadlineOf(calendar, 0, { amount: -1, unit: 'businessHours' }))).toMatchObject({
      code: 'DURATION_INVALID',
    });
    expect(errorOf(() => nextOpening(calendar, Number.NaN))).toMatchObject({ code: 'INSTANT_INVALID' });
    expect(errorOf(() => deadlineOf(calendar, 0, hours(1), [[10, 5]]))).toMatchObject({ code: 'INTERVAL_INVALID' });
  });

  test('a calendar open 15 minutes a week is sparse, not closed: the horizon runs from the last counted time', () => {
    // Found by the "elapsed time up to start + x is x" property: 470,700,001 ms (523 quarter
    // hours and 1 ms) from 1 January 2025 on a calendar open Thursdays 01:15-01:30 lies 523
    // weeks, 3661 days, ahead. Counting the horizon from the start called that CALENDAR_NEVER_OPENS.
    const thursdays = compile({ zone: 'Europe/Luxembourg', open: [{ days: ['thu'], from: '01:15', to: '01:30' }] });
    const start = at('2025-01-01T01:00:00+01:00');
    const amount = 523 * 15 * MINUTE_MS + 1;
    const end = addBusinessTime(thursdays, start, amount);
    expect(show(end, 'Europe/Luxembourg')).toBe('2035-01-11T01:15:00.001+01:00');
    expect(businessTimeBetween(thursdays, start, end)).toBe(amount);
    expect(show(deadlineOf(thursdays, start, { amount: 523, unit: 'businessDays' }), 'Europe/Luxembourg')).toBe(
      '2035-01-11T01:15:00+01:00',
    );
  });

  test('a calendar that only opens once runs out instead of looping', () => {
    const once = compile({
      zone: 'Europe/Paris',
      open: [],
      extraOpen: [{ date: '2026-06-01', from: '09:00', to: '10:00' }],
    });
    expect(show(deadlineOf(once, at('2026-01-01T00:00:00+01:00'), hours(1)), 'Europe/Paris')).toBe(
      '2026-06-01T10:00:00+02:00',
    );
    expect(errorOf(() => deadlineOf(once, at('2026-01-01T00:00:00+01:00'), hours(2)))).toMatchObject({
      code: 'CALENDAR_NEVER_OPENS',
    });
  });
});
