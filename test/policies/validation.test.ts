import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Policy, PolicyRegistry, PolicyValidationError } from '../../domain/policy';
import type { PolicyDocument } from '../../domain/policy';
import { loadPolicyFile } from '../../policies/load-file';
import careSolutions from '../../policies/presets/care-solutions.v1.json';
import esker from '../../policies/presets/esker.v1.json';
import { at, errorOf } from '../support/domain';

const valid = esker as unknown as PolicyDocument;

function issuesOf(document: unknown): Array<{ path: string; message: string }> {
  try {
    Policy.parse(document, 'test.json');
  } catch (error) {
    if (error instanceof PolicyValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('policy validation names the path and what was expected', () => {
  test.each<[string, unknown, string, RegExp]>([
    [
      'an unknown unit',
      { ...valid, targets: { resolution: { P1: { amount: 4, unit: 'hours' } } } },
      '/targets/resolution/P1/unit',
      /expected one of "businessMinutes", .*got "hours"/,
    ],
    [
      'an unknown priority',
      { ...valid, targets: { resolution: { P5: { amount: 4, unit: 'businessHours' } } } },
      '/targets/resolution/P5',
      /unexpected property/,
    ],
    ['a missing version', { ...valid, version: undefined }, '/version', /missing, expected a whole number/],
    [
      'a bad time of day',
      { ...valid, calendars: { office: { zone: 'Europe/Paris', open: [{ days: ['mon'], from: '9h', to: '18:00' }] } } },
      '/calendars/office/open/0/from',
      /expected a time of day HH:MM/,
    ],
    [
      'a window ending before it starts',
      {
        ...valid,
        calendars: { office: { zone: 'Europe/Paris', open: [{ days: ['mon'], from: '18:00', to: '09:00' }] } },
      },
      '/calendars/office/open/0/to',
      /must end after it starts/,
    ],
    [
      'an unknown zone',
      { ...valid, calendars: { office: { ...valid.calendars.office, zone: 'Europe/Atlantis' } } },
      '/calendars/office/zone',
      /unknown IANA time zone/,
    ],
    [
      'an unknown holiday country',
      { ...valid, calendars: { office: { ...valid.calendars.office, holidays: { country: 'QQ' } } } },
      '/calendars/office/holidays',
      /no public holidays known/,
    ],
    [
      'a kind pointing to no calendar',
      { ...valid, calendarByKind: { ...valid.calendarByKind, change: 'changes' } },
      '/calendarByKind/change',
      /expected one of the calendars "office", got "changes"/,
    ],
    [
      'an effective date without offset',
      { ...valid, effectiveFrom: '2026-01-01T00:00:00' },
      '/effectiveFrom',
      /with an offset/,
    ],
    [
      'thresholds out of order',
      {
        ...valid,
        escalation: [
          { atPercent: 100, notify: ['a'] },
          { atPercent: 75, notify: ['b'] },
        ],
      },
      '/escalation/1/atPercent',
      /above the previous one/,
    ],
    ['a warning at 100%', { ...valid, warningPercents: [50, 100] }, '/warningPercents/1', /between 0 and 100/],
    [
      'a fractional target',
      { ...valid, autoValidationAfter: { amount: 1.5, unit: 'businessDays' } },
      '/autoValidationAfter',
      /expected one of null, an object with amount, unit/,
    ],
    ['an unknown field', { ...valid, sla: true }, '/sla', /unexpected property/],
    [
      'a NUL in a note',
      { ...valid, notes: ['fine', 'read\u0000this'] },
      '/notes/1',
      /not acceptable text: it holds a control character \(U\+0000\)/,
    ],
    ['an unpaired surrogate in the title', { ...valid, title: 'Esker \ud800' }, '/title', /an unpaired surrogate/],
    [
      'a line break in a name',
      { ...valid, billing: { ...valid.billing, rates: { hourlyCentsByService: { 'sup\nport': 0 } } } },
      '/billing/rates/hourlyCentsByService/sup\nport',
      /not acceptable as a name: it holds a line break/,
    ],
  ])('%s', (_, document, path, message) => {
    expect(issuesOf(document).find((issue) => issue.path === path)?.message).toMatch(message);
  });

  test('the error message names the source first', () => {
    expect(() => Policy.parse({ ...valid, version: 0 }, 'policies/x.json')).toThrow(
      /^policies\/x\.json: \/version: expected a whole number of at least 1, got 0$/,
    );
    expect(errorOf(() => Policy.parse('nope', 'x.json'))).toMatchObject({ code: 'POLICY_INVALID', source: 'x.json' });
  });
});

describe('billing rules are validated with the rest, down to the path', () => {
  const billing = careSolutions.billing as NonNullable<PolicyDocument['billing']>;
  const bands = billing.timeBands as NonNullable<typeof billing.timeBands>;
  const withBilling = (changes: Partial<typeof billing>) => ({ ...valid, billing: { ...billing, ...changes } });

  test.each<[string, unknown, string, RegExp]>([
    [
      'a fractional rate',
      withBilling({ rates: { hourlyCentsByService: { settings: 8218.5 } } }),
      '/billing/rates/hourlyCentsByService/settings',
      /expected a whole number of euro cents/,
    ],
    [
      'a rate under a non kebab-case name',
      withBilling({ rates: { hourlyCentsByService: { Settings: 8218 } } }),
      '/billing/rates/hourlyCentsByService/Settings',
      /unexpected property/,
    ],
    [
      'no rate at all',
      withBilling({ rates: {} }),
      '/billing/rates',
      /expected exactly one of hourlyCents, hourlyCentsByRole, hourlyCentsByService, got none/,
    ],
    [
      'two kinds of rate',
      withBilling({ rates: { hourlyCents: 100, hourlyCentsByRole: { engineer: 100 } } }),
      '/billing/rates',
      /got hourlyCents, hourlyCentsByRole/,
    ],
    [
      'a step of no minutes',
      withBilling({ increments: { remote: { stepMinutes: 0 } } }),
      '/billing/increments/remote/stepMinutes',
      /expected a whole number of minutes of at least 1/,
    ],
    [
      'a fractional percentage',
      withBilling({ timeBands: { ...bands, outside: { label: 'evening', percent: 150.5 } } }),
      '/billing/timeBands/outside/percent',
      /expected a whole percentage/,
    ],
    ['an unknown billing zone', withBilling({ zone: 'Europe/Atlantis' }), '/billing/zone', /unknown IANA time zone/],
    [
      'standard hours ending before they start',
      withBilling({
        timeBands: {
          ...bands,
          standardHours: { ...bands.standardHours, open: [{ days: ['mon'], from: '17:00', to: '09:00' }] },
        },
      }),
      '/billing/timeBands/standardHours/open/0/to',
      /must end after it starts/,
    ],
    [
      'an unknown holiday country',
      withBilling({ timeBands: { ...bands, standardHours: { ...bands.standardHours, holidays: { country: 'QQ' } } } }),
      '/billing/timeBands/standardHours/holidays',
      /no public holidays known/,
    ],
    [
      'a public-holiday band without holidays',
      withBilling({
        timeBands: { ...bands, standardHours: { label: 'office hours', open: bands.standardHours.open } },
      }),
      '/billing/timeBands/publicHolidays',
      /needs standardHours.holidays/,
    ],
    [
      'a service both priced and excluded',
      withBilling({ excludedServices: ['training', 'settings'] }),
      '/billing/excludedServices/1',
      /cannot both have a rate and be excluded/,
    ],
    [
      'excluded services with a flat rate',
      withBilling({ rates: { hourlyCents: 100 }, excludedServices: ['training'] }),
      '/billing/excludedServices/0',
      /only .* where rates go by service/,
    ],
    [
      'an unknown surcharge trigger',
      withBilling({ surcharges: { weekend: { label: 'weekend', percent: 200 } } as never }),
      '/billing/surcharges/weekend',
      /unexpected property/,
    ],
  ])('%s', (_, document, path, message) => {
    expect(issuesOf(document).find((issue) => issue.path === path)?.message).toMatch(message);
  });

  test('a valid billing document is compiled with the policy', () => {
    expect(Policy.parse(withBilling({}), 'x.json').billing?.bands).not.toBeNull();
    expect(Policy.parse({ ...valid, billing: undefined }, 'x.json').billing).toBeNull();
  });
});

describe('policy files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-policies-'));

  test('a valid file loads', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(valid));
    expect(loadPolicyFile(file).id).toBe('esker');
  });

  test.each([
    ['broken.json', '{"id": ', /broken\.json: \/: expected JSON/],
    [
      'wrong.json',
      JSON.stringify({ ...valid, targets: { response: { P1: { amount: 0, unit: 'businessHours' } } } }),
      /wrong\.json: \/targets\/response\/P1\/amount: expected a whole number of at least 1, got 0/,
    ],
  ])('%s is refused with the file, the path and the expectation', (name, text, message) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    expect(() => loadPolicyFile(file)).toThrow(message);
  });

  test('a missing file is refused with its name', () => {
    expect(() => loadPolicyFile(join(dir, 'absent.json'))).toThrow(/absent\.json: \/: cannot read the file \(ENOENT\)/);
  });
});

describe('versions: a ticket keeps the version in force at registration', () => {
  const v1 = Policy.parse(
    { ...valid, id: 'acme', version: 1, effectiveFrom: '2025-01-01T00:00:00+01:00' },
    'acme.v1.json',
  );
  const v2 = Policy.parse(
    { ...valid, id: 'acme', version: 2, effectiveFrom: '2026-07-01T00:00:00+02:00' },
    'acme.v2.json',
  );
  const registry = new PolicyRegistry([v2, v1]);

  test('lookups by instant and by version', () => {
    expect(registry.inForce('acme', at('2026-06-30T23:59:59+02:00')).version).toBe(1);
    expect(registry.inForce('acme', at('2026-07-01T00:00:00+02:00')).version).toBe(2);
    expect(registry.find('acme').version).toBe(2);
    expect(registry.find('acme', 1)).toBe(v1);
    expect(registry.list()).toEqual([{ id: 'acme', versions: [1, 2] }]);
  });

  test.each<[() => unknown, string]>([
    [() => registry.find('nobody'), 'POLICY_UNKNOWN'],
    [() => registry.find('acme', 3), 'POLICY_VERSION_UNKNOWN'],
    [() => registry.inForce('acme', at('2024-12-31T00:00:00+01:00')), 'POLICY_NOT_IN_FORCE'],
  ])('%#: lookup errors carry %s', (lookup, code) => {
    expect(errorOf(lookup)).toMatchObject({ code });
  });

  test('two files claiming the same version, or versions out of date order, are refused', () => {
    expect(errorOf(() => new PolicyRegistry([v1, v1]))).toMatchObject({ code: 'POLICY_INVALID' });
    const early = Policy.parse(
      { ...valid, id: 'acme', version: 3, effectiveFrom: '2024-01-01T00:00:00+01:00' },
      'acme.v3.json',
    );
    expect(() => new PolicyRegistry([v1, v2, early])).toThrow(/v3 takes effect before v2/);
  });
});
