import fc from 'fast-check';
import { MINUTE_MS } from '../../domain/calendar';
import { at } from '../support/domain';
import { amounts, described, item, priceOf } from '../support/pricing';

// Rates (cents/h): remote-assistance 10221, settings 8218, database 8218, development 11132.
// Bands: office hours Mon-Fri 09:00-17:00 Brussels x1; outside x1.5; Saturday x1.5; Sunday and BE holidays x2.

describe('care-solutions: time bands split an item where the band changes', () => {
  test('a weekday item crossing 17:00 becomes two lines, each rounded on its own', () => {
    const price = priceOf('care-solutions', {
      items: [item('2026-05-13T16:30:00+02:00', '2026-05-13T17:20:00+02:00', { service: 'remote-assistance' })],
    });
    // 30 x 10221 / 60 = 5110.5 -> 5111; 20 x 10221 x 1.5 / 60 = 5110.5 -> 5111.
    expect(described(price)).toEqual([
      ['Intervention 1 (remote-assistance), 2026-05-13 16:30–17:00, office hours', 30, 1, 5111],
      ['Intervention 1 (remote-assistance), 2026-05-13 17:00–17:20, outside office hours', 20, 1.5, 5111],
    ]);
    // The sum of the rounded lines, not 10221 (the unrounded 10221.0 of the whole).
    expect(price.totalCents).toBe(10_222);
    expect(price.lines.every((line) => line.rateCents === 10_221)).toBe(true);
  });

  test.each<[string, string, string, string, Array<[string, number, number, number]>]>([
    // 60 x 8218 x 1.5 / 60 = 12327; 60 x 8218 x 2 / 60 = 16436.
    [
      'Saturday night into Sunday: 150% until midnight, 200% after',
      '2026-05-16T23:00:00+02:00',
      '2026-05-17T01:00:00+02:00',
      'settings',
      [
        ['2026-05-16 23:00–2026-05-17 00:00, Saturday', 60, 1.5, 12_327],
        ['2026-05-17 00:00–01:00, Sunday', 60, 2, 16_436],
      ],
    ],
    // Two bands at the same rate stay two lines: 30 x 8218 x 1.5 / 60 = 6163.5 -> 6164, twice.
    [
      'Friday evening into Saturday',
      '2026-05-15T23:30:00+02:00',
      '2026-05-16T00:30:00+02:00',
      'database',
      [
        ['2026-05-15 23:30–2026-05-16 00:00, outside office hours', 30, 1.5, 6164],
        ['2026-05-16 00:00–00:30, Saturday', 30, 1.5, 6164],
      ],
    ],
    // Belgian National Day, Tuesday 21 July 2026: 75 x 11132 x 2 / 60 = 27830.
    [
      'a Belgian public holiday bills 200% all day',
      '2026-07-21T10:00:00+02:00',
      '2026-07-21T11:15:00+02:00',
      'development',
      [['2026-07-21 10:00–11:15, public holiday', 75, 2, 27_830]],
    ],
    // Holiday 23:30-24:00: 30 x 11132 x 2 / 60 = 11132; outside 00:00-09:00: 540 x 11132 x 1.5 / 60 = 150282;
    // office 09:00-09:30: 30 x 11132 / 60 = 5566.
    [
      'from the holiday night into the next office morning',
      '2026-07-21T23:30:00+02:00',
      '2026-07-22T09:30:00+02:00',
      'development',
      [
        ['2026-07-21 23:30–2026-07-22 00:00, public holiday', 30, 2, 11_132],
        ['2026-07-22 00:00–09:00, outside office hours', 540, 1.5, 150_282],
        ['2026-07-22 09:00–09:30, office hours', 30, 1, 5566],
      ],
    ],
    // The 25-hour Sunday of the autumn change: Saturday 60 x 8218 x 1.5 / 60 = 12327; Sunday 00:00 CEST to
    // 04:00 CET is 300 real minutes: 300 x 8218 x 2 / 60 = 82180.
    [
      'across the autumn clock change',
      '2026-10-24T23:00:00+02:00',
      '2026-10-25T04:00:00+01:00',
      'settings',
      [
        ['2026-10-24 23:00–2026-10-25 00:00, Saturday', 60, 1.5, 12_327],
        ['2026-10-25 00:00–04:00, Sunday', 300, 2, 82_180],
      ],
    ],
  ])('%s', (_, start, end, service, expected) => {
    const price = priceOf('care-solutions', { items: [item(start, end, { service })] });
    expect(described(price)).toEqual(
      expected.map(([span, ...rest]) => [`Intervention 1 (${service}), ${span}`, ...rest]),
    );
    expect(price.totalCents).toBe(expected.reduce((total, [, , , cents]) => total + cents, 0));
  });

  describe('each started minute is priced at the band it started in', () => {
    test('16:59:30-17:00:20 is one minute, started in office hours', () => {
      const price = priceOf('care-solutions', {
        items: [item('2026-05-13T16:59:30+02:00', '2026-05-13T17:00:20+02:00', { service: 'remote-assistance' })],
      });
      // 10221 / 60 = 170.35 -> 170.
      expect(amounts(price)).toEqual([[1, 1, 170]]);
      expect(price.lines[0]?.description).toBe(
        'Intervention 1 (remote-assistance), 2026-05-13 16:59:30–17:00:20, office hours',
      );
    });

    test('16:59:30-17:00:40 starts a second minute at 17:00:30, outside office hours', () => {
      const price = priceOf('care-solutions', {
        items: [item('2026-05-13T16:59:30+02:00', '2026-05-13T17:00:40+02:00', { service: 'remote-assistance' })],
      });
      // 170.35 -> 170; 10221 x 1.5 / 60 = 255.525 -> 256.
      expect(amounts(price)).toEqual([
        [1, 1, 170],
        [1, 1.5, 256],
      ]);
    });

    test('7 minutes and 1 second bill 8 minutes', () => {
      const price = priceOf('care-solutions', {
        items: [item('2026-05-13T09:00:00+02:00', '2026-05-13T09:07:01+02:00', { service: 'settings' })],
      });
      // 8 x 8218 / 60 = 1095.73 -> 1096.
      expect(amounts(price)).toEqual([[8, 1, 1096]]);
    });
  });

  test('splitting never bills more or fewer minutes than the whole item has started', () => {
    const weekOf2026 = fc.integer({ min: at('2026-07-18T00:00:00+02:00'), max: at('2026-07-26T00:00:00+02:00') });
    fc.assert(
      fc.property(weekOf2026, fc.integer({ min: 0, max: 3 * 24 * 60 * 60 }), (start, seconds) => {
        const end = start + seconds * 1000;
        const price = priceOf('care-solutions', { items: [{ start, end, service: 'settings' }] });
        const billed = price.lines.reduce((sum, line) => sum + line.minutes, 0);
        expect(billed).toBe(Math.ceil((end - start) / MINUTE_MS));
      }),
      { numRuns: 200 },
    );
  });
});
