/**
 * Where a notice's lateness goes, read from the workflows' own histories (bench/notice-lateness.bench.ts): the
 * server's timer firing after the deadline, the workflow task waiting for a worker and running, the activity waiting
 * for a worker and running. Each step is the difference of two event times the server wrote, so the legs of one
 * notice add up to the instant its activity ended; what happens after (the outbox's dispatcher) is measured apart.
 */
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The instants of one notice's way through Temporal, epoch ms. */
export interface NoticePath {
  /** The deadline the notice is about. */
  dueAt: number;
  timerFiredAt: number;
  taskScheduledAt: number;
  taskStartedAt: number;
  taskCompletedAt: number;
  activityScheduledAt: number;
  activityStartedAt: number;
  activityClosedAt: number;
}

/** The legs reported, each the difference of two instants of a NoticePath, in the order a notice goes through them. */
export const LEGS = [
  ['timer fired', 'dueAt', 'timerFiredAt', 'deadline -> TimerFired (the server)'],
  ['workflow task waits', 'taskScheduledAt', 'taskStartedAt', 'task scheduled -> taken by a worker'],
  ['workflow task runs', 'taskStartedAt', 'taskCompletedAt', 'taken -> completed (the worker)'],
  ['activity waits', 'activityScheduledAt', 'activityStartedAt', 'activity scheduled -> taken (schedule-to-start)'],
  ['activity runs', 'activityStartedAt', 'activityClosedAt', 'taken -> completed'],
] as const satisfies ReadonlyArray<readonly [string, keyof NoticePath, keyof NoticePath, string]>;

const at = (event: HistoryEvent | undefined) => (event ? tsToMs(event.eventTime) : NaN);
const id = (event: HistoryEvent) => Number(event.eventId);

/**
 * Each run of the activity `activityType` in `events`, with the timer and workflow task that led to it: the workflow
 * task that scheduled it, and the last timer that fired before that task was scheduled. `dueOf` says which deadline
 * a run is about, from its arguments; undefined leaves the run out.
 */
export function noticePaths(
  events: readonly HistoryEvent[],
  activityType: string,
  dueOf: (args: unknown[]) => number | undefined,
): NoticePath[] {
  const byId = new Map(events.map((event) => [id(event), event]));
  const paths: NoticePath[] = [];
  for (const scheduled of events) {
    const attributes = scheduled.activityTaskScheduledEventAttributes;
    if (!attributes || attributes.activityType?.name !== activityType) continue;
    const args = (attributes.input?.payloads ?? []).map((payload) =>
      payload.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as unknown) : undefined,
    );
    const dueAt = dueOf(args);
    if (dueAt === undefined) continue;
    const completed = byId.get(Number(attributes.workflowTaskCompletedEventId));
    const taskScheduled = byId.get(Number(completed?.workflowTaskCompletedEventAttributes?.scheduledEventId));
    const taskStarted = byId.get(Number(completed?.workflowTaskCompletedEventAttributes?.startedEventId));
    const timerFired = events
      .filter((event) => event.timerFiredEventAttributes && taskScheduled && id(event) < id(taskScheduled))
      .at(-1);
    const closed = events.find((event) => {
      const closing =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes;
      return closing && Number(closing.scheduledEventId) === id(scheduled);
    });
    const startedId =
      closed?.activityTaskCompletedEventAttributes?.startedEventId ??
      closed?.activityTaskFailedEventAttributes?.startedEventId;
    paths.push({
      dueAt,
      timerFiredAt: at(timerFired),
      taskScheduledAt: at(taskScheduled),
      taskStartedAt: at(taskStarted),
      taskCompletedAt: at(completed),
      activityScheduledAt: at(scheduled),
      activityStartedAt: at(byId.get(Number(startedId))),
      activityClosedAt: at(closed),
    });
  }
  return paths;
}

/**
 * The histories of `workflowIds`, `concurrency` at a time, each handed to `read` as it arrives; returns how many could
 * not be read (a server too busy to answer within the client's deadline), which the breakdown then leaves out.
 */
export async function readHistories(
  client: Client,
  workflowIds: readonly string[],
  concurrency: number,
  read: (workflowId: string, events: HistoryEvent[]) => void,
): Promise<number> {
  let next = 0;
  let unread = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, workflowIds.length) }, async () => {
      while (next < workflowIds.length) {
        const workflowId = workflowIds[next++]!;
        const history = await client.workflow
          .getHandle(workflowId)
          .fetchHistory()
          .catch(() => undefined);
        if (history) read(workflowId, history.events ?? []);
        else unread += 1;
      }
    }),
  );
  return unread;
}
