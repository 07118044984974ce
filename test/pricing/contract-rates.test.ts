import fc from 'fast-check';
import type { Policy } from '../../domain/policy';
import { billingOf, contractRatesIssues, priceRequest, rulesForContract } from '../../domain/pricing';
import type { ContractRates, PricingRequest } from '../../domain/pricing';
import { findPolicy, presetRegistry } from '../../policies/registry';
import { purchasePriceLine } from '../../activities/invoicing';
import { described, item } from '../support/pricing';

// A contract's own prices (the tm-minimum preset: "défini par les CIV") replace the policy's figures they name, in one pure
// function (rulesForContract) that vigil price and billing both go through, and each line priced with one says so.

const mixvoip = findPolicy('mixvoip-standard');
const tm = findPolicy('tm-minimum');
const careSolutions = findPolicy('care-solutions');

describe('rulesForContract', () => {
  test('no override: the policy rules themselves', () => {
    const rules = billingOf(tm);
    expect(rulesForContract(rules, undefined)).toBe(rules);
  });

  test("tm-minimum's flat rate at 80 EUR/h: 30 minutes bill 40 EUR, the line says it is the contract's rate", () => {
    const price = priceRequest(
      tm,
      { items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:30:00+02:00')] },
      { hourlyCents: 8000 },
    );
    expect(described(price)).toEqual([['Intervention 1, 2026-05-13 10:00–10:30, contract rate', 30, 1, 4000]]);
    expect(price.lines[0]!.rateCents).toBe(8000);
  });

  test("the request's minimum is billed at the contract's rate", () => {
    // 15 x 8000 / 60 = 2000.
    const price = priceRequest(
      tm,
      { items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:05:00+02:00')] },
      { hourlyCents: 8000 },
    );
    expect(described(price)).toEqual([
      ['Intervention 1, 2026-05-13 10:00–10:05, contract rate, request minimum 15 min: +10 min', 15, 1, 2000],
    ]);
  });

  test('Mixvoip: a role overridden, another left at the policy, travel and the out-of-hours coefficient from the contract', () => {
    const rates: ContractRates = {
      hourlyCentsByRole: { technician: 9000 },
      travel: { hourlyCents: 6000 },
      outOfHoursPercent: 175,
    };
    const request: PricingRequest = {
      items: [
        item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00', { role: 'technician' }),
        item('2026-05-13T13:00:00+02:00', '2026-05-13T14:00:00+02:00', { role: 'engineer' }),
        item('2026-05-16T10:00:00+02:00', '2026-05-16T11:00:00+02:00', { role: 'technician' }),
      ],
      trips: [{ item: 0, minutes: 30 }],
    };
    const price = priceRequest(mixvoip, request, rates);
    const policyPrice = priceRequest(mixvoip, request);
    expect(price.lines.map((line) => [line.rateCents, line.multiplier])).toEqual([
      [9000, 1],
      [12_000, 1],
      [9000, 1.75],
      [6000, 1],
    ]);
    // 9000 + 12000 (the policy's engineer) + 9000 x 1.75 + 30 x 6000 / 60.
    expect(price.lines.map((line) => line.amountCents)).toEqual([9000, 12_000, 15_750, 3000]);
    expect(price.lines[0]!.description).toContain(', contract rate');
    expect(price.lines[1]!.description).toBe(policyPrice.lines[1]!.description);
    expect(price.lines[2]!.description).toMatch(/contract rate, outside weekday hours \(contract rate\)$/);
    expect(price.lines[3]!.description).toBe('Travel time, intervention 1, contract rate');
  });

  test('Care Solutions: a service overridden, the others at the policy', () => {
    const request = {
      items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00', { service: 'database' })],
    };
    expect(priceRequest(careSolutions, request, { hourlyCentsByService: { settings: 1 } }).lines).toEqual(
      priceRequest(careSolutions, request).lines,
    );
    expect(priceRequest(careSolutions, request, { hourlyCentsByService: { database: 9000 } }).lines[0]!.rateCents).toBe(
      9000,
    );
  });
});

describe('override absent: prices identical to the policy alone (property)', () => {
  const minute = 60_000;
  const base = Date.parse('2026-05-11T00:00:00+02:00');
  const items = fc.array(
    fc.record({
      offset: fc.integer({ min: 0, max: 14 * 24 * 60 }),
      length: fc.integer({ min: 0, max: 600 }),
      role: fc.constantFrom('cabling', 'technician', 'engineer', 'consulting'),
      urgent: fc.boolean(),
    }),
    { maxLength: 5 },
  );
  test.each(['mixvoip-standard', 'tm-minimum'])('%s', (policyId) => {
    const policy = findPolicy(policyId);
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 300 }), (generated, travel) => {
        const request: PricingRequest = {
          items: generated.map(({ offset, length, role, urgent }) => ({
            start: base + offset * minute,
            end: base + (offset + length) * minute,
            role,
            urgent,
          })),
          trips: generated.length > 0 ? [{ item: 0, minutes: travel }] : [],
        };
        expect(priceRequest(policy, request, undefined)).toEqual(priceRequest(policy, request));
        // The policy's own figures given as the contract's: the same amounts, only the words differ.
        const sameFigures: ContractRates =
          policyId === 'tm-minimum'
            ? { hourlyCents: 10_000, travel: { hourlyCents: 10_000 } }
            : { hourlyCentsByRole: { technician: 10_400 }, outOfHoursPercent: 150 };
        expect(priceRequest(policy, request, sameFigures).lines.map((line) => line.amountCents)).toEqual(
          priceRequest(policy, request).lines.map((line) => line.amountCents),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('contractRatesIssues: refused against the policy, naming the path', () => {
  const doc = (policy: Policy) => policy.billing?.document;
  test.each<[string, Policy, unknown, string, RegExp]>([
    [
      'a role on a flat policy',
      tm,
      { hourlyCentsByRole: { technician: 8000 } },
      '/rates/hourlyCentsByRole',
      /does not price by role/,
    ],
    [
      'a flat rate on a policy by role',
      mixvoip,
      { hourlyCents: 8000 },
      '/rates/hourlyCents',
      /no flat rate: it prices by role/,
    ],
    [
      'a role the policy does not bill',
      mixvoip,
      { hourlyCentsByRole: { plumber: 8000 } },
      '/rates/hourlyCentsByRole/plumber',
      /bills no role "plumber"/,
    ],
    [
      'a service the policy does not bill',
      careSolutions,
      { hourlyCentsByService: { gardening: 1 } },
      '/rates/hourlyCentsByService/gardening',
      /bills no service/,
    ],
    ['negative cents', tm, { hourlyCents: -1 }, '/rates/hourlyCents', /whole number of euro cents/],
    ['fractional cents', tm, { hourlyCents: 80.5 }, '/rates/hourlyCents', /whole number of euro cents/],
    [
      'an out-of-hours percent without bands',
      tm,
      { outOfHoursPercent: 200 },
      '/rates/outOfHoursPercent',
      /no out-of-hours band/,
    ],
    ['a zero percent', mixvoip, { outOfHoursPercent: 0 }, '/rates/outOfHoursPercent', /at least 1/],
    [
      'a travel fee the policy does not charge',
      mixvoip,
      { travel: { perTripCents: 500 } },
      '/rates/travel/perTripCents',
      /no perTripCents/,
    ],
    [
      'travel where none is billed',
      careSolutions,
      { travel: { hourlyCents: 500 } },
      '/rates/travel',
      /bills no travel/,
    ],
    ['an unknown field', tm, { hourly: 8000 }, '/rates/hourly', /unknown field/],
    ['an empty override', tm, {}, '/rates', /at least one of/],
    ['not an object', tm, 8000, '/rates', /an object/],
  ])('%s', (_, policy, rates, path, message) => {
    const [issue] = contractRatesIssues(doc(policy), rates);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toMatch(message);
  });

  test('figures the policy has are accepted', () => {
    expect(contractRatesIssues(doc(tm), { hourlyCents: 8000, travel: { hourlyCents: 7000 } })).toEqual([]);
    expect(
      contractRatesIssues(doc(mixvoip), {
        hourlyCentsByRole: { technician: 0, engineer: 11_000 },
        travel: { hourlyCents: 9000 },
        outOfHoursPercent: 200,
      }),
    ).toEqual([]);
  });

  test('a policy without billing has no rate to override', () => {
    expect(contractRatesIssues(undefined, { hourlyCents: 1 })[0]?.message).toMatch(/bills nothing/);
  });
});

// Maintenance hours bought are priced as the contract's tickets are billed: at its own flat rate when it has one.
describe('a purchase of maintenance hours under contract rates', () => {
  const purchase = {
    contractId: '12',
    policyId: 'econnect-maintenance',
    policyVersion: null,
    minutes: 600,
    year: 2026,
    at: Date.parse('2026-02-10T10:00:00+01:00'),
  };

  test("the policy's rate without contract rates: 95 EUR/h, 100 EUR/h less 5%", async () => {
    expect(await purchasePriceLine(presetRegistry, { ...purchase, rates: null })).toEqual({
      description: '10 h maintenance hours for 2026, 100.00 EUR/h less 5% (contract 12)',
      label: {
        kind: 'prepaid-purchase',
        minutes: 600,
        year: 2026,
        listRateCents: 10_000,
        discountPercent: 5,
        contractId: '12',
      },
      minutes: 600,
      rateCents: 9500,
      multiplier: 1,
      amountCents: 95_000,
    });
  });

  test("the contract's own rate, merged as billing merges it, and the line says so", async () => {
    // 90.25 EUR/h is 95 EUR/h less 5%.
    const line = await purchasePriceLine(presetRegistry, { ...purchase, rates: { hourlyCents: 9025 } });
    expect(line).toMatchObject({ minutes: 600, rateCents: 9025, amountCents: 90_250 });
    expect(line.description).toBe('10 h maintenance hours for 2026, 95.00 EUR/h less 5%, contract rate (contract 12)');
    expect(line.label).toEqual({
      kind: 'prepaid-purchase',
      minutes: 600,
      year: 2026,
      listRateCents: 9500,
      discountPercent: 5,
      contractRate: true,
      contractId: '12',
    });
    // The rate a ticket of the same contract bills beyond its hours: the same figure.
    const ticket = priceRequest(
      findPolicy('econnect-maintenance'),
      { items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T11:00:00+02:00')] },
      { hourlyCents: 9025 },
    );
    expect(ticket.lines[0]!.rateCents).toBe(line.rateCents);
  });
});
