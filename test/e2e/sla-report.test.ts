import type { TicketState } from '../../messages/ticket';
import { deadlineOf } from '../../domain/calendar';
import type { Metric, Priority } from '../../domain/policy/vocabulary';
import type { SlaClock } from '../../domain/sla/clock';
import { findPolicy } from '../../policies/registry';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';

jest.setTimeout(60_000);

/** Wednesday 15 April 2026, noon in Luxembourg: the moment the report is read. */
const NOW = Date.parse('2026-04-15T12:00:00+02:00');
const at = Date.parse;

interface Story {
  policyId: 'econnect' | 'mixvoip-bureau';
  priority: Priority;
  openedAt: string;
  takenAt?: string;
  cancelledAt?: string;
  refused?: boolean;
}

/**
 * The state the workflow would hold at NOW: deadlines planned on the ticket's calendar from registration, a clock
 * breached when it stopped (or is still running) past its deadline, every clock stopped when the ticket ends.
 */
function stateOf(story: Story): Partial<TicketState> {
  const policy = findPolicy(story.policyId, 1);
  const openedAt = at(story.openedAt);
  const takenInChargeAt = story.takenAt ? at(story.takenAt) : undefined;
  const cancelledAt = story.cancelledAt ? at(story.cancelledAt) : undefined;
  const endedAt = cancelledAt ?? (story.refused ? openedAt : undefined);
  const clock = (metric: Metric, stoppedAt: number | undefined): SlaClock => {
    const target = policy.targetFor(metric, story.priority);
    const deadline = target ? deadlineOf(policy.calendarFor('incident'), openedAt, target) : null;
    const breached = deadline !== null && (stoppedAt ?? NOW) > deadline;
    return { metric, deadline, thresholds: [], pauses: [], stoppedAt, breachedAt: breached ? deadline : undefined };
  };
  const clocks = [
    clock('response', takenInChargeAt ?? endedAt),
    clock('intervention', endedAt),
    clock('resolution', endedAt),
  ];
  const status = story.refused
    ? 'refused'
    : cancelledAt
      ? 'cancelled'
      : takenInChargeAt
        ? 'support'
        : 'acknowledgement';
  return {
    policyId: story.policyId,
    policyVersion: 1,
    priority: story.priority,
    openedAt,
    takenInChargeAt,
    cancelledAt,
    status,
    clocks,
    slaBreached: clocks.some((candidate) => candidate.breachedAt !== undefined),
    revision: 5,
  };
}

// Mixvoip Bureau: incidents on fault-handling hours, Monday to Friday 07:30-18:00 Luxembourg, response within
// 8 business hours, intervention within 12, no resolution target. e-connect: 08:30-17:30, no target at all.
const BUREAU_MARCH: Story[] = [
  {
    policyId: 'mixvoip-bureau',
    priority: 'P2',
    openedAt: '2026-03-02T09:00:00+01:00',
    takenAt: '2026-03-02T09:30:00+01:00',
  }, // 30 min, same day, met
  {
    policyId: 'mixvoip-bureau',
    priority: 'P2',
    openedAt: '2026-03-02T10:00:00+01:00',
    takenAt: '2026-03-02T12:00:00+01:00',
  }, // 120 min, same day, met
  {
    policyId: 'mixvoip-bureau',
    priority: 'P2',
    openedAt: '2026-03-02T17:00:00+01:00',
    takenAt: '2026-03-03T09:30:00+01:00',
  }, // 60 + 120 min, next day, met
  {
    policyId: 'mixvoip-bureau',
    priority: 'P2',
    openedAt: '2026-03-06T20:00:00+01:00',
    takenAt: '2026-03-09T08:00:00+01:00',
  }, // Friday night: Monday's, 30 min, met
  { policyId: 'mixvoip-bureau', priority: 'P2', openedAt: '2026-03-10T09:00:00+01:00' }, // never taken in charge: breached, day missed
  {
    policyId: 'mixvoip-bureau',
    priority: 'P2',
    openedAt: '2026-03-11T09:00:00+01:00',
    cancelledAt: '2026-03-11T10:00:00+01:00',
  }, // withdrawn
  { policyId: 'mixvoip-bureau', priority: 'P2', openedAt: '2026-03-11T10:00:00+01:00', refused: true }, // not the desk's: left out
  {
    policyId: 'mixvoip-bureau',
    priority: 'P2',
    openedAt: '2026-03-12T09:00:00+01:00',
    takenAt: '2026-03-13T09:30:00+01:00',
  }, // 540 + 120 min, breached
];
const ECONNECT: Story[] = [
  { policyId: 'econnect', priority: 'P2', openedAt: '2026-02-26T09:00:00+01:00', takenAt: '2026-02-26T09:45:00+01:00' }, // 45 min
  // 00:30 on Sunday 1 March in Luxembourg, still February in UTC: a March ticket, Monday 2 March's business day.
  { policyId: 'econnect', priority: 'P4', openedAt: '2026-02-28T23:30:00Z' },
  { policyId: 'econnect', priority: 'P3', openedAt: '2026-04-14T16:00:00+02:00', takenAt: '2026-04-15T08:45:00+02:00' }, // 90 + 15 min, next day
  { policyId: 'econnect', priority: 'P3', openedAt: '2026-04-14T18:00:00+02:00', takenAt: '2026-04-15T09:00:00+02:00' }, // after hours: 30 min, same day
  { policyId: 'econnect', priority: 'P3', openedAt: '2026-04-15T09:00:00+02:00' }, // its day is not over at NOW: not counted yet
];

const noTarget = (metric: Metric, tickets: number) => ({
  metric,
  withTarget: 0,
  withoutTarget: tickets,
  met: 0,
  breached: 0,
  pending: 0,
  withdrawn: 0,
  percentMet: null,
});

describe('GET /v1/reports/sla', () => {
  let harness: ReadModelHarness;
  let agent: string;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };

  beforeAll(async () => {
    harness = await readModelHarness(() => NOW);
    agent = await harness.staffToken('manager');
    customer = await harness.customer('report');
    other = await harness.customer('other');
    const tickets = await Promise.all(
      [...BUREAU_MARCH, ...ECONNECT].map(async (story) => harness.ticket(customer.id, stateOf(story))),
    );
    for (const ticket of tickets) await harness.record(ticket);
    // A retried older revision (not yet taken in charge) must not undo the figures of the newer one.
    await harness.record({ ...tickets[0]!, ...stateOf({ ...BUREAU_MARCH[0]!, takenAt: undefined }), revision: 3 });
    await harness.record(await harness.ticket(other.id, stateOf(ECONNECT[0]!)));
  });

  afterAll(async () => {
    await harness?.close();
  });

  const rows = () => ({
    february: {
      customerId: customer.id,
      priority: 'P2',
      month: '2026-02',
      tickets: 1,
      timeToRespond: { measured: 1, medianMinutes: 45, p90Minutes: 45 },
      sameBusinessDay: { counted: 1, takenInCharge: 1, percent: 100 },
      metrics: [noTarget('response', 1), noTarget('intervention', 1), noTarget('resolution', 1)],
    },
    marchBureau: {
      customerId: customer.id,
      priority: 'P2',
      month: '2026-03',
      tickets: 7,
      // 30, 30, 120, 180, 660: p90 lies 60% of the way from 180 to 660.
      timeToRespond: { measured: 5, medianMinutes: 120, p90Minutes: 468 },
      sameBusinessDay: { counted: 6, takenInCharge: 3, percent: 50 },
      metrics: [
        {
          metric: 'response',
          withTarget: 7,
          withoutTarget: 0,
          met: 4,
          breached: 2,
          pending: 0,
          withdrawn: 1,
          percentMet: 66.7,
        },
        {
          metric: 'intervention',
          withTarget: 7,
          withoutTarget: 0,
          met: 0,
          breached: 6,
          pending: 0,
          withdrawn: 1,
          percentMet: 0,
        },
        noTarget('resolution', 7),
      ],
    },
    marchEconnect: {
      customerId: customer.id,
      priority: 'P4',
      month: '2026-03',
      tickets: 1,
      timeToRespond: { measured: 0, medianMinutes: null, p90Minutes: null },
      sameBusinessDay: { counted: 1, takenInCharge: 0, percent: 0 },
      metrics: [noTarget('response', 1), noTarget('intervention', 1), noTarget('resolution', 1)],
    },
    april: {
      customerId: customer.id,
      priority: 'P3',
      month: '2026-04',
      tickets: 3,
      timeToRespond: { measured: 2, medianMinutes: 67.5, p90Minutes: 97.5 },
      sameBusinessDay: { counted: 2, takenInCharge: 1, percent: 50 },
      metrics: [noTarget('response', 3), noTarget('intervention', 3), noTarget('resolution', 3)],
    },
  });

  const report = async (query: string, token = agent) => {
    const response = await harness.get(`/v1/reports/sla?${query}`, token);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('gives, per customer, priority and month of registration in Luxembourg, the figures computed by hand', async () => {
    const { february, marchBureau, marchEconnect, april } = rows();
    expect(await report(`customer=${customer.id}`)).toEqual({
      asOf: new Date(NOW).toISOString(),
      timeZone: 'Europe/Luxembourg',
      from: null,
      to: null,
      rows: [february, marchBureau, marchEconnect, april],
    });
  });

  it('narrows to months (both included) and a priority', async () => {
    const { february, marchBureau, marchEconnect, april } = rows();
    expect((await report(`customer=${customer.id}&from=2026-03&to=2026-03`)).rows).toEqual([
      marchBureau,
      marchEconnect,
    ]);
    expect((await report(`customer=${customer.id}&to=2026-02`)).rows).toEqual([february]);
    expect((await report(`customer=${customer.id}&from=2026-04`)).rows).toEqual([april]);
    expect((await report(`customer=${customer.id}&priority=P2`)).rows).toEqual([february, marchBureau]);
  });

  it("gives a customer's key its own figures only, and refuses another company's", async () => {
    const { february, marchBureau, marchEconnect, april } = rows();
    expect((await report('', customer.token)).rows).toEqual([february, marchBureau, marchEconnect, april]);
    expect((await report('', other.token)).rows.map((row: { customerId: string }) => row.customerId)).toEqual([
      other.id,
    ]);
    const refused = await harness.get(`/v1/reports/sla?customer=${other.id}`, customer.token);
    expect(refused.status).toBe(403);
  });

  it.each([
    ['querystring.to', 'from=2026-04&to=2026-03'],
    ['querystring.from', 'from=2026-13'],
    ['querystring.priority', 'priority=urgent'],
  ])('refuses a bad %s with a 422 naming it', async (field, query) => {
    const response = await harness.get(`/v1/reports/sla?${query}`, agent);
    expect(response.status).toBe(422);
    expect(response.body.errors[0].field).toBe(field);
  });
});
