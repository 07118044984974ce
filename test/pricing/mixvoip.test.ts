import { monthlyContractFeeLine } from '../../domain/pricing';
import { findPolicy } from '../../policies/registry';
import { errorOf } from '../support/domain';
import { amounts, described, item, priceOf } from '../support/pricing';

// Weekday rates (cents/h) per tier: none 9500/10800/12900/14500, Standard 8900/10400/12000/13900,
// Bureau and Entreprises 8700/9600/11100/13100 (cabling/technician/engineer/consulting).
// "Other rates" outside Mon-Fri 08:00-20:00 Luxembourg (and on LU holidays): x1.5, the presets' reading.

describe('mixvoip increments', () => {
  test.each<[string, string, boolean, number, number]>([
    // Remote, started 15-minute steps: 15 min is one step; 16 min are two (30 min: 30 x 12000 / 60 = 6000).
    ['10:15', 'remote, exactly one step', false, 15, 3000],
    ['10:16', 'remote, a second step started', false, 30, 6000],
    ['10:00:01', 'remote, one second', false, 15, 3000],
    // On site, the first full hour (60 x 12000 / 60 = 12000), then started 15-minute steps: 61 min bill 75 (15000).
    ['10:20', 'on site, inside the first hour', true, 60, 12_000],
    ['11:00', 'on site, exactly the first hour', true, 60, 12_000],
    ['11:01', 'on site, one minute past it', true, 75, 15_000],
  ])('engineer 10:00-%s (%s)', (end, _, onSite, minutes, cents) => {
    const price = priceOf('mixvoip-standard', {
      items: [item('2026-05-13T10:00:00+02:00', `2026-05-13T${end}+02:00`, { role: 'engineer', onSite })],
    });
    expect(amounts(price)).toEqual([[minutes, 1, cents]]);
  });

  test('each tier has its own column of rates; no contract uses the first', () => {
    const rateOf = (policyId: string, role: string) =>
      priceOf(policyId, { items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00', { role })] })
        .totalCents;
    expect(['cabling', 'technician', 'engineer', 'consulting'].map((role) => rateOf('mixvoip-none', role))).toEqual([
      9500, 10_800, 12_900, 14_500,
    ]);
    expect(['cabling', 'technician', 'engineer', 'consulting'].map((role) => rateOf('mixvoip-standard', role))).toEqual(
      [8900, 10_400, 12_000, 13_900],
    );
    expect(['mixvoip-bureau', 'mixvoip-entreprises'].map((id) => rateOf(id, 'consulting'))).toEqual([13_100, 13_100]);
  });
});

describe('mixvoip other rates', () => {
  test('remote across 20:00: worked minutes at their band, the rest of the started step at the evening rate', () => {
    const price = priceOf('mixvoip-none', {
      items: [item('2026-05-13T19:50:00+02:00', '2026-05-13T20:07:00+02:00', { role: 'consulting' })],
    });
    // 17 min worked -> 2 steps = 30 min. 10 started before 20:00: 10 x 14500 / 60 = 2416.67 -> 2417.
    // 7 started after, plus the 13 completing the step: 20 x 14500 x 1.5 / 60 = 7250.
    expect(described(price)).toEqual([
      ['Intervention 1 (consulting), 2026-05-13 19:50–20:00, weekday rate', 10, 1, 2417],
      ['Intervention 1 (consulting), 2026-05-13 20:00–20:07, outside weekday hours', 20, 1.5, 7250],
    ]);
    expect(price.totalCents).toBe(9667);
  });

  test('on site across 20:00: the first hour is completed at the band where the work ended', () => {
    const price = priceOf('mixvoip-bureau', {
      items: [item('2026-05-13T19:30:00+02:00', '2026-05-13T20:10:00+02:00', { role: 'engineer', onSite: true })],
    });
    // 40 min worked -> the first hour. 30 before 20:00: 30 x 11100 / 60 = 5550; 10 after + 20 to complete
    // the hour: 30 x 11100 x 1.5 / 60 = 8325.
    expect(amounts(price)).toEqual([
      [30, 1, 5550],
      [30, 1.5, 8325],
    ]);
    expect(price.lines[1]?.description).toBe(
      'Intervention 1 (engineer, on site), 2026-05-13 20:00–20:10, outside weekday hours',
    );
  });

  test('an on-site hour that ends before 20:00 never pays the evening rate for the time not worked', () => {
    const price = priceOf('mixvoip-bureau', {
      items: [item('2026-05-13T19:30:00+02:00', '2026-05-13T19:45:00+02:00', { role: 'engineer', onSite: true })],
    });
    expect(amounts(price)).toEqual([[60, 1, 11_100]]);
  });

  test('before 08:00 and on Luxembourg National Day (Tuesday 23 June 2026) the other rates apply', () => {
    const early = priceOf('mixvoip-entreprises', {
      items: [item('2026-05-13T07:45:00+02:00', '2026-05-13T08:15:00+02:00', { role: 'cabling' })],
    });
    // 15 x 8700 x 1.5 / 60 = 3262.5 -> 3263; 15 x 8700 / 60 = 2175.
    expect(amounts(early)).toEqual([
      [15, 1.5, 3263],
      [15, 1, 2175],
    ]);
    const holiday = priceOf('mixvoip-entreprises', {
      items: [item('2026-06-23T10:00:00+02:00', '2026-06-23T10:30:00+02:00', { role: 'cabling' })],
    });
    // 30 x 8700 x 1.5 / 60 = 6525.
    expect(amounts(holiday)).toEqual([[30, 1.5, 6525]]);
  });
});

describe('mixvoip fees', () => {
  test('monthly contract fees 58 / 262 / 318 EUR, none without a contract', () => {
    expect(monthlyContractFeeLine(findPolicy('mixvoip-standard'), '2026-05')).toEqual({
      description: 'Monthly contract fee, Mixvoip Standard support contract, 2026-05',
      label: { kind: 'monthly-fee', plan: 'Mixvoip Standard support contract', month: '2026-05' },
      minutes: 0,
      rateCents: 5800,
      multiplier: 1,
      amountCents: 5800,
    });
    expect(monthlyContractFeeLine(findPolicy('mixvoip-bureau'), '2026-05')?.amountCents).toBe(26_200);
    expect(monthlyContractFeeLine(findPolicy('mixvoip-entreprises'), '2026-05')?.amountCents).toBe(31_800);
    expect(monthlyContractFeeLine(findPolicy('mixvoip-none'), '2026-05')).toBeNull();
    expect(monthlyContractFeeLine(findPolicy('econnect'), '2026-05')).toBeNull();
  });

  test('travel fees for a site visit are a line of their own, after the time', () => {
    const price = priceOf('mixvoip-standard', {
      travelCents: 4250,
      items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:30:00+02:00', { role: 'technician', onSite: true })],
    });
    // First hour 10400, then travel 4250.
    expect(price.lines.map((line) => [line.description, line.amountCents])).toEqual([
      ['Intervention 1 (technician, on site), 2026-05-13 10:00–10:30, weekday rate', 10_400],
      ['Travel fees', 4250],
    ]);
    expect(price.totalCents).toBe(14_650);
  });
});

test('a role the tier has no rate for is refused, naming the item and the field', () => {
  const request = {
    items: [
      item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00', { role: 'engineer' }),
      item('2026-05-13T12:00:00+02:00', '2026-05-13T13:00:00+02:00', { role: 'plumber' }),
    ],
  };
  expect(errorOf(() => priceOf('mixvoip-standard', request))).toMatchObject({
    code: 'RATE_UNKNOWN',
    field: '/items/1/role',
    message:
      '/items/1/role: unknown role "plumber" for policy mixvoip-standard (expected one of cabling, technician, engineer, consulting)',
  });
  expect(
    errorOf(() =>
      priceOf('mixvoip-standard', {
        items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00', { service: 'settings' })],
      }),
    ),
  ).toMatchObject({
    code: 'RATE_UNKNOWN',
    field: '/items/0/role',
  });
});
