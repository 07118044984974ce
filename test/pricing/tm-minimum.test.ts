import { Policy } from '../../domain/policy';
import type { PolicyDocument } from '../../domain/policy';
import { priceRequest } from '../../domain/pricing';
import tmMinimum from '../../policies/presets/tm-minimum.v1.json';
import { amounts, item, priceOf } from './helpers';

// 100 EUR/h by the started minute; at least 15 minutes per request, 60 when the remote tool had to be
// installed first; x3 when an out-of-hours intervention was requested, x2 for urgent handling.

const on13May = (from: string, to: string, facts = {}) => item(`2026-05-13T${from}+02:00`, `2026-05-13T${to}+02:00`, facts);

describe('tm-minimum minimums per request', () => {
  test.each<[string, string, object, number, number]>([
    // 15 x 10000 / 60 = 2500.
    ['5 minutes', '10:05:00', {}, 15, 2500],
    ['14 min 30 s (15 started minutes)', '10:14:30', {}, 15, 2500],
    // 16 x 10000 / 60 = 2666.67 -> 2667: past the minimum, the actual time.
    ['15 min 1 s', '10:15:01', {}, 16, 2667],
    ['no time logged at all', '10:00:00', {}, 15, 2500],
    // 60 x 10000 / 60 = 10000; 75 x 10000 / 60 = 12500.
    ['20 minutes with the remote tool installed first', '10:20:00', { remoteToolMissing: true }, 60, 10_000],
    ['75 minutes with the remote tool installed first', '11:15:00', { remoteToolMissing: true }, 75, 12_500],
  ])('%s', (_, end, facts, minutes, cents) => {
    expect(amounts(priceOf('tm-minimum', { items: [on13May('10:00:00', end, facts)] }))).toEqual([[minutes, 1, cents]]);
  });

  test('the minimum is per request: two short items bill 15 minutes each', () => {
    const price = priceOf('tm-minimum', { items: [on13May('10:00:00', '10:05:00'), on13May('14:00:00', '14:03:00')] });
    expect(amounts(price)).toEqual([[15, 1, 2500], [15, 1, 2500]]);
  });
});

describe('tm-minimum multipliers', () => {
  test.each<[string, object, number, number]>([
    // 20 x 10000 x 3 / 60 = 10000; 20 x 10000 x 2 / 60 = 6666.67 -> 6667; both: x6, 20000.
    ['out-of-hours intervention requested', { outOfHoursRequested: true }, 3, 10_000],
    ['urgent handling', { urgent: true }, 2, 6667],
    ['both, multiplied together', { outOfHoursRequested: true, urgent: true }, 6, 20_000],
  ])('%s', (_, facts, multiplier, cents) => {
    const price = priceOf('tm-minimum', { items: [on13May('10:00', '10:20', facts)] });
    expect(amounts(price)).toEqual([[20, multiplier, cents]]);
  });

  test('the minimum is multiplied too: 5 urgent minutes bill 15 at x2', () => {
    // 15 x 10000 x 2 / 60 = 5000.
    expect(amounts(priceOf('tm-minimum', { items: [on13May('10:00', '10:05', { urgent: true })] }))).toEqual([[15, 2, 5000]]);
  });

  test('x3 and x2 stack on top of a time band (a contract with an evening band of 150%)', () => {
    const document = tmMinimum as unknown as PolicyDocument;
    const billing = document.billing as NonNullable<PolicyDocument['billing']>;
    const withBands = Policy.parse(
      {
        ...document,
        billing: {
          ...billing,
          timeBands: {
            standardHours: { label: 'office hours', open: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
            outside: { label: 'evening', percent: 150 },
          },
        },
      },
      'tm-with-bands.json',
    );
    const price = priceRequest(withBands, { items: [on13May('16:50', '17:10', { outOfHoursRequested: true, urgent: true })] });
    // Office: 10 x 10000 x 6 / 60 = 10000. Evening: 10 x 10000 x 1.5 x 3 x 2 / 60 = 15000.
    expect(amounts(price)).toEqual([[10, 6, 10_000], [10, 9, 15_000]]);
    expect(price.lines[1]?.description).toBe('Intervention 1, 2026-05-13 17:00–17:10, evening, out-of-hours intervention requested, urgent handling');
  });
});

test('tm-minimum travel fees come on top, as their own line', () => {
  const price = priceOf('tm-minimum', { travelCents: 3750, items: [on13May('10:00', '10:30')] });
  // 30 x 10000 / 60 = 5000, then 37.50 EUR of travel.
  expect(price.lines.map((line) => [line.description, line.minutes, line.rateCents, line.multiplier, line.amountCents])).toEqual([
    ['Intervention 1, 2026-05-13 10:00–10:30', 30, 10_000, 1, 5000],
    ['Travel fees', 0, 3750, 1, 3750],
  ]);
  expect(price.totalCents).toBe(8750);
});
