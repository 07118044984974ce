import type { Pool } from 'pg';
import { DESK_ZONE } from '../messages/desk-zone';
import { SLA_OUTCOMES, type SlaOutcome } from '../domain/sla/figures';
import { METRICS, type Metric, type Priority } from '../domain/policy/vocabulary';

export interface SlaReportRequest {
  /** First and last month of registration, YYYY-MM, both included; absent: unbounded. */
  fromMonth?: string;
  toMonth?: string;
  customerId?: string;
  priority?: Priority;
  /** Whether a ticket not yet taken in charge has missed its day depends on when the report is read. */
  now: number;
}

export interface MetricFigures {
  metric: Metric;
  /** Tickets whose policy sets a target for this metric and priority; only they count as met or breached. */
  withTarget: number;
  withoutTarget: number;
  met: number;
  breached: number;
  /** Clock still running, no breach yet. */
  pending: number;
  /** The ticket ended (cancelled, quote declined) before the desk did what the metric measures. */
  withdrawn: number;
  /** Share of met among met and breached; null when none is decided. */
  percentMet: number | null;
}

export interface SlaReportRow {
  customerId: string;
  priority: Priority;
  month: string;
  tickets: number;
  /** Business minutes from registration to taking in charge, pauses left out, on the ticket's calendar: every ticket taken in charge, target or not. */
  timeToRespond: { measured: number; medianMinutes: number | null; p90Minutes: number | null };
  /** Taken in charge on the business day of registration (out of hours: the next opening day). */
  sameBusinessDay: { counted: number; takenInCharge: number; percent: number | null };
  metrics: MetricFigures[];
}

const outcomeColumn = (metric: Metric, outcome: SlaOutcome) => `${metric}:${outcome}`;
// Metric and outcome names are fixed vocabulary, never request input: splicing them is safe.
const OUTCOME_COUNTS = METRICS.flatMap((metric) =>
  SLA_OUTCOMES.map(
    (outcome) => `count(*) FILTER (WHERE ${metric}_outcome = '${outcome}')::int AS "${outcomeColumn(metric, outcome)}"`,
  ),
).join(',\n         ');

type ReportRow = Record<string, number> & {
  customer_id: string;
  priority: Priority;
  month: string;
  tickets: number;
  responded: number;
  median_ms: number | null;
  p90_ms: number | null;
  same_day: number;
  same_day_counted: number;
};

const oneDecimal = (value: number) => Math.round(value * 10) / 10;
const minutes = (ms: number | null) => (ms === null ? null : oneDecimal(ms / 60_000));
const percent = (part: number, whole: number) => (whole === 0 ? null : oneDecimal((100 * part) / whole));

function metricFigures(row: ReportRow, metric: Metric): MetricFigures {
  const count = (outcome: SlaOutcome) => row[outcomeColumn(metric, outcome)]!;
  const [met, breached, pending, withdrawn, withoutTarget] = [
    count('met'),
    count('breached'),
    count('pending'),
    count('withdrawn'),
    count('no-target'),
  ];
  return {
    metric,
    withTarget: row.tickets - withoutTarget,
    withoutTarget,
    met,
    breached,
    pending,
    withdrawn,
    percentMet: percent(met, met + breached),
  };
}

const toReportRow = (row: ReportRow): SlaReportRow => ({
  customerId: row.customer_id,
  priority: row.priority,
  month: row.month,
  tickets: row.tickets,
  timeToRespond: { measured: row.responded, medianMinutes: minutes(row.median_ms), p90Minutes: minutes(row.p90_ms) },
  sameBusinessDay: {
    counted: row.same_day_counted,
    takenInCharge: row.same_day,
    percent: percent(row.same_day, row.same_day_counted),
  },
  metrics: METRICS.map((metric) => metricFigures(row, metric)),
});

export interface SlaReportReader {
  report(request: SlaReportRequest): Promise<SlaReportRow[]>;
}

/**
 * Aggregates the per-ticket figures recordTicketState stores (migration 0006). Refused tickets were never the
 * desk's to work and stay out; rows without figures (written before 0006) too, until their next revision.
 */
export function slaReportReader(db: Pool): SlaReportReader {
  return {
    async report({ fromMonth, toMonth, customerId, priority, now }) {
      // Months of registration are read in the desk's zone, whatever the zone of each ticket's calendar.
      const values: unknown[] = [DESK_ZONE, new Date(now)];
      const conditions = ['response_outcome IS NOT NULL', "status <> 'refused'"];
      const add = (template: (placeholder: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(template(`$${values.length}`));
      };
      if (fromMonth !== undefined)
        add((p) => `opened_at >= (${p} || '-01')::date::timestamp AT TIME ZONE $1`, fromMonth);
      if (toMonth !== undefined)
        add((p) => `opened_at < ((${p} || '-01')::date + interval '1 month') AT TIME ZONE $1`, toMonth);
      if (customerId !== undefined) add((p) => `customer_id = ${p}`, customerId);
      if (priority !== undefined) add((p) => `priority = ${p}`, priority);
      // A cancelled ticket never taken in charge did not miss its day: it is left out of the same-day share.
      const { rows } = await db.query<ReportRow>(
        `SELECT customer_id, priority, to_char(opened_at AT TIME ZONE $1, 'YYYY-MM') AS month,
         count(*)::int AS tickets,
         ${OUTCOME_COUNTS},
         count(response_business_ms)::int AS responded,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY response_business_ms) AS median_ms,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY response_business_ms) AS p90_ms,
         count(*) FILTER (WHERE taken_in_charge_at < same_day_until)::int AS same_day,
         count(*) FILTER (WHERE taken_in_charge_at IS NOT NULL OR (same_day_until <= $2 AND status <> 'cancelled'))::int AS same_day_counted
         FROM tickets
         WHERE ${conditions.join(' AND ')}
         GROUP BY customer_id, priority, month
         ORDER BY month, customer_id, priority`,
        values,
      );
      return rows.map(toReportRow);
    },
  };
}
