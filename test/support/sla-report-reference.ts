import type { Pool } from 'pg';
import { outcomeColumn, toReportRow, type ReportRow, type SlaReportReader } from '../../db/sla-report';
import { SLA_OUTCOMES } from '../../domain/sla/figures';
import { METRICS } from '../../domain/policy/vocabulary';
import { DESK_ZONE } from '../../messages/desk-zone';

// Metric and outcome names are fixed vocabulary, never request input: splicing them is safe.
const OUTCOME_COUNTS = METRICS.flatMap((metric) =>
  SLA_OUTCOMES.map(
    (outcome) => `count(*) FILTER (WHERE ${metric}_outcome = '${outcome}')::int AS "${outcomeColumn(metric, outcome)}"`,
  ),
).join(',\n         ');

/**
 * The SLA report aggregated over every ticket's row at each reading, as the API computed it before the roll-up of
 * migration 0028: the naive reference the roll-up is checked against (test/e2e/sla-report-rollup.test.ts) and timed
 * beside (bench/sla-report.bench.ts). Its cost grows with the tickets.
 */
export function slaReportFromTickets(db: Pool): SlaReportReader {
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
