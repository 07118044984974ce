import type { Metric } from '../../../domain/policy/vocabulary';
import type { SlaClock } from '../../../domain/sla/clock';
import { endOfRegistrationBusinessDay, slaFiguresOf, type TicketFacts } from '../../../domain/sla/figures';
import { findPolicy } from '../../../policies/registry';

// e-connect: Monday to Friday 08:30-17:30 Europe/Luxembourg, Luxembourg public holidays closed.
const calendar = findPolicy('econnect', 1).calendarFor('incident');
const at = Date.parse;
const MINUTE = 60_000;

const clock = (metric: Metric, fields: Partial<SlaClock> = {}): SlaClock => ({
  metric,
  deadline: null,
  thresholds: [],
  pauses: [],
  ...fields,
});

function ticket(fields: Partial<TicketFacts>, clocks: SlaClock[] = []): TicketFacts {
  const byMetric = new Map(clocks.map((candidate) => [candidate.metric, candidate]));
  return {
    openedAt: at('2026-03-02T09:00:00+01:00'),
    ...fields,
    clocks: (['response', 'intervention', 'resolution'] as const).map(
      (metric) => byMetric.get(metric) ?? clock(metric),
    ),
  };
}

describe('SLA figures of a ticket', () => {
  it('time to respond is the business time from registration to taking in charge, on the calendar', () => {
    const taken = at('2026-03-02T11:30:00+01:00');
    const figures = slaFiguresOf(
      calendar,
      ticket({ takenInChargeAt: taken }, [clock('response', { stoppedAt: taken })]),
    );
    expect(figures.responseBusinessMs).toBe(150 * MINUTE);
  });

  it('the night and the weekend do not count: Friday 17:00 to Monday 09:00 is one hour', () => {
    const taken = at('2026-03-09T09:00:00+01:00');
    const figures = slaFiguresOf(
      calendar,
      ticket({ openedAt: at('2026-03-06T17:00:00+01:00'), takenInChargeAt: taken }, [
        clock('response', { stoppedAt: taken }),
      ]),
    );
    expect(figures.responseBusinessMs).toBe(60 * MINUTE);
  });

  it("leaves the response clock's pauses out", () => {
    const taken = at('2026-03-02T12:00:00+01:00');
    const pauses: Array<[number, number]> = [[at('2026-03-02T10:00:00+01:00'), at('2026-03-02T11:00:00+01:00')]];
    const figures = slaFiguresOf(
      calendar,
      ticket({ takenInChargeAt: taken }, [clock('response', { stoppedAt: taken, pauses })]),
    );
    expect(figures.responseBusinessMs).toBe(120 * MINUTE);
  });

  it('has no time to respond before the ticket is taken in charge, nor when it ended without being', () => {
    const cancelled = at('2026-03-02T10:00:00+01:00');
    expect(slaFiguresOf(calendar, ticket({})).responseBusinessMs).toBeUndefined();
    expect(
      slaFiguresOf(calendar, ticket({}, [clock('response', { stoppedAt: cancelled })])).responseBusinessMs,
    ).toBeUndefined();
  });

  describe('the business day of registration ends at local midnight of', () => {
    it.each([
      ['the same day, when registered in hours', '2026-03-02T09:00:00+01:00', '2026-03-03T00:00:00+01:00'],
      ['the same day, when registered before opening', '2026-03-02T07:00:00+01:00', '2026-03-03T00:00:00+01:00'],
      [
        'the next opening day, when registered in the evening',
        '2026-03-02T19:00:00+01:00',
        '2026-03-04T00:00:00+01:00',
      ],
      ['Monday, when registered on Friday evening', '2026-03-06T19:00:00+01:00', '2026-03-10T00:00:00+01:00'],
      [
        'Monday in summer time, when registered the Saturday before the change',
        '2026-03-28T10:00:00+01:00',
        '2026-03-31T00:00:00+02:00',
      ],
      [
        'Tuesday, when Easter Monday (a Luxembourg holiday) follows',
        '2026-04-03T18:00:00+02:00',
        '2026-04-08T00:00:00+02:00',
      ],
    ])('%s', (_, openedAt, until) => {
      expect(endOfRegistrationBusinessDay(calendar, at(openedAt))).toBe(at(until));
    });
  });

  describe('outcome per metric', () => {
    const deadline = at('2026-03-02T17:00:00+01:00');
    const stopped = at('2026-03-02T12:00:00+01:00');

    it('no target: the policy sets none, so neither met nor breached', () => {
      expect(slaFiguresOf(calendar, ticket({})).outcomes).toEqual({
        response: 'no-target',
        intervention: 'no-target',
        resolution: 'no-target',
      });
    });

    it('pending while the clock runs, breached once the deadline passed, met when the desk acted in time', () => {
      const figures = slaFiguresOf(
        calendar,
        ticket({ takenInChargeAt: stopped }, [
          clock('response', { deadline, stoppedAt: stopped }),
          clock('intervention', { deadline, breachedAt: deadline }),
          clock('resolution', { deadline }),
        ]),
      );
      expect(figures.outcomes).toEqual({ response: 'met', intervention: 'breached', resolution: 'pending' });
    });

    it('withdrawn when the ticket ended before the desk acted: a cancellation stops clocks without meeting them', () => {
      const figures = slaFiguresOf(
        calendar,
        ticket({}, [
          clock('response', { deadline, stoppedAt: stopped }),
          clock('resolution', { deadline, stoppedAt: stopped }),
        ]),
      );
      expect(figures.outcomes).toMatchObject({ response: 'withdrawn', resolution: 'withdrawn' });
    });

    it('the intervention is met by a proposed resolution, the resolution by a workaround where the terms say so', () => {
      const stoppedClocks = [
        clock('intervention', { deadline, stoppedAt: stopped }),
        clock('resolution', { deadline, stoppedAt: stopped }),
      ];
      const withWorkaround = { resolutionProposedAt: stopped, workaroundAt: stopped };
      expect(
        slaFiguresOf(
          calendar,
          ticket({ ...withWorkaround, terms: { workaroundStopsResolutionClock: true } }, stoppedClocks),
        ).outcomes,
      ).toMatchObject({
        intervention: 'met',
        resolution: 'met',
      });
      expect(
        slaFiguresOf(
          calendar,
          ticket({ ...withWorkaround, terms: { workaroundStopsResolutionClock: false } }, stoppedClocks),
        ).outcomes,
      ).toMatchObject({
        resolution: 'withdrawn',
      });
      expect(slaFiguresOf(calendar, ticket({ validatedAt: stopped }, stoppedClocks)).outcomes).toMatchObject({
        resolution: 'met',
      });
    });
  });
});
