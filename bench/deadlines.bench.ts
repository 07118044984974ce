/**
 * Deadline computations per second for each preset, over registration instants
 * spread across 2026, beside the naive minute-stepping reference of the tests.
 * Run with `npm run bench`; numbers depend on the machine, so this is not a test.
 */
import { DAY_MS, businessTimeBetween, deadlineOf } from '../domain/calendar';
import { PRIORITIES, TICKET_KINDS, deadlinesFor } from '../domain/policy';
import type { Policy } from '../domain/policy';
import { findPolicy, listPolicies } from '../policies/registry';
import { NaiveCalendar, naiveDeadline } from '../test/domain/reference/naive-calendar';

const YEAR_START = Date.UTC(2026, 0, 1);
const FAST_SAMPLES = 20_000;
const NAIVE_SAMPLES = 40;

// Seeded so that two runs time the same instants.
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Sample {
  readonly registeredAt: number;
  readonly kind: (typeof TICKET_KINDS)[number];
  readonly priority: (typeof PRIORITIES)[number];
}

function samples(count: number, seed: number): Sample[] {
  const next = sequence(seed);
  return Array.from({ length: count }, () => ({
    registeredAt: YEAR_START + Math.floor(next() * 365 * 24 * 60) * 60_000,
    kind: TICKET_KINDS[Math.floor(next() * TICKET_KINDS.length)] ?? 'incident',
    priority: PRIORITIES[Math.floor(next() * PRIORITIES.length)] ?? 'P3',
  }));
}

function ratePerSecond(run: () => void, count: number): number {
  const started = process.hrtime.bigint();
  run();
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function naiveDeadlines(policy: Policy, { registeredAt, kind, priority }: Sample): void {
  const calendar = new NaiveCalendar(
    policy.document.calendars[policy.document.calendarByKind[kind]] ?? { zone: 'UTC', open: [] },
  );
  for (const metric of ['response', 'intervention', 'resolution'] as const) {
    const target = policy.targetFor(metric, priority);
    if (target) naiveDeadline(calendar, registeredAt, target);
  }
}

function microseconds(run: () => void, count: number): string {
  return (
    1e6 /
    ratePerSecond(() => {
      for (let i = 0; i < count; i++) run();
    }, count)
  ).toFixed(1);
}

const rows = listPolicies().map(({ id }) => {
  const policy = findPolicy(id);
  const hasTargets = Object.values(policy.document.targets).some(
    (byPriority) => Object.keys(byPriority ?? {}).length > 0,
  );
  const fast = samples(FAST_SAMPLES, 1);
  deadlinesFor(policy, fast[0] ?? { registeredAt: YEAR_START, kind: 'incident', priority: 'P3' }); // warm the year caches
  const fastRate = ratePerSecond(() => fast.forEach((sample) => deadlinesFor(policy, sample)), fast.length);
  const naive = samples(NAIVE_SAMPLES, 2);
  const naiveRate = hasTargets
    ? ratePerSecond(() => naive.forEach((sample) => naiveDeadlines(policy, sample)), naive.length)
    : undefined;

  const calendar = policy.calendarFor('incident');
  const yearElapsed = microseconds(() => businessTimeBetween(calendar, YEAR_START, YEAR_START + 365 * DAY_MS), 2_000);
  const yearAhead = microseconds(() => deadlineOf(calendar, YEAR_START, { amount: 200, unit: 'businessDays' }), 2_000);
  return {
    preset: id,
    'deadlines/s': Math.round(fastRate),
    'naive/s': naiveRate === undefined ? 'no targets' : naiveRate.toFixed(1),
    ratio: naiveRate === undefined ? '-' : `${Math.round(fastRate / naiveRate)}x`,
    'µs: 1 year elapsed': yearElapsed,
    'µs: 200 business days': yearAhead,
  };
});

console.log(
  `${FAST_SAMPLES} registrations (naive: ${NAIVE_SAMPLES}) at random minutes of 2026, random kind and priority; all metrics per computation`,
);
console.table(rows);
