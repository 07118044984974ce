/**
 * The actions the run sends, each carrying a unique marker that the ticket shows again once applied (a time entry's
 * note, a reassignment's agent, a question, a reply, a reason): counting the marker on the ticket tells an action
 * applied once from one lost or doubled, whatever else happened to the ticket meanwhile.
 */
import type { ChaosRequest } from './client';
import type { Intent, TimeSpan } from './ledger';

export type ActionKind = 'time-entry' | 'reassign' | 'priority' | 'wait' | 'reply';

export interface TicketLike {
  title?: string;
  status?: string;
  revision?: number;
  timeEntries?: { note?: string }[];
  events?: { type: string; note?: string }[];
}

export interface PlannedAction {
  request: ChaosRequest;
  intent: Omit<Intent, 'status'>;
}

let sequence = 0;
/** Markers of one run never contain one another: fixed width between brackets. */
export const marker = (scenario: string, label = 'x') =>
  `[${scenario} ${label} ${String((sequence += 1)).padStart(5, '0')}]`;

/** Each entry gets a minute of its own, long enough ago to be past, so that no two entries share a start. */
const ENTRIES_FROM = Date.now() - 20 * 3_600_000;
let entryMinute = 0;
function nextSpan(): TimeSpan {
  const start = ENTRIES_FROM + (entryMinute += 1) * 60_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 45_000).toISOString() };
}

/** One action of `kind` on `ticket`; with `keyed`, its Idempotency-Key is the marker itself (unique per intent). */
export function plannedAction(scenario: string, ticket: string, kind: ActionKind, keyed: boolean): PlannedAction {
  const mark = marker(scenario, kind);
  const path = `/v1/tickets/${ticket}/${kind === 'time-entry' ? 'time-entries' : kind === 'wait' ? 'wait-for-customer' : kind === 'reply' ? 'customer-reply' : kind}`;
  const entry = kind === 'time-entry' ? nextSpan() : undefined;
  const body =
    kind === 'time-entry'
      ? { agent: 'chaos-agent', ...entry, note: mark }
      : kind === 'reassign'
        ? { agent: mark, by: 'chaos-lead' }
        : kind === 'priority'
          ? { priority: sequence % 2 === 0 ? 'P2' : 'P3', by: 'chaos-lead', reason: mark }
          : kind === 'wait'
            ? { agent: 'chaos-agent', question: mark }
            : { contact: 'ana@acme.lu', message: mark };
  return {
    request: {
      method: 'POST',
      path,
      body,
      as: kind === 'reply' ? 'customer' : 'agent',
      ...(keyed ? { idempotencyKey: mark } : {}),
    },
    intent: { scenario, kind: 'action', marker: mark, ticket, keyed, ...(entry ? { entry } : {}) },
  };
}

/** How many times the ticket shows the marker: 1 for an applied action, 0 for one not applied. */
export function occurrences(ticket: TicketLike, mark: string): number {
  const entries = (ticket.timeEntries ?? []).filter((entry) => entry.note === mark).length;
  // A time entry's own event says "N min", never its note: counting it too would count the entry twice.
  const events = (ticket.events ?? []).filter(
    (event) => event.type !== 'time-logged' && (event.note ?? '').includes(mark),
  ).length;
  return entries + events;
}

export const OPENING_CONTACT = { name: 'Ana Lopes', email: 'ana@acme.lu' };

/** An opening whose title is its marker, so that tickets can be counted per intent in PostgreSQL and Temporal. */
export function plannedOpening(scenario: string, customerId: string): PlannedAction {
  const mark = marker(scenario, 'open');
  return {
    request: {
      method: 'POST',
      path: '/v1/tickets',
      as: 'agent',
      idempotencyKey: mark,
      body: {
        customerId,
        priority: 'P3',
        title: mark,
        description: 'Opened by the chaos run.',
        contact: OPENING_CONTACT,
      },
    },
    intent: { scenario, kind: 'open', marker: mark, keyed: true },
  };
}
