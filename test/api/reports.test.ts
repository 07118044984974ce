import type { SlaReportRow } from '../../db/sla-report';
import { METRICS } from '../../domain/policy/vocabulary';
import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem, NOW } from '../support/api/harness';

const row: SlaReportRow = {
  customerId: 'acme',
  priority: 'P2',
  month: '2026-04',
  tickets: 4,
  timeToRespond: { measured: 3, medianMinutes: 12.5, p90Minutes: 40 },
  sameBusinessDay: { counted: 4, takenInCharge: 3, percent: 75 },
  metrics: METRICS.map((metric) => ({
    metric,
    withTarget: 4,
    withoutTarget: 0,
    met: 3,
    breached: 1,
    pending: 0,
    withdrawn: 0,
    percentMet: 75,
  })),
};

describe('GET /v1/reports/sla', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
    harness.slaReport.rows = [row];
  });
  beforeEach(() => (harness.slaReport.requests.length = 0));

  it('answers the rows as of now, in the desk zone, unbounded when no months are given', async () => {
    const response = await harness.call('manager', 'GET', '/v1/reports/sla');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      asOf: new Date(NOW).toISOString(),
      timeZone: 'Europe/Luxembourg',
      from: null,
      to: null,
      rows: [row],
    });
    expect(harness.slaReport.requests).toEqual([
      { fromMonth: undefined, toMonth: undefined, customerId: undefined, priority: undefined, now: NOW },
    ]);
  });

  it('narrows to months (echoed), a customer and a priority', async () => {
    const response = await harness.call(
      'agent',
      'GET',
      '/v1/reports/sla?from=2026-01&to=2026-04&customer=globex&priority=P1',
    );
    expect(response.json()).toMatchObject({ from: '2026-01', to: '2026-04' });
    expect(harness.slaReport.requests).toEqual([
      { fromMonth: '2026-01', toMonth: '2026-04', customerId: 'globex', priority: 'P1', now: NOW },
    ]);
  });

  it('answers 401 without a key and reads nothing', async () => {
    expectProblem(await harness.call(undefined, 'GET', '/v1/reports/sla'), 401, 'unauthorized');
    expect(harness.slaReport.requests).toEqual([]);
  });

  it.each(['admin', 'agent', 'manager', 'customer'] as Caller[])('may be read with a %s key', async (caller) => {
    expect((await harness.call(caller, 'GET', '/v1/reports/sla')).statusCode).toBe(200);
  });

  it("holds a customer's key to its own figures, and refuses another company's with 403", async () => {
    await harness.call('acme', 'GET', '/v1/reports/sla');
    await harness.call('acme', 'GET', '/v1/reports/sla?customer=acme');
    expect(harness.slaReport.requests.map(({ customerId }) => customerId)).toEqual(['acme', 'acme']);
    expectProblem(await harness.call('acme', 'GET', '/v1/reports/sla?customer=globex'), 403, 'forbidden');
    expect(harness.slaReport.requests).toHaveLength(2);
  });

  it.each([
    ['from=2026-13', 'querystring.from'],
    ['from=2026-4', 'querystring.from'],
    ['to=April', 'querystring.to'],
    ['from=2026-05&to=2026-04', 'querystring.to'],
    ['priority=P9', 'querystring.priority'],
    ['customer=', 'querystring.customer'],
    ['month=2026-04', 'querystring.month'],
  ])('answers 422 to ?%s naming %s, and reads nothing', async (query, field) => {
    expectProblem(await harness.call('manager', 'GET', `/v1/reports/sla?${query}`), 422, 'invalid-request', field);
    expect(harness.slaReport.requests).toEqual([]);
  });
});
