import { consoleContext } from '../support/web/page-context';
import type { Session } from '../../db/sessions';
import { METRICS } from '../../domain/policy/vocabulary';
import type { SlaReport } from '../../api/schemas/report';
import { formatMinutes } from '../../api/web/i18n';
import { chartFigure, chartSvg, reportQuery, reportsBody, slaCharts, slaReportCsv } from '../../api/web/reports';
import type { AtRiskTicket } from '../../db/ticket-queries';
import { consoleHarness } from '../support/api/console-harness';
import { NOW } from '../support/api/harness';

const manager: Session = {
  userId: '3',
  email: 'mia@desk.lu',
  name: 'Mia Manager',
  role: 'manager',
  csrfToken: 't'.repeat(43),
};
const contextIn = (language: 'en' | 'fr') => consoleContext(language, manager);

type Row = SlaReport['rows'][number];
const row = (
  customerId: string,
  priority: Row['priority'],
  month: string,
  met: number,
  breached: number,
  times: [number | null, number | null] = [12.5, 40],
): Row => ({
  customerId,
  priority,
  month,
  tickets: met + breached,
  timeToRespond: { measured: met + breached, medianMinutes: times[0], p90Minutes: times[1] },
  sameBusinessDay: {
    counted: met + breached,
    takenInCharge: met,
    percent: met + breached ? (100 * met) / (met + breached) : null,
  },
  metrics: METRICS.map((metric) => ({
    metric,
    withTarget: met + breached,
    withoutTarget: 0,
    met,
    breached,
    pending: 0,
    withdrawn: 0,
    percentMet: met + breached ? (100 * met) / (met + breached) : null,
  })),
});
const report = (rows: Row[]): SlaReport => ({
  asOf: '2026-05-13T08:00:00.000Z',
  timeZone: 'Europe/Luxembourg',
  from: null,
  to: null,
  rows,
});

describe("the manager's charts", () => {
  it('adds up shares met over customers per month and priority, from the counts, never averaging percentages', () => {
    const charts = slaCharts(
      contextIn('en'),
      report([
        row('acme', 'P2', '2026-04', 3, 1),
        row('globex', 'P2', '2026-04', 1, 0),
        row('acme', 'P1', '2026-05', 0, 2),
      ]),
    );
    expect(charts.map((chart) => chart.id)).toEqual([
      'met-response',
      'met-intervention',
      'met-resolution',
      'same-day',
      'time-to-respond',
    ]);
    const response = charts[0]!;
    expect(response.title).toBe('Share met: response');
    expect(
      response.groups.map((group) => [
        group.label,
        group.bars.map((bar) => [bar.label, bar.values[0]!.value, bar.text]),
      ]),
    ).toEqual([
      ['2026-04', [['P2', 80, '80 % (4/5)']]],
      ['2026-05', [['P1', 0, '0 % (0/2)']]],
    ]);
    // Medians of different customers do not add up: one bar per row, named, and said so.
    const times = charts[4]!;
    expect(times.note).toMatch(/do not add up/);
    expect(times.groups[0]!.bars.map((bar) => bar.label)).toEqual(['P2 · acme', 'P2 · globex']);
    expect(times.groups[0]!.bars[0]!.text).toBe('p50 13 min · p90 40 min');
  });

  it('draws SVG elements with classes and sizes as attributes, no style attribute, scaled to the maximum, and escapes labels', () => {
    const svg = chartSvg({
      id: 'x',
      title: 'T',
      max: 100,
      groupHeader: 'Month',
      barHeader: 'Priority',
      valueHeader: 'Share',
      groups: [
        {
          label: '2026-04',
          bars: [
            { label: '<b>P1</b>', values: [{ value: 50, className: 'bar P1' }], text: '50 %' },
            { label: 'P2', values: [{ value: null, className: 'bar P2' }], text: '–' },
          ],
        },
      ],
    }).text;
    expect(svg).not.toMatch(/style=/);
    expect(svg).toContain('aria-hidden="true"');
    expect(svg).toContain('<rect class="bar P1" x="130" y="29" width="160" height="16"></rect>');
    expect(svg).toContain('&lt;b&gt;P1&lt;/b&gt;');
    // A bar without a value draws only its track.
    expect(svg.match(/class="bar /g)).toHaveLength(1);
  });

  it('follows each chart with a table of the same figures, labelled by its caption', () => {
    const [chart] = slaCharts(contextIn('fr'), report([row('acme', 'P3', '2026-04', 1, 1)]));
    const figure = chartFigure(chart!).text;
    expect(figure).toContain('aria-labelledby="met-response-title"');
    expect(figure).toContain('<h3>Part respectée : prise en compte</h3>');
    expect(figure).toContain('<tr><td>2026-04</td><td>P3</td><td>50 % (1/2)</td></tr>');
  });

  it('renders the page with the CSV link carrying the same filters, and says when nothing is at risk', () => {
    const body = reportsBody(
      contextIn('en'),
      { from: '2026-01', customer: 'acme' },
      { status: 200, body: report([row('acme', 'P2', '2026-04', 3, 1)]), headers: {} },
      {
        status: 200,
        body: { asOf: '', tickets: [], byAssignee: [], byCustomer: [] },
        headers: {},
      },
    ).text;
    expect(body).toContain('href="/console/reports/sla.csv?from=2026-01&amp;customer=acme"');
    expect(body).toContain('<svg class="chart"');
    expect(body).toContain('No open ticket is breached or at risk.');
    expect(body).not.toMatch(/style=/);
    expect(reportQuery({})).toBe('');
  });
});

describe('the SLA report as CSV', () => {
  it('writes one line per row with every figure, CRLF and a byte order mark, empty cells for nothing measured', () => {
    const csv = slaReportCsv(
      report([row('acme', 'P2', '2026-04', 3, 1), row('globex', 'P4', '2026-04', 0, 0, [null, null])]),
    );
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(csv.startsWith('\ufeffmonth,customer_id,priority,tickets,response_with_target,response_met,')).toBe(true);
    expect(lines[0]!.split(',')).toHaveLength(4 + 3 * 6 + 6);
    expect(lines[1]).toBe('2026-04,acme,P2,4,4,3,1,0,0,75,4,3,1,0,0,75,4,3,1,0,0,75,4,3,75,4,12.5,40');
    expect(lines[2]).toBe('2026-04,globex,P4,0,0,0,0,0,0,,0,0,0,0,0,,0,0,0,0,0,,0,0,,0,,');
    expect(lines[3]).toBe('');
  });

  it('keeps a customer id a spreadsheet would run as a formula as text', () => {
    const csv = slaReportCsv(report([row('=cmd|x', 'P1', '2026-04', 1, 0)]));
    expect(csv.split('\r\n')[1]!.startsWith("2026-04,'=cmd|x,P1,")).toBe(true);
  });
});

describe('prepaid hours as the portal writes them', () => {
  it('writes minutes as hours and minutes, without a zero part, a negative movement with its sign', () => {
    expect(formatMinutes(510, 'en')).toBe('8 h 30 min');
    expect(formatMinutes(510, 'fr')).toBe('8 h 30');
    expect(formatMinutes(-90, 'fr')).toBe('−1 h 30');
    expect(formatMinutes(600, 'en')).toBe('10 h');
    expect(formatMinutes(0, 'en')).toBe('0 min');
  });
});

// The breaches and risks of the manager's page as a CSV download, through the API as the page reads them.
describe('the breached and at-risk tickets as CSV', () => {
  let harness: Awaited<ReturnType<typeof consoleHarness>>;
  const atRisk = (
    ticketNumber: string,
    state: AtRiskTicket['state'],
    fields: Partial<AtRiskTicket> = {},
  ): AtRiskTicket => ({
    ticketNumber,
    customerId: 'acme',
    title: `Ticket ${ticketNumber}`,
    kind: 'incident',
    priority: 'P1',
    status: 'support',
    openedAt: NOW - 7_200_000,
    nextDeadline: NOW + 1_800_000,
    atRiskFrom: NOW - 600_000,
    slaBreached: state === 'breached',
    state,
    ...fields,
  });

  beforeAll(async () => {
    harness = await consoleHarness();
    harness.ticketQueries.atRiskAnswer = [
      atRisk('VIG-000001', 'breached', { assignee: 'marc', nextDeadline: undefined, atRiskFrom: undefined }),
      atRisk('VIG-000002', 'at-risk', { title: '=HYPERLINK("http://evil.test"), "quoted"' }),
    ];
  });
  afterAll(() => harness.app.close());

  it("writes one line per ticket with its state, customer and agent, narrowed to the page's customer and priority", async () => {
    const response = await harness.page(
      harness.staff.manager,
      'GET',
      '/console/reports/at-risk.csv?customer=acme&priority=P1',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="vigil-at-risk-acme-P1.csv"');
    expect(harness.ticketQueries.atRiskRequests.at(-1)).toEqual({ customerId: 'acme', priority: 'P1', now: NOW });
    const deadline = new Date(NOW + 1_800_000).toISOString();
    const from = new Date(NOW - 600_000).toISOString();
    expect(response.body.replace(/^\ufeff/, '').split('\r\n')).toEqual([
      'ticket_number,state,customer_id,assignee,priority,status,next_deadline,at_risk_from,title',
      'VIG-000001,breached,acme,marc,P1,support,,,Ticket VIG-000001',
      `VIG-000002,at-risk,acme,,P1,support,${deadline},${from},"'=HYPERLINK(""http://evil.test""), ""quoted"""`,
      '',
    ]);
  });

  it.each([
    ['a line break', 'from=2026-01%0D%0ASet-Cookie:%20x=1'],
    ['a quote', 'from=2026-01%22;%20filename=%22evil.exe'],
    ['a character beyond Latin-1', 'to=2026-01%E2%82%AC'],
  ])('is named after the filters the API checked, whatever else the query holds (%s)', async (_what, query) => {
    const response = await harness.page(
      harness.staff.manager,
      'GET',
      `/console/reports/at-risk.csv?customer=acme&${query}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="vigil-at-risk-acme.csv"');
  });

  it("links it from the manager's page with the same filters", async () => {
    const page = await harness.page(harness.staff.manager, 'GET', '/console/reports?from=2026-01&customer=acme');
    expect(page.body).toContain(
      'href="/console/reports/at-risk.csv?customer=acme" download>Download these tickets as CSV</a>',
    );
  });

  it('is for managers and admins: an agent or a customer gets the 403 page', async () => {
    expect((await harness.page(harness.staff.admin, 'GET', '/console/reports/at-risk.csv')).statusCode).toBe(200);
    for (const person of [harness.staff.agent, harness.staff.customer]) {
      const refused = await harness.page(person, 'GET', '/console/reports/at-risk.csv');
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
    }
  });
});
