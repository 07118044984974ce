import { deadlineOf } from '../calendar';
import type { Interval } from '../calendar';
import type { Policy } from './policy';
import { METRICS } from './vocabulary';
import type { Metric, Priority, TicketKind } from './vocabulary';

export interface DeadlineQuery {
  readonly kind: TicketKind;
  readonly priority: Priority;
  /** Registration instant (epoch ms): every deadline counts from it. */
  readonly registeredAt: number;
  /** Wall-clock stretches during which every clock stood still. */
  readonly pauses?: readonly Interval[];
}

/** Epoch ms per metric; null when the policy sets no target for it. */
export type Deadlines = Readonly<Record<Metric, number | null>>;

export function deadlinesFor(policy: Policy, { kind, priority, registeredAt, pauses = [] }: DeadlineQuery): Deadlines {
  const calendar = policy.calendarFor(kind);
  const entries = METRICS.map((metric) => {
    const target = policy.targetFor(metric, priority);
    return [metric, target ? deadlineOf(calendar, registeredAt, target, pauses) : null] as const;
  });
  return Object.fromEntries(entries) as Record<Metric, number | null>;
}
