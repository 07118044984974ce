import type { Interval } from '../calendar/intervals';
import type { Metric } from '../policy/vocabulary';

/**
 * An SLA clock as plain data (it travels in workflow state, queries and continue-as-new). Calendar maths is not
 * done here: deadlines and threshold instants come from a plan computed on the policy's calendar, and this module
 * only decides, from instants, what is running, what is due and what was breached.
 */
export interface ThresholdPlan {
  percent: number;
  /** Epoch ms at which this share of the target is consumed, pauses accounted for. */
  at: number;
  /** Roles to notify; a warning below every escalation level tells the desk. */
  notify: string[];
}

export interface ClockPlan {
  metric: Metric;
  deadline: number;
  thresholds: ThresholdPlan[];
}

export interface SlaClock {
  metric: Metric;
  /** Null for a best-effort metric: the clock only records when it stopped. */
  deadline: number | null;
  thresholds: ThresholdPlan[];
  /** Closed stretches during which this clock stood still (wall instants). */
  pauses: Interval[];
  pausedSince?: number;
  stoppedAt?: number;
  breachedAt?: number;
}

export function newClock(metric: Metric): SlaClock {
  return { metric, deadline: null, thresholds: [], pauses: [] };
}

export const isRunning = (clock: SlaClock): boolean => clock.stoppedAt === undefined && clock.pausedSince === undefined;

export function pause(clock: SlaClock, at: number): void {
  if (isRunning(clock)) clock.pausedSince = at;
}

/** Ends the open pause; the caller re-plans the clock so that its deadline moves by the paused business time. */
export function resume(clock: SlaClock, at: number): void {
  if (clock.pausedSince === undefined || clock.stoppedAt !== undefined) return;
  if (at > clock.pausedSince) clock.pauses.push([clock.pausedSince, at]);
  delete clock.pausedSince;
}

/**
 * Stops the clock for good: its metric is met, or breached if the deadline had passed. A paused clock stops where
 * it stood still (a resolution accepted weeks after it was proposed was delivered when it was proposed).
 */
export function stop(clock: SlaClock, at: number): void {
  if (clock.stoppedAt !== undefined) return;
  const stoppedAt = clock.pausedSince ?? at;
  delete clock.pausedSince;
  clock.stoppedAt = stoppedAt;
  if (clock.deadline !== null && stoppedAt > clock.deadline && clock.breachedAt === undefined)
    clock.breachedAt = clock.deadline;
}

export function applyPlan(clock: SlaClock, plan: ClockPlan | undefined): void {
  clock.deadline = plan?.deadline ?? null;
  clock.thresholds = plan?.thresholds ?? [];
}

/** A threshold is identified by clock, percent and arming generation: it is notified at most once. */
export function thresholdKey(metric: Metric, percent: number, generation: number): string {
  return `${metric}:${percent}:g${generation}`;
}

export interface DueThreshold extends ThresholdPlan {
  metric: Metric;
  key: string;
}

/** Thresholds of running clocks that are reached at `now` and not yet notified, in the order they were reached. */
export function dueThresholds(
  clocks: readonly SlaClock[],
  now: number,
  generation: number,
  notified: ReadonlySet<string>,
): DueThreshold[] {
  return clocks
    .filter(isRunning)
    .flatMap((clock) =>
      clock.thresholds.map((threshold) => ({
        ...threshold,
        metric: clock.metric,
        key: thresholdKey(clock.metric, threshold.percent, generation),
      })),
    )
    .filter((threshold) => threshold.at <= now && !notified.has(threshold.key))
    .sort((a, b) => a.at - b.at || a.percent - b.percent);
}

/** The next instant at which a running clock reaches a threshold not yet notified. */
export function nextThresholdAt(
  clocks: readonly SlaClock[],
  generation: number,
  notified: ReadonlySet<string>,
): number | undefined {
  const pending = clocks
    .filter(isRunning)
    .flatMap((clock) =>
      clock.thresholds.filter((threshold) => !notified.has(thresholdKey(clock.metric, threshold.percent, generation))),
    )
    .map((threshold) => threshold.at);
  return pending.length === 0 ? undefined : Math.min(...pending);
}

/** Marks running clocks whose deadline has passed. Returns the metrics newly breached. */
export function markBreaches(clocks: readonly SlaClock[], now: number): Metric[] {
  const breached: Metric[] = [];
  for (const clock of clocks) {
    if (isRunning(clock) && clock.deadline !== null && clock.deadline <= now && clock.breachedAt === undefined) {
      clock.breachedAt = clock.deadline;
      breached.push(clock.metric);
    }
  }
  return breached;
}

/** The earliest deadline still ahead of a running clock: what ops sort the queue by. */
export function nextDeadline(clocks: readonly SlaClock[]): number | undefined {
  const ahead = clocks
    .filter((clock) => isRunning(clock) && clock.deadline !== null && clock.breachedAt === undefined)
    .map((clock) => clock.deadline!);
  return ahead.length === 0 ? undefined : Math.min(...ahead);
}

/** Every closed pause, plus the open one up to `until`: what business-time maths must leave out. */
export function pausesUntil(clock: SlaClock, until: number): Interval[] {
  return clock.pausedSince === undefined || until <= clock.pausedSince
    ? clock.pauses
    : [...clock.pauses, [clock.pausedSince, until]];
}

/**
 * When a ticket is at risk: from the first warning of one of its running clocks (its first threshold below 100 %,
 * the instant the policy's first warning notice goes out: the warnings and escalation levels of the policy), until
 * that clock's deadline, when it is breached. Undefined while no running clock has a deadline ahead with a warning
 * before it (a best-effort desk, a policy that warns of nothing before the deadline, every clock stopped or paused).
 * The read model keeps it (tickets.at_risk_from), so that lists and reports ask `at_risk_from <= now`.
 */
export function atRiskFrom(clocks: readonly SlaClock[]): number | undefined {
  const warnings = clocks
    .filter((clock) => isRunning(clock) && clock.deadline !== null && clock.breachedAt === undefined)
    .flatMap((clock) =>
      clock.thresholds.filter((threshold) => threshold.percent < 100).map((threshold) => threshold.at),
    );
  return warnings.length === 0 ? undefined : Math.min(...warnings);
}

export type SlaRisk = 'breached' | 'at-risk';

/**
 * A ticket's SLA state at `now`, from what the read model keeps of it: breached when flagged, or when its next
 * deadline has passed before the workflow's timer recorded it; at risk from atRiskFrom on; otherwise neither. The board,
 * GET /v1/tickets?atRisk=true and GET /v1/reports/at-risk all say it this way (db/ticket-queries.ts in SQL).
 */
export function slaRiskAt(
  ticket: { slaBreached: boolean; nextDeadline?: number; atRiskFrom?: number },
  now: number,
): SlaRisk | undefined {
  if (ticket.slaBreached || (ticket.nextDeadline !== undefined && ticket.nextDeadline <= now)) return 'breached';
  return ticket.atRiskFrom !== undefined && ticket.atRiskFrom <= now ? 'at-risk' : undefined;
}
