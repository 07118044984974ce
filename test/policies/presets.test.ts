import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseIsoDate } from '../../domain/calendar';
import { PRIORITIES, deadlinesFor } from '../../domain/policy';
import type { Metric, Priority, TicketKind } from '../../domain/policy';
import { findPolicy, listPolicies, policyInForce } from '../../policies/registry';
import { at, errorOf } from '../support/domain';

function deadlines(
  id: string,
  registered: string,
  kind: TicketKind = 'incident',
  priority: Priority = 'P3',
): Record<Metric, string | null> {
  const policy = findPolicy(id);
  const zone = policy.calendarFor(kind).zone.name;
  const found = deadlinesFor(policy, { kind, priority, registeredAt: at(registered) });
  const show = (instant: number | null) =>
    instant === null ? null : DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true });
  return { response: show(found.response), intervention: show(found.intervention), resolution: show(found.resolution) };
}

const none = { response: null, intervention: null, resolution: null };

test('every preset is registered, at version 1', () => {
  expect(listPolicies()).toEqual(
    [
      'econnect',
      'econnect-maintenance',
      'tm-minimum',
      'care-solutions',
      'mixvoip-none',
      'mixvoip-standard',
      'mixvoip-bureau',
      'mixvoip-entreprises',
      'esker',
    ].map((id) => ({ id, versions: [1] })),
  );
});

describe.each(['econnect', 'econnect-maintenance'])('%s', (id) => {
  test('best effort: no targets, whatever the priority', () => {
    for (const priority of PRIORITIES)
      expect(deadlines(id, '2026-05-13T10:00:00+02:00', 'incident', priority)).toEqual(none);
  });

  test('Mon-Fri 08:30-17:30 Luxembourg, closed on the national day', () => {
    const calendar = findPolicy(id).calendarFor('request');
    expect(calendar.zone.name).toBe('Europe/Luxembourg');
    expect(calendar.windowsOn(parseIsoDate('2026-06-22') ?? 0)).toEqual([[8.5 * 3_600_000, 17.5 * 3_600_000]]);
    expect(calendar.isBusinessDay(parseIsoDate('2026-06-23') ?? 0)).toBe(false);
  });

  test("in force from 1 January 2021 (the date of e-connect's terms)", () => {
    expect(errorOf(() => policyInForce(id, at('2020-12-31T23:59:00+01:00')))).toMatchObject({
      code: 'POLICY_NOT_IN_FORCE',
    });
    expect(policyInForce(id, at('2021-01-01T00:00:00+01:00')).version).toBe(1);
  });
});

test('tm-minimum: taken in charge within 15 jours ouvrables, nothing else', () => {
  // Ascension (14 May) and Whit Monday (25 May) skipped, Saturdays counted: 24:00 on Tuesday 2 June.
  for (const priority of PRIORITIES) {
    expect(deadlines('tm-minimum', '2026-05-13T10:00:00+02:00', 'request', priority)).toEqual({
      ...none,
      response: '2026-06-03T00:00:00+02:00',
    });
  }
});

test('care-solutions: Brussels office hours, no targets', () => {
  expect(deadlines('care-solutions', '2026-07-20T10:00:00+02:00', 'incident', 'P1')).toEqual(none);
  const calendar = findPolicy('care-solutions').calendarFor('incident');
  expect(calendar.zone.name).toBe('Europe/Brussels');
  expect(findPolicy('care-solutions').document.escalation).toEqual([
    { atPercent: 100, notify: ['customer-service-manager'] },
  ]);
});

test('mixvoip-none: no targets', () => {
  expect(deadlines('mixvoip-none', '2026-05-15T15:00:00+02:00', 'incident', 'P1')).toEqual(none);
});

describe('mixvoip tiers (registered Friday 15 May 2026, 15:00)', () => {
  test.each<[string, TicketKind, string, string]>([
    // Standard, 08:00-17:00 (9 h a day): MRT 12 h = 2 + 9 + 1, DMI 24 h = 2 + 9 + 9 + 4.
    ['mixvoip-standard', 'incident', '2026-05-19T09:00:00+02:00', '2026-05-20T12:00:00+02:00'],
    ['mixvoip-standard', 'request', '2026-05-19T09:00:00+02:00', '2026-05-20T12:00:00+02:00'],
    // Bureau, 07:30-18:00: MRT 8 h = 3 + 5, DMI 12 h = 3 + 9.
    ['mixvoip-bureau', 'incident', '2026-05-18T12:30:00+02:00', '2026-05-18T16:30:00+02:00'],
    ['mixvoip-bureau', 'change', '2026-05-18T12:30:00+02:00', '2026-05-18T16:30:00+02:00'],
    // Entreprises incidents, 07:00-19:00 every day: MRT 3 h the same day, DMI 6 h = 4 + 2 on Saturday.
    ['mixvoip-entreprises', 'incident', '2026-05-15T18:00:00+02:00', '2026-05-16T09:00:00+02:00'],
    // Entreprises requests count in support hours, 07:30-18:00 Mon-Fri: DMI 6 h = 3 + 3 on Monday.
    ['mixvoip-entreprises', 'request', '2026-05-15T18:00:00+02:00', '2026-05-18T10:30:00+02:00'],
  ])('%s %s: response %s, intervention %s', (id, kind, response, intervention) => {
    for (const priority of PRIORITIES) {
      expect(deadlines(id, '2026-05-15T15:00:00+02:00', kind, priority)).toEqual({
        response,
        intervention,
        resolution: null,
      });
    }
  });

  test('Entreprises incidents run on Luxembourg national day; Bureau ones wait', () => {
    expect(deadlines('mixvoip-entreprises', '2026-06-23T08:00:00+02:00', 'incident').response).toBe(
      '2026-06-23T11:00:00+02:00',
    );
    expect(deadlines('mixvoip-bureau', '2026-06-23T08:00:00+02:00', 'incident').response).toBe(
      '2026-06-24T15:30:00+02:00',
    );
  });
});

describe('esker', () => {
  test.each<[Priority, string]>([
    // Registered Wednesday 13 May 2026 16:30; Thursday is Ascension.
    ['P1', '2026-05-15T11:30:00+02:00'],
    ['P2', '2026-05-18T16:30:00+02:00'],
    ['P3', '2026-05-19T16:30:00+02:00'],
    ['P4', '2026-05-21T16:30:00+02:00'],
  ])('%s resolution by %s', (priority, resolution) => {
    expect(deadlines('esker', '2026-05-13T16:30:00+02:00', 'incident', priority)).toEqual({ ...none, resolution });
  });

  test('a lower priority never gets a shorter target', () => {
    const esker = findPolicy('esker');
    const instant = fc.integer({ min: at('2026-01-01T00:00:00+01:00'), max: at('2027-01-01T00:00:00+01:00') });
    fc.assert(
      fc.property(instant, (registeredAt) => {
        const [p1, p2, p3, p4] = PRIORITIES.map(
          (priority) => deadlinesFor(esker, { kind: 'incident', priority, registeredAt }).resolution ?? 0,
        );
        expect(p1).toBeLessThan(p2 ?? 0);
        expect(p2).toBeLessThan(p3 ?? 0);
        expect(p3).toBeLessThan(p4 ?? 0);
      }),
      { numRuns: 500 },
    );
  });

  test('a workaround stops the resolution clock; no auto-validation', () => {
    expect(findPolicy('esker').document.workaroundStopsResolutionClock).toBe(true);
    expect(findPolicy('esker').document.autoValidationAfter).toBeNull();
  });
});
