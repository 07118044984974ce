import fc from 'fast-check';
import type { TimeEntry } from '../../messages/ticket';
import { Policy } from '../../domain/policy';
import type { PolicyDocument } from '../../domain/policy';
import { priceRequest, requestOfTimeEntries } from '../../domain/pricing';
import tmMinimum from '../../policies/presets/tm-minimum.v1.json';
import { at } from '../support/domain';
import { amounts, described, item, priceOf } from '../support/pricing';

// 100 EUR/h by the started minute; at least 15 minutes per request (not per intervention), 60 when the remote
// tool had to be installed first; x3 when an out-of-hours intervention was requested, x2 for urgent handling.
// The shortfall below the request's minimum is billed once, on the last intervention in time order, at its
// rate and coefficients, and that line says so.

const on13May = (from: string, to: string, facts = {}) =>
  item(`2026-05-13T${from}+02:00`, `2026-05-13T${to}+02:00`, facts);

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

  test('the line that reaches the minimum says so', () => {
    expect(described(priceOf('tm-minimum', { items: [on13May('10:00', '10:05')] }))).toEqual([
      ['Intervention 1, 2026-05-13 10:00–10:05, request minimum 15 min: +10 min', 15, 1, 2500],
    ]);
    expect(
      described(priceOf('tm-minimum', { items: [on13May('10:00', '10:20', { remoteToolMissing: true })] })),
    ).toEqual([
      [
        'Intervention 1, 2026-05-13 10:00–10:20, remote-control tool installed first, request minimum 60 min: +40 min',
        60,
        1,
        10_000,
      ],
    ]);
  });
});

describe('tm-minimum: the minimum is per request, the shortfall billed once', () => {
  test('two 5-minute interventions bill 15 minutes, 25 EUR, not 2 x 15', () => {
    const price = priceOf('tm-minimum', { items: [on13May('10:00', '10:05'), on13May('14:00', '14:05')] });
    // 5 x 10000 / 60 = 833.33 -> 833; the last one topped up to 15 in all: 10 x 10000 / 60 = 1666.67 -> 1667.
    expect(described(price)).toEqual([
      ['Intervention 1, 2026-05-13 10:00–10:05', 5, 1, 833],
      ['Intervention 2, 2026-05-13 14:00–14:05, request minimum 15 min: +5 min', 10, 1, 1667],
    ]);
    expect(price.totalCents).toBe(2500);
  });

  test('work past the minimum in all is billed as worked, nothing added', () => {
    const price = priceOf('tm-minimum', { items: [on13May('10:00', '10:12'), on13May('14:00', '14:04')] });
    // 12 x 10000 / 60 = 2000; 4 x 10000 / 60 = 666.67 -> 667.
    expect(amounts(price)).toEqual([
      [12, 1, 2000],
      [4, 1, 667],
    ]);
  });

  test('the remote tool installed on any intervention makes the request minimum 60, topped up on the last one', () => {
    const price = priceOf('tm-minimum', {
      items: [on13May('10:00', '10:05', { remoteToolMissing: true }), on13May('14:00', '14:05')],
    });
    // 5 -> 833; then 55 x 10000 / 60 = 9166.67 -> 9167: 60 minutes, 100 EUR, once.
    expect(described(price)).toEqual([
      ['Intervention 1, 2026-05-13 10:00–10:05, remote-control tool installed first', 5, 1, 833],
      [
        'Intervention 2, 2026-05-13 14:00–14:05, request minimum 60 min (remote-control tool installed first): +50 min',
        55,
        1,
        9167,
      ],
    ]);
    expect(price.totalCents).toBe(10_000);
  });

  test('the last intervention in time order takes the shortfall, whatever order the entries come in', () => {
    const price = priceOf('tm-minimum', { items: [on13May('14:00', '14:03'), on13May('10:00', '10:05')] });
    expect(described(price)).toEqual([
      ['Intervention 2, 2026-05-13 10:00–10:05', 5, 1, 833],
      ['Intervention 1, 2026-05-13 14:00–14:03, request minimum 15 min: +7 min', 10, 1, 1667],
    ]);
  });

  test("the shortfall takes the last intervention's coefficients: it completes that stretch of work", () => {
    const price = priceOf('tm-minimum', {
      items: [on13May('10:00', '10:05', { urgent: true }), on13May('14:00', '14:05')],
    });
    // 5 x 10000 x 2 / 60 = 1666.67 -> 1667; 10 x 10000 / 60 = 1666.67 -> 1667.
    expect(amounts(price)).toEqual([
      [5, 2, 1667],
      [10, 1, 1667],
    ]);
    const urgentLast = priceOf('tm-minimum', {
      items: [on13May('10:00', '10:05'), on13May('14:00', '14:05', { urgent: true })],
    });
    // 833; 10 x 10000 x 2 / 60 = 3333.33 -> 3333.
    expect(amounts(urgentLast)).toEqual([
      [5, 1, 833],
      [10, 2, 3333],
    ]);
  });

  test('no time logged, no intervention to value: nothing billed', () => {
    expect(priceOf('tm-minimum', { items: [] }).lines).toEqual([]);
  });

  // A naive reference: started minutes counted by stepping minute by minute, the shortfall added to the last
  // intervention by start, each line rounded on its own.
  test('any request: the lines are the work as logged plus the shortfall once, as a naive reference bills them', () => {
    const base = at('2026-05-13T08:00:00+02:00');
    const anItem = fc.record({
      startMinute: fc.integer({ min: 0, max: 8 * 60 }),
      seconds: fc.integer({ min: 0, max: 40 * 60 }),
      remoteToolMissing: fc.boolean(),
      outOfHoursRequested: fc.boolean(),
      urgent: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(anItem, { minLength: 1, maxLength: 5 }), (drawn) => {
        const items = drawn.map(({ startMinute, seconds, ...facts }) => ({
          ...facts,
          start: base + startMinute * 60_000,
          end: base + startMinute * 60_000 + seconds * 1000,
        }));
        const startedMinutes = (ms: number) => {
          let minutes = 0;
          while (minutes * 60_000 < ms) minutes += 1;
          return minutes;
        };
        const order = items
          .map((entry, index) => ({ entry, index }))
          .sort((a, b) => a.entry.start - b.entry.start || a.index - b.index);
        const worked = order.map(({ entry }) => startedMinutes(entry.end - entry.start));
        const minimum = items.some((entry) => entry.remoteToolMissing) ? 60 : 15;
        const shortfall = Math.max(0, minimum - worked.reduce((total, minutes) => total + minutes, 0));
        const expected = order
          .map(({ entry }, position) => {
            const minutes = worked[position]! + (position === order.length - 1 ? shortfall : 0);
            const multiplier = (entry.outOfHoursRequested ? 3 : 1) * (entry.urgent ? 2 : 1);
            return [minutes, multiplier, Math.round((minutes * 10_000 * multiplier) / 60)];
          })
          .filter(([minutes]) => minutes! > 0);
        const price = priceOf('tm-minimum', { items });
        expect(amounts(price)).toEqual(expected);
        expect(price.lines.reduce((total, line) => total + line.minutes, 0)).toBe(
          Math.max(
            minimum,
            worked.reduce((total, minutes) => total + minutes, 0),
          ),
        );
        expect(price.lines.filter((line) => line.description.includes('request minimum'))).toHaveLength(
          shortfall > 0 ? 1 : 0,
        );
      }),
      { numRuns: 300 },
    );
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
    expect(amounts(priceOf('tm-minimum', { items: [on13May('10:00', '10:05', { urgent: true })] }))).toEqual([
      [15, 2, 5000],
    ]);
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
            standardHours: {
              label: 'office hours',
              open: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
            },
            outside: { label: 'evening', percent: 150 },
          },
        },
      },
      'tm-with-bands.json',
    );
    const price = priceRequest(withBands, {
      items: [on13May('16:50', '17:10', { outOfHoursRequested: true, urgent: true })],
    });
    // Office: 10 x 10000 x 6 / 60 = 10000. Evening: 10 x 10000 x 1.5 x 3 x 2 / 60 = 15000.
    expect(amounts(price)).toEqual([
      [10, 6, 10_000],
      [10, 9, 15_000],
    ]);
    expect(price.lines[1]?.description).toBe(
      'Intervention 1, 2026-05-13 17:00–17:10, evening, out-of-hours intervention requested, urgent handling',
    );
  });
});

test('tm-minimum travel fees come on top, as their own line', () => {
  const price = priceOf('tm-minimum', { travelCents: 3750, items: [on13May('10:00', '10:30')] });
  // 30 x 10000 / 60 = 5000, then 37.50 EUR of travel.
  expect(
    price.lines.map((line) => [line.description, line.minutes, line.rateCents, line.multiplier, line.amountCents]),
  ).toEqual([
    ['Intervention 1, 2026-05-13 10:00–10:30', 30, 10_000, 1, 5000],
    ['Travel fees', 0, 3750, 1, 3750],
  ]);
  expect(price.totalCents).toBe(8750);
});

describe("a ticket's time entries as one request (requestOfTimeEntries, used by billing and vigil price)", () => {
  const entry = {
    agent: 'marc',
    start: at('2026-05-13T10:00:00+02:00'),
    end: at('2026-05-13T10:05:00+02:00'),
    onSite: false,
  };

  test('each entry an item with only the flags set to true, its travel a trip', () => {
    const entries: TimeEntry[] = [
      { ...entry, urgent: true, outOfHoursRequested: false, note: 'reset' },
      {
        ...entry,
        start: at('2026-05-13T14:00:00+02:00'),
        end: at('2026-05-13T14:05:00+02:00'),
        remoteToolMissing: true,
        travelMinutes: 20,
      },
    ];
    const request = requestOfTimeEntries(entries, { prepaidMinutes: 0 });
    expect(request).toEqual({
      prepaidMinutes: 0,
      items: [
        { start: entry.start, end: entry.end, urgent: true },
        { start: at('2026-05-13T14:00:00+02:00'), end: at('2026-05-13T14:05:00+02:00'), remoteToolMissing: true },
      ],
      trips: [{ item: 1, minutes: 20 }],
    });
  });

  test('a flag that is not true prices nothing (a history may hold one sent straight to Temporal)', () => {
    const odd = { ...entry, urgent: 'yes', remoteToolMissing: 1 } as unknown as typeof entry;
    expect(requestOfTimeEntries([odd]).items).toEqual([{ start: entry.start, end: entry.end }]);
  });
});
