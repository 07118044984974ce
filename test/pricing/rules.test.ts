import { DomainError } from '../../domain/errors';
import { Policy } from '../../domain/policy';
import type { PolicyDocument } from '../../domain/policy';
import { PricingError, multiplierOf, priceMinutes, priceRequest } from '../../domain/pricing';
import { checkEntryAgainstRateCard, rateCardOf } from '../../domain/pricing/rate-card';
import { findPolicy } from '../../policies/registry';
import { billedMinutes } from '../../domain/pricing/increments';
import esker from '../../policies/presets/esker.v1.json';
import { errorOf } from '../support/domain';
import { item, priceOf } from '../support/pricing';

const MINUTE = 60_000;

describe('increments', () => {
  test.each<[string, number, { firstMinutes?: number; stepMinutes: number }, number, number]>([
    ['by the started minute', 61 * 1000, { stepMinutes: 1 }, 0, 2],
    ['started 15-minute steps', 15 * MINUTE + 1, { stepMinutes: 15 }, 0, 30],
    ['the first full hour', 1, { firstMinutes: 60, stepMinutes: 15 }, 0, 60],
    ['the first hour, then a started step', 60 * MINUTE + 1, { firstMinutes: 60, stepMinutes: 15 }, 0, 75],
    ['a minimum above the time', 3 * MINUTE, { stepMinutes: 1 }, 15, 15],
    ['a minimum below the time', 31 * MINUTE, { stepMinutes: 15 }, 15, 45],
    ['no work and no minimum', 0, { firstMinutes: 60, stepMinutes: 15 }, 0, 0],
    ['no work, with a minimum', 0, { stepMinutes: 1 }, 60, 60],
  ])('%s', (_, workedMs, increment, minimum, billed) => {
    expect(billedMinutes(workedMs, increment, minimum)).toBe(billed);
  });
});

describe('rounding: once per line, half away from zero, on exact integers', () => {
  test.each<[number, number, number[], number]>([
    [1, 100, [150], 3], // 2.5 -> 3
    [1, 10_221, [150], 256], // 255.525 -> 256
    [20, 10_221, [150], 5111], // 5110.5 -> 5111
    [20, 10_000, [200], 6667], // 6666.67 -> 6667
    [20, 10_000, [150, 300, 200], 30_000], // x9, one rounding for the three coefficients
    [1, 11_132, [150, 150], 417], // 11132 x 2.25 / 60 = 417.45 -> 417
    [6_000_000, 14_500, [150, 300, 200], 13_050_000_000], // 6e6 x 14500 x 9 / 60, past 2^53 before dividing
  ])('%i min at %i c/h x %j = %i c', (minutes, rate, percents, cents) => {
    expect(priceMinutes(minutes, rate, percents)).toBe(cents);
  });
});

test('multipliers show as the product of their percentages', () => {
  expect([multiplierOf([]), multiplierOf([150]), multiplierOf([150, 300, 200]), multiplierOf([100, 200])]).toEqual([
    1, 1.5, 9, 2,
  ]);
});

describe('bad requests are typed domain errors naming the item and the field', () => {
  const hour = item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00');

  test.each<[string, () => unknown, string, string]>([
    [
      'an item ending before it starts',
      () => priceOf('econnect', { items: [hour, { start: hour.end, end: hour.start }] }),
      'PRICING_INPUT_INVALID',
      '/items/1/end: the item ends before it starts',
    ],
    [
      'an instant that is not one',
      () => priceOf('econnect', { items: [{ start: Number.NaN, end: hour.end }] }),
      'PRICING_INPUT_INVALID',
      '/items/0/start: expected an epoch-millisecond instant',
    ],
    [
      'negative travel fees',
      () => priceOf('econnect', { travelCents: -100, items: [] }),
      'PRICING_INPUT_INVALID',
      '/travelCents: expected a non-negative whole number, got -100',
    ],
    [
      'a fractional prepaid balance',
      () => priceOf('econnect-maintenance', { prepaidMinutes: 1.5, items: [] }),
      'PRICING_INPUT_INVALID',
      '/prepaidMinutes: expected a non-negative whole number, got 1.5',
    ],
    [
      'an unknown service',
      () => priceOf('care-solutions', { items: [{ ...hour, service: 'coffee' }] }),
      'RATE_UNKNOWN',
      '/items/0/service: unknown service "coffee" for policy care-solutions (expected one of remote-assistance, settings, database, development)',
    ],
    [
      'a policy without billing rules',
      () =>
        priceRequest(Policy.parse({ ...(esker as unknown as PolicyDocument), billing: undefined }, 'x.json'), {
          items: [hour],
        }),
      'BILLING_UNDEFINED',
      '/: policy esker has no billing rules',
    ],
  ])('%s', (_, price, code, message) => {
    const error = errorOf(price);
    expect(error).toBeInstanceOf(PricingError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, message });
  });
});

describe('rate cards: what a time entry must name, checked when it is logged', () => {
  test('flat, by role, by service', () => {
    expect(rateCardOf(findPolicy('econnect'))).toEqual({ pricesBy: 'flat', names: [], excluded: [] });
    expect(rateCardOf(findPolicy('mixvoip-standard'))).toEqual({
      pricesBy: 'role',
      names: ['cabling', 'technician', 'engineer', 'consulting'],
      excluded: [],
    });
    expect(rateCardOf(findPolicy('care-solutions'))?.pricesBy).toBe('service');
  });

  test('refusals name the field and what was expected', () => {
    const mixvoip = rateCardOf(findPolicy('mixvoip-standard'));
    expect(() => checkEntryAgainstRateCard(mixvoip, { role: 'engineer' })).not.toThrow();
    expect(() => checkEntryAgainstRateCard(mixvoip, {})).toThrow(
      'role: missing: this contract prices time by role (expected one of cabling, technician, engineer, consulting)',
    );
    expect(() => checkEntryAgainstRateCard(mixvoip, { role: 'plumber' })).toThrow('role: unknown role "plumber"');
    const esker = rateCardOf(findPolicy('esker'));
    expect(() => checkEntryAgainstRateCard(esker, { service: 'training' })).toThrow(
      expect.objectContaining({ code: 'WORK_EXCLUDED' }),
    );
    expect(() => checkEntryAgainstRateCard(rateCardOf(findPolicy('econnect')), {})).not.toThrow();
  });
});
