import type { Pool, PoolClient } from 'pg';
import { SLA_OUTCOMES, type SlaOutcome } from '../domain/sla/figures';
import { METRICS, type Metric, type Priority } from '../domain/policy/vocabulary';
import { withTransaction } from './transaction';

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

/** The name under which a query gives the count of tickets whose `metric` came to `outcome`. */
export const outcomeColumn = (metric: Metric, outcome: SlaOutcome) => `${metric}:${outcome}`;

/** A report row as its query gives it: the sums of one customer, priority and month of registration. */
export type ReportRow = Record<string, number> & {
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

export const toReportRow = (row: ReportRow): SlaReportRow => ({
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

// The roll-up's counters (migration 0028): column names are fixed vocabulary, never request input, so splicing them
// into SQL is safe.
const storedColumn = (metric: Metric, outcome: SlaOutcome) => `${metric}_${outcome.replace('-', '_')}`;
const OUTCOME_PAIRS = METRICS.flatMap((metric) => SLA_OUTCOMES.map((outcome) => [metric, outcome] as const));
const COUNTERS = [
  'tickets',
  ...OUTCOME_PAIRS.map(([metric, outcome]) => storedColumn(metric, outcome)),
  'taken',
  'same_day',
  // Not taken in charge nor cancelled (migration 0029); sla_report_awaiting has them by the end of their day.
  'awaiting',
];

/**
 * The report from the roll-up, sla_report (migration 0028): one row per bucket read, however many tickets it counts.
 * Refused tickets were never the desk's to work and are not in it; rows without figures (written before 0006) neither,
 * until their next revision.
 */
export function slaReportReader(db: Pool): SlaReportReader {
  return {
    async report({ fromMonth, toMonth, customerId, priority, now }) {
      const values: unknown[] = [new Date(now)];
      // A bucket every ticket has left stays, empty: the aggregate over the rows had no group for it.
      const conditions = ['r.tickets > 0'];
      const add = (template: (placeholder: string) => string, value: unknown) => {
        values.push(value);
        conditions.push(template(`$${values.length}`));
      };
      // YYYY-MM strings compare as their months do.
      if (fromMonth !== undefined) add((p) => `r.month >= ${p}`, fromMonth);
      if (toMonth !== undefined) add((p) => `r.month <= ${p}`, toMonth);
      if (customerId !== undefined) add((p) => `r.customer_id = ${p}`, customerId);
      if (priority !== undefined) add((p) => `r.priority = ${p}`, priority);
      // Counted for the same day: taken in charge, or whose day is over when the report is read. Those whose day is
      // not over were registered in the last days: a probe finds none for the buckets of the months before.
      const { rows } = await db.query<ReportRow>(
        `SELECT r.customer_id, r.priority, r.month, r.tickets,
         ${OUTCOME_PAIRS.map(([metric, outcome]) => `r.${storedColumn(metric, outcome)} AS "${outcomeColumn(metric, outcome)}"`).join(', ')},
         r.responded, r.response_median_ms AS median_ms, r.response_p90_ms AS p90_ms, r.same_day,
         r.taken + r.awaiting - coalesce((SELECT sum(a.tickets) FROM sla_report_awaiting a
                              WHERE (a.customer_id, a.priority, a.month) = (r.customer_id, r.priority, r.month) AND a.same_day_until > $1), 0)::int AS same_day_counted
         FROM sla_report r
         WHERE ${conditions.join(' AND ')}
         ORDER BY r.month, r.customer_id, r.priority`,
        values,
      );
      return rows.map(toReportRow);
    },
  };
}

/** A ticket's share of the report, as the view sla_report_shares defines it (migration 0028). */
interface Share {
  counted: boolean;
  customer_id: string;
  priority: string;
  month: string;
  response_outcome: SlaOutcome | null;
  intervention_outcome: SlaOutcome | null;
  resolution_outcome: SlaOutcome | null;
  /** bigint, as pg gives it. */
  response_business_ms: string | null;
  taken: boolean;
  same_day: boolean;
  /** timestamptz as text: a key read back exactly, to the microsecond, where a Date would keep milliseconds. */
  awaiting_until: string | null;
}

interface BucketChange {
  key: [customerId: string, priority: string, month: string];
  counts: Record<string, number>;
  /** The time to respond taken out of the bucket's and the one put in, as pg takes a bigint. */
  removed: string | null;
  added: string | null;
}

interface AwaitingChange {
  key: [customerId: string, priority: string, month: string, sameDayUntil: string];
  tickets: number;
}

/** What a ticket moving from one share to another changes in the roll-up, in key order (every writer locks rows in the same order: no deadlock). */
function shareChanges(
  before: Share | undefined,
  after: Share | undefined,
): { buckets: BucketChange[]; awaiting: AwaitingChange[] } {
  const buckets = new Map<string, BucketChange>();
  const awaiting = new Map<string, AwaitingChange>();
  for (const [share, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (!share?.counted) continue;
    const key: BucketChange['key'] = [share.customer_id, share.priority, share.month];
    const id = JSON.stringify(key);
    const change = buckets.get(id) ?? {
      key,
      counts: Object.fromEntries(COUNTERS.map((column) => [column, 0])),
      removed: null,
      added: null,
    };
    const counted = [
      'tickets',
      ...METRICS.flatMap((metric) =>
        share[`${metric}_outcome`] ? [storedColumn(metric, share[`${metric}_outcome`]!)] : [],
      ),
      ...(share.taken ? ['taken'] : []),
      ...(share.same_day ? ['same_day'] : []),
      ...(share.awaiting_until ? ['awaiting'] : []),
    ];
    for (const column of counted) change.counts[column]! += sign;
    if (sign < 0) change.removed = share.response_business_ms;
    else change.added = share.response_business_ms;
    buckets.set(id, change);
    if (share.awaiting_until) {
      const awaitingKey: AwaitingChange['key'] = [...key, share.awaiting_until];
      const awaitingId = JSON.stringify(awaitingKey);
      awaiting.set(awaitingId, { key: awaitingKey, tickets: (awaiting.get(awaitingId)?.tickets ?? 0) + sign });
    }
  }
  for (const change of buckets.values()) {
    if (change.removed === change.added) change.removed = change.added = null;
  }
  const inKeyOrder = <T>(entries: Map<string, T>) =>
    [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
  return {
    buckets: inKeyOrder(buckets).filter(
      (change) =>
        change.added !== null || change.removed !== null || Object.values(change.counts).some((count) => count !== 0),
    ),
    awaiting: inKeyOrder(awaiting).filter((change) => change.tickets !== 0),
  };
}

const UPSERT_BUCKET = `
  INSERT INTO sla_report AS r (customer_id, priority, month, ${COUNTERS.join(', ')}, response_ms)
  VALUES ($1, $2, $3, ${COUNTERS.map((_, index) => `$${index + 4}`).join(', ')}, sla_sorted_replace('{}', NULL, $${COUNTERS.length + 5}::bigint))
  ON CONFLICT (customer_id, priority, month) DO UPDATE SET
    ${COUNTERS.map((column) => `${column} = r.${column} + excluded.${column}`).join(', ')},
    response_ms = sla_sorted_replace(r.response_ms, $${COUNTERS.length + 4}::bigint, $${COUNTERS.length + 5}::bigint)`;

const UPSERT_AWAITING = `
  INSERT INTO sla_report_awaiting AS a (customer_id, priority, month, same_day_until, tickets) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (customer_id, priority, month, same_day_until) DO UPDATE SET tickets = a.tickets + excluded.tickets`;

const SHARE_OF = `SELECT counted, customer_id, priority, month, response_outcome, intervention_outcome, resolution_outcome,
  response_business_ms, taken, same_day, awaiting_until::text AS awaiting_until FROM sla_report_shares WHERE number = $1`;

/** Moves the ticket's share of the report from `before` to what its row, just written, holds now. */
async function moveShare(client: PoolClient, ticketNumber: string, before: Share | undefined): Promise<void> {
  const after = (await client.query<Share>(SHARE_OF, [ticketNumber])).rows[0];
  const { buckets, awaiting } = shareChanges(before, after);
  for (const { key, counts, removed, added } of buckets)
    await client.query(UPSERT_BUCKET, [...key, ...COUNTERS.map((column) => counts[column]), removed, added]);
  for (const { key, tickets } of awaiting) await client.query(UPSERT_AWAITING, [...key, tickets]);
}

/**
 * Writes a ticket's row through `write` and moves the ticket's share of the report in the same transaction, which
 * `client` is in. `write(existing)` inserts the row, updating an existing one only when `existing` says there is one,
 * and gives the number of rows written: a write its revision guard refused (a retried or older revision) writes none
 * and changes nothing here, so that no revision counts twice.
 *
 * `first`: the ticket's first row (its registration), which is inserted before anything is read, a round trip fewer.
 * Inserted, it had no share to take out; found there already (a retried registration), it is written as any other.
 */
export async function writeTicketKeepingReport(
  client: PoolClient,
  ticketNumber: string,
  write: (existing: boolean) => Promise<number>,
  { first = false }: { first?: boolean } = {},
): Promise<void> {
  if (first && (await write(false)) > 0) return moveShare(client, ticketNumber, undefined);
  // The row is locked as its share is read: the share taken out is the one the write replaces. A row not there yet
  // cannot be locked, so the write then only inserts; if another writer inserted it meanwhile, the second turn finds
  // it, locked.
  for (let turn = 0; turn < 2; turn++) {
    const before = (await client.query<Share>(`${SHARE_OF} FOR UPDATE`, [ticketNumber])).rows[0];
    const written = await write(before !== undefined);
    if (written === 0 && before === undefined) continue;
    if (written > 0) await moveShare(client, ticketNumber, before);
    return;
  }
  throw new Error(`ticket ${ticketNumber} was neither inserted nor found`);
}

/**
 * Rebuilds the roll-up from the tickets' rows (the backfill of migration 0028), ticket writes waiting meanwhile: for a
 * database whose tickets were written by processes that did not keep it (an old worker during a rolling deploy).
 * Gives the rows it holds.
 */
export async function rebuildSlaReport(db: Pool): Promise<number> {
  return await withTransaction(db, async (client) => {
    await client.query('SELECT sla_report_rebuild()');
    const { rows } = await client.query<{ rows: number }>('SELECT count(*)::int AS rows FROM sla_report');
    return rows[0]!.rows;
  });
}
