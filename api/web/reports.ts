import { toCsv, type CsvCell } from '../../domain/csv';
import { METRICS, PRIORITIES, type Metric } from '../../domain/policy/vocabulary';
import type { AtRiskReport, SlaReport } from '../schemas/report';
import { problemText, type ApiAnswer } from './api-bridge';
import { html, type Html } from './html';
import { formatMinutes, type MessageKey } from './i18n';
import { alertBox, type PageContext } from './page';

/**
 * The manager's view (/console/reports): GET /v1/reports/sla as charts drawn on the server (SVG elements and
 * classes, no style attribute: the console's CSP allows none, and no chart script), each followed by the same figures
 * as a table; and GET /v1/reports/at-risk per agent and per customer.
 */

type Row = SlaReport['rows'][number];

export const REPORT_FILTERS = ['from', 'to', 'customer', 'priority'] as const;
export type ReportFilters = Partial<Record<(typeof REPORT_FILTERS)[number], string>>;

/** The filters as the API's query string: only the ones given, so the API checks and echoes them. */
export function reportQuery(filters: ReportFilters): string {
  const query = new URLSearchParams(
    REPORT_FILTERS.flatMap((name): [string, string][] => (filters[name] ? [[name, filters[name]]] : [])),
  );
  return query.size ? `?${query.toString()}` : '';
}

/** One bar: a value or two drawn over each other (p90 behind p50), and what it reads as in words. */
export interface Bar {
  label: string;
  values: { value: number | null; className: string }[];
  text: string;
}

export interface Chart {
  id: string;
  title: string;
  /** The value a full bar stands for. */
  max: number;
  groupHeader: string;
  barHeader: string;
  valueHeader: string;
  groups: { label: string; bars: Bar[] }[];
  note?: string;
}

const WIDTH = 700;
const LABEL = 130;
const BAR_AREA = 320;
const ROW = 22;
const GROUP = 26;
const round = (value: number) => Math.round(value * 10) / 10;

/** The chart as SVG: decoration for sighted readers (aria-hidden); the table after it carries the same figures. */
export function chartSvg(chart: Chart): Html {
  let y = 0;
  const parts: Html[] = [];
  for (const group of chart.groups) {
    y += GROUP;
    parts.push(html`<text class="group" x="0" y="${y - 8}">${group.label}</text>`);
    for (const bar of group.bars) {
      const drawn = [...bar.values].filter((value) => value.value !== null).sort((a, b) => b.value! - a.value!);
      parts.push(html`<text x="8" y="${y + 15}">${bar.label}</text>`);
      parts.push(html`<rect class="track" x="${LABEL}" y="${y + 3}" width="${BAR_AREA}" height="${ROW - 6}"></rect>`);
      for (const { value, className } of drawn) {
        const width = chart.max > 0 ? round((Math.min(value!, chart.max) / chart.max) * BAR_AREA) : 0;
        parts.push(
          html`<rect class="${className}" x="${LABEL}" y="${y + 3}" width="${width}" height="${ROW - 6}"></rect>`,
        );
      }
      parts.push(html`<text x="${LABEL + BAR_AREA + 8}" y="${y + 15}">${bar.text}</text>`);
      y += ROW;
    }
  }
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${y + 4}" width="${WIDTH}" height="${y + 4}" aria-hidden="true" focusable="false">${parts}</svg>`;
}

/** The chart's table equivalent: every bar as a row, in the chart's order. */
export function chartTable(chart: Chart): Html {
  return html`<div class="scroll"><table class="compact"><thead><tr><th scope="col">${chart.groupHeader}</th><th scope="col">${chart.barHeader}</th><th scope="col">${chart.valueHeader}</th></tr></thead>
<tbody>${chart.groups.flatMap((group) => group.bars.map((bar) => html`<tr><td>${group.label}</td><td>${bar.label}</td><td>${bar.text}</td></tr>`))}</tbody></table></div>`;
}

export function chartFigure(chart: Chart): Html {
  return html`<figure class="chart-figure" aria-labelledby="${chart.id}-title"><figcaption id="${chart.id}-title"><h3>${chart.title}</h3></figcaption>
${chart.note ? html`<p class="note">${chart.note}</p>` : ''}
${chartSvg(chart)}
${chartTable(chart)}</figure>`;
}

/** Met and decided (met + breached) per month and priority, all customers of the rows together: shares add up, as counts. */
function shares(
  rows: readonly Row[],
  counts: (row: Row) => { part: number; whole: number },
): { month: string; priority: string; part: number; whole: number }[] {
  const cells = new Map<string, { month: string; priority: string; part: number; whole: number }>();
  for (const row of rows) {
    const key = `${row.month} ${row.priority}`;
    const cell = cells.get(key) ?? { month: row.month, priority: row.priority, part: 0, whole: 0 };
    const { part, whole } = counts(row);
    cell.part += part;
    cell.whole += whole;
    cells.set(key, cell);
  }
  return [...cells.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      PRIORITIES.indexOf(a.priority as never) - PRIORITIES.indexOf(b.priority as never),
  );
}

function byMonth<T extends { month: string }>(cells: readonly T[], bar: (cell: T) => Bar): Chart['groups'] {
  const months = [...new Set(cells.map((cell) => cell.month))];
  return months.map((month) => ({ label: month, bars: cells.filter((cell) => cell.month === month).map(bar) }));
}

const percentText = (part: number, whole: number, language: PageContext['language']) =>
  whole === 0
    ? '–'
    : `${new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format((100 * part) / whole)} % (${part}/${whole})`;

const METRIC_LABEL: Record<Metric, MessageKey> = {
  response: 'response',
  intervention: 'intervention',
  resolution: 'resolutionMetric',
};

/** The report's charts: share met per metric, the same-business-day share (per month and priority), and time to respond p50/p90 (per row). */
export function slaCharts(context: PageContext, report: SlaReport): Chart[] {
  const { t, language } = context;
  const shareChart = (id: string, title: string, counts: (row: Row) => { part: number; whole: number }): Chart => ({
    id,
    title,
    max: 100,
    groupHeader: t('month'),
    barHeader: t('priority'),
    valueHeader: t('decided'),
    groups: byMonth(shares(report.rows, counts), (cell) => ({
      label: cell.priority,
      values: [{ value: cell.whole ? (100 * cell.part) / cell.whole : null, className: `bar ${cell.priority}` }],
      text: percentText(cell.part, cell.whole, language),
    })),
  });
  const metricCharts = METRICS.map((metric) =>
    shareChart(`met-${metric}`, t('shareMet', { metric: t(METRIC_LABEL[metric]) }), (row) => {
      const figures = row.metrics.find((candidate) => candidate.metric === metric);
      return { part: figures?.met ?? 0, whole: (figures?.met ?? 0) + (figures?.breached ?? 0) };
    }),
  );
  const sameDay = shareChart('same-day', t('sameDay'), (row) => ({
    part: row.sameBusinessDay.takenInCharge,
    whole: row.sameBusinessDay.counted,
  }));
  const several = new Set(report.rows.map((row) => row.customerId)).size > 1;
  const measured = report.rows.filter((row) => row.timeToRespond.measured > 0);
  const minutes = (value: number | null) => (value === null ? '–' : formatMinutes(value, language));
  const times: Chart = {
    id: 'time-to-respond',
    title: t('timeToRespond'),
    max: Math.max(1, ...measured.map((row) => row.timeToRespond.p90Minutes ?? 0)),
    groupHeader: t('month'),
    barHeader: several ? `${t('priority')} · ${t('customer')}` : t('priority'),
    valueHeader: 'p50 · p90',
    groups: byMonth(measured, (row) => ({
      label: several ? `${row.priority} · ${row.customerId}` : row.priority,
      values: [
        { value: row.timeToRespond.p90Minutes, className: 'bar p90' },
        { value: row.timeToRespond.medianMinutes, className: 'bar p50' },
      ],
      text: `p50 ${minutes(row.timeToRespond.medianMinutes)} · p90 ${minutes(row.timeToRespond.p90Minutes)}`,
    })),
    ...(several ? { note: t('timeToRespondNote') } : {}),
  };
  return [...metricCharts, sameDay, times];
}

/** The report's rows as CSV, one per customer, priority and month, every figure the API gives (domain/csv.ts: formula-safe). */
export function slaReportCsv(report: SlaReport): string {
  const header = [
    'month',
    'customer_id',
    'priority',
    'tickets',
    ...METRICS.flatMap((metric) => [
      `${metric}_with_target`,
      `${metric}_met`,
      `${metric}_breached`,
      `${metric}_pending`,
      `${metric}_withdrawn`,
      `${metric}_percent_met`,
    ]),
    'same_day_counted',
    'same_day_taken_in_charge',
    'same_day_percent',
    'respond_measured',
    'respond_p50_minutes',
    'respond_p90_minutes',
  ];
  const rows = report.rows.map((row): CsvCell[] => [
    row.month,
    row.customerId,
    row.priority,
    row.tickets,
    ...METRICS.flatMap((metric) => {
      const figures = row.metrics.find((candidate) => candidate.metric === metric);
      return figures
        ? [figures.withTarget, figures.met, figures.breached, figures.pending, figures.withdrawn, figures.percentMet]
        : [null, null, null, null, null, null];
    }),
    row.sameBusinessDay.counted,
    row.sameBusinessDay.takenInCharge,
    row.sameBusinessDay.percent,
    row.timeToRespond.measured,
    row.timeToRespond.medianMinutes,
    row.timeToRespond.p90Minutes,
  ]);
  return toCsv([header, ...rows]);
}

function filterForm(context: PageContext, filters: ReportFilters): Html {
  const { t } = context;
  return html`<form method="get" action="/console/reports" class="filters" role="search">
<div><label for="from">${t('fromMonth')}</label><input id="from" name="from" type="month" value="${filters.from ?? ''}"></div>
<div><label for="to">${t('toMonth')}</label><input id="to" name="to" type="month" value="${filters.to ?? ''}"></div>
<div><label for="customer">${t('customer')}</label><input id="customer" name="customer" value="${filters.customer ?? ''}"></div>
<div><label for="priority">${t('priority')}</label><select id="priority" name="priority"><option value="">${t('any')}</option>${PRIORITIES.map(
    (priority) =>
      html`<option value="${priority}"${filters.priority === priority ? html` selected` : ''}>${priority}</option>`,
  )}</select></div>
<button type="submit">${t('filter')}</button>
</form>`;
}

/** A count per agent or per customer as GET /v1/reports/at-risk gives it; null: no agent yet. */
interface Tally {
  key: string | null;
  breached: number;
  atRisk: number;
}

function tallyTable(context: PageContext, caption: string, header: string, tallies: readonly Tally[]): Html {
  const { t } = context;
  return html`<div class="scroll"><table class="compact"><caption>${caption}</caption><thead><tr><th scope="col">${header}</th><th scope="col" class="figure">${t('breached')}</th><th scope="col" class="figure">${t('atRisk')}</th></tr></thead>
<tbody>${tallies.map((tally) => html`<tr><th scope="row">${tally.key ?? t('nobody')}</th><td class="figure">${tally.breached}</td><td class="figure">${tally.atRisk}</td></tr>`)}</tbody></table></div>`;
}

function atRiskSection(context: PageContext, filters: ReportFilters, answer: ApiAnswer): Html {
  const { t } = context;
  const heading = html`<h2 id="at-risk">${t('breachesAndRisks')}</h2>`;
  if (answer.status !== 200) return html`${heading}${alertBox(problemText(answer))}`;
  const report = answer.body as unknown as AtRiskReport;
  if (!report.tickets.length) return html`${heading}<p>${t('nothingAtRisk')}</p>`;
  return html`${heading}<p class="note">${t('atRiskNote')}</p>
<p><a class="button" href="/console/reports/at-risk.csv${atRiskQuery(filters)}" download>${t('downloadAtRiskCsv')}</a></p>
<div class="tallies">${tallyTable(context, t('perAssignee'), t('assignee'), report.byAssignee as Tally[])}${tallyTable(context, t('perCustomer'), t('customer'), report.byCustomer as Tally[])}</div>
<div class="scroll"><table><thead><tr><th scope="col">${t('number')}</th><th scope="col">${t('title')}</th><th scope="col">${t('customer')}</th><th scope="col">${t('priority')}</th><th scope="col">${t('assignee')}</th><th scope="col">${t('nextDeadline')}</th></tr></thead>
<tbody>${report.tickets.map(
    (
      ticket,
    ) => html`<tr class="${ticket.state}"><td><a href="/console/tickets/${ticket.ticketNumber}">${ticket.ticketNumber}</a></td><td>${ticket.title}</td><td>${ticket.customerId}</td><td>${ticket.priority}</td><td>${ticket.assignee ?? '–'}</td>
<td>${ticket.nextDeadline ? html`<time datetime="${ticket.nextDeadline}">${context.when(ticket.nextDeadline)}</time> ` : ''}<strong class="badge">${ticket.state === 'breached' ? t('breached') : t('atRisk')}</strong></td></tr>`,
  )}</tbody></table></div>`;
}

/**
 * The breached and at-risk open tickets as CSV, one line per ticket with its agent and customer, from which the counts
 * per agent and per customer the page shows are a spreadsheet's pivot (domain/csv.ts: formula-safe, so a title
 * such as "=cmd" stays text).
 */
export function atRiskCsv(report: AtRiskReport): string {
  const header = [
    'ticket_number',
    'state',
    'customer_id',
    'assignee',
    'priority',
    'status',
    'next_deadline',
    'at_risk_from',
    'title',
  ];
  const rows = report.tickets.map((ticket): CsvCell[] => [
    ticket.ticketNumber,
    ticket.state,
    ticket.customerId,
    ticket.assignee ?? null,
    ticket.priority,
    ticket.status,
    ticket.nextDeadline,
    ticket.atRiskFrom,
    ticket.title,
  ]);
  return toCsv([header, ...rows]);
}

/** The at-risk list's filters: the report's customer and priority (it has no months). */
export const atRiskFilters = ({ customer, priority }: ReportFilters): ReportFilters => ({ customer, priority });
export const atRiskQuery = (filters: ReportFilters): string => reportQuery(atRiskFilters(filters));

/** The manager's page: filters, the CSV link, the charts with their tables, then the breaches and risks. */
export function reportsBody(context: PageContext, filters: ReportFilters, sla: ApiAnswer, atRisk: ApiAnswer): Html {
  const { t } = context;
  const report = sla.status === 200 ? (sla.body as unknown as SlaReport) : undefined;
  return html`${filterForm(context, filters)}
${report ? html`<p><a class="button" href="/console/reports/sla.csv${reportQuery(filters)}" download>${t('downloadCsv')}</a></p>` : alertBox(problemText(sla))}
${report && !report.rows.length ? html`<p>${t('noFigures')}</p>` : ''}
${report && report.rows.length ? html`<div class="charts">${slaCharts(context, report).map(chartFigure)}</div>` : ''}
${atRiskSection(context, filters, atRisk)}`;
}
