import type { Channel } from '../../messages/principal';
import type {
  BillingSummary,
  OpenTicketInput,
  Quote,
  RegistrationRefusal,
  TicketEvent,
  TicketState,
  TimeEntry,
} from '../../messages/ticket';
import { ACTION_TABLE, type TicketActionName } from '../../messages/ticket-actions';
import type { Metric, Priority } from '../policy/vocabulary';
import { METRICS } from '../policy/vocabulary';
import { newClock, pause, resume, stop, type SlaClock } from '../sla/clock';
import type { TicketStatus } from './status';

/**
 * What happens to a ticket, as facts: `decide` (decide.ts) and the ticket's own steps (steps.ts) produce them,
 * `evolve` applies them. Each carries what the ticket's log shows of it (`by`, `note`) and the data it changes.
 */
interface Fact<Type extends string> {
  type: Type;
  at: number;
  by?: string;
  /** Who acted for sure, and through which channel, when a person, a key or a mail did (decide.ts stamps them). */
  actorId?: string;
  channel?: Channel;
  note?: string;
}

export type TicketChange =
  | (Fact<'taken-in-charge'> & { by: string })
  | (Fact<'intervention-started'> & { by: string })
  | (Fact<'time-logged'> & { by: string; entry: TimeEntry })
  | (Fact<'priority-set'> & { by: string; priority: Priority })
  | (Fact<'reassigned'> & { by: string; assignee: string })
  | Fact<'waiting-for-customer'>
  | Fact<'customer-replied'>
  | (Fact<'workaround-provided'> & { stopsResolutionClock: boolean })
  | (Fact<'resolution-proposed'> & { resolution: string; entry?: TimeEntry })
  | Fact<'validated'>
  | Fact<'rejected'>
  | (Fact<'cancelled'> & { reason: string })
  | (Fact<'estimate-recorded'> & { estimateMinutes: number; remark?: string })
  | (Fact<'quote-submitted'> & { quote: Quote; remark?: string })
  | Fact<'quote-accepted'>
  | (Fact<'quote-declined'> & { reason?: string })
  | (Fact<'release-scheduled'> & { releaseAt: number })
  | (Fact<'refused'> & { refusal: RegistrationRefusal })
  | (Fact<'acknowledged'> & { notified?: string[] })
  | (Fact<'sla-threshold'> & { key: string; metric: Metric; percent: number; notified: string[] })
  | (Fact<'sla-breached'> & { metric: Metric })
  | Fact<'release-due'>
  | Fact<'auto-validated'>
  | (Fact<'billed'> & { billing: BillingSummary });

export type TicketChangeType = TicketChange['type'];

/** Where each fact leads: the action table's statuses for people's actions, the ticket's own for its steps. */
const STATUS_AFTER: Partial<Record<TicketChangeType, TicketStatus>> = {
  ...Object.fromEntries(
    (Object.keys(ACTION_TABLE) as TicketActionName[]).flatMap((name) => {
      const { to, events } = ACTION_TABLE[name];
      return to === undefined ? [] : events.map((event) => [event, to]);
    }),
  ),
  acknowledged: 'acknowledgement',
  refused: 'refused',
  'release-due': 'support',
  'auto-validated': 'closed',
};

/**
 * A ticket as registered, before its clocks are planned: an emergency is P1 at once, excluded work waits for a quote.
 * Its `opened` event names who opened it as authenticated; an input without `openedBy` (opened before it was
 * recorded) names the contact, as it always did.
 */
export function openedTicket({ openedBy, ...input }: OpenTicketInput, now: number): TicketState {
  const emergency = input.channel === 'emergency';
  const opener = openedBy
    ? { by: openedBy.actor, actorId: openedBy.actorId, channel: openedBy.channel }
    : { by: input.contact.email };
  return {
    ...input,
    status: 'request',
    revision: 1,
    openedAt: now,
    priority: emergency ? 'P1' : input.priority,
    priorityConfirmed: emergency,
    clocks: METRICS.map(newClock),
    slaBreached: false,
    thresholdGeneration: 1,
    notifiedThresholds: [],
    timeEntries: [],
    events: [{ at: now, type: 'opened', ...opener }],
    ...(input.scope === 'excluded' ? { quote: { status: 'required', reason: 'excluded-work' } } : {}),
  };
}

const copyClock = (clock: SlaClock): SlaClock => ({
  ...clock,
  pauses: [...clock.pauses],
  thresholds: [...clock.thresholds],
});

/** The clocks' changes a fact makes, on copies: a paused clock stops where it stood, every pause is given back on resume. */
function clocksAfter(clocks: readonly SlaClock[], change: TicketChange): SlaClock[] {
  const next = clocks.map(copyClock);
  const each = (metrics: readonly Metric[], act: (clock: SlaClock, at: number) => void) =>
    next.filter((clock) => metrics.includes(clock.metric)).forEach((clock) => act(clock, change.at));
  switch (change.type) {
    case 'taken-in-charge':
      each(['response'], stop);
      break;
    case 'intervention-started':
      each(['intervention'], stop);
      break;
    case 'waiting-for-customer':
    case 'release-scheduled':
    case 'quote-submitted':
      each(METRICS, pause);
      break;
    case 'customer-replied':
    case 'quote-accepted':
    case 'release-due':
      each(METRICS, resume);
      break;
    case 'workaround-provided':
      if (change.stopsResolutionClock) each(['resolution'], stop);
      break;
    case 'resolution-proposed':
      // Proposing a resolution means the intervention happened; the resolution clock waits on the customer's answer.
      each(['intervention'], stop);
      each(['resolution'], pause);
      break;
    case 'rejected':
      each(['resolution'], resume);
      break;
    case 'validated':
    case 'auto-validated':
    case 'cancelled':
    case 'quote-declined':
    case 'refused':
      each(METRICS, stop);
      break;
    case 'sla-breached':
      next
        .filter((clock) => clock.metric === change.metric && clock.breachedAt === undefined)
        .forEach((clock) => (clock.breachedAt = clock.deadline ?? change.at));
      break;
    default:
      return clocks as SlaClock[];
  }
  return next;
}

/** The ticket's own record of a fact: what it shows in its event log. */
function logged(change: TicketChange): TicketEvent {
  const { at, type, by, actorId, channel, note } = change;
  const given = {
    by,
    actorId,
    channel,
    note,
    ...(change.type === 'sla-threshold' || change.type === 'sla-breached' ? { metric: change.metric } : {}),
    ...(change.type === 'sla-threshold' ? { percent: change.percent, notified: change.notified } : {}),
    ...(change.type === 'acknowledged' && change.notified ? { notified: change.notified } : {}),
    ...(change.type === 'estimate-recorded' ? { estimateMinutes: change.estimateMinutes, remark: change.remark } : {}),
    ...(change.type === 'quote-submitted'
      ? {
          estimateMinutes: change.quote.estimateMinutes,
          amountCents: change.quote.amountCents,
          quoteReason: change.quote.reason,
          remark: change.remark,
        }
      : {}),
  };
  return { at, type, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
}

const closing = (at: number): Partial<TicketState> => ({ validatedAt: at, autoValidateAt: undefined });

/** The fields a fact sets, beside its clocks, status and log entry. */
function fieldsAfter(state: TicketState, change: TicketChange): Partial<TicketState> {
  switch (change.type) {
    case 'taken-in-charge':
      return { assignee: change.by, takenInChargeAt: change.at };
    case 'intervention-started':
      return { interventionStartedAt: change.at, assignee: state.assignee ?? change.by };
    case 'time-logged':
      return { timeEntries: [...state.timeEntries, change.entry] };
    case 'priority-set':
      // A new priority starts a new generation of thresholds: deadlines count from registration under it.
      return change.priority === state.priority
        ? { priorityConfirmed: true }
        : { priority: change.priority, priorityConfirmed: true, thresholdGeneration: state.thresholdGeneration + 1 };
    case 'reassigned':
      return { assignee: change.assignee };
    case 'workaround-provided':
      return { workaroundAt: change.at };
    case 'resolution-proposed':
      return {
        resolution: change.resolution,
        resolutionProposedAt: change.at,
        ...(change.entry ? { timeEntries: [...state.timeEntries, change.entry] } : {}),
      };
    case 'validated':
      return { ...closing(change.at), validatedBy: change.by };
    case 'auto-validated':
      return { ...closing(change.at), validatedBy: 'auto-validation' };
    case 'rejected':
      return { autoValidateAt: undefined };
    case 'cancelled':
      return { cancelledAt: change.at, cancelReason: change.reason, autoValidateAt: undefined };
    case 'quote-submitted':
      return { quote: change.quote };
    case 'quote-accepted':
      return { quote: { ...state.quote!, status: 'accepted', decidedBy: change.by, decidedAt: change.at } };
    case 'quote-declined':
      return {
        quote: {
          ...state.quote!,
          status: 'declined',
          decidedBy: change.by,
          decidedAt: change.at,
          declineReason: change.reason,
        },
        cancelledAt: change.at,
        cancelReason: `quote declined${change.reason ? `: ${change.reason}` : ''}`,
      };
    case 'release-scheduled':
      return { releaseAt: change.releaseAt };
    case 'refused':
      return { refusal: change.refusal };
    case 'acknowledged':
      return { acknowledgedAt: change.at };
    case 'sla-threshold':
      return { notifiedThresholds: [...state.notifiedThresholds, change.key] };
    case 'sla-breached':
      return { slaBreached: true };
    case 'billed':
      return { billing: change.billing };
    default:
      return {};
  }
}

/** The ticket after one fact. Pure: the state given is left as it was. */
export function evolve(state: TicketState, change: TicketChange): TicketState {
  const next: TicketState = {
    ...state,
    ...fieldsAfter(state, change),
    status: STATUS_AFTER[change.type] ?? state.status,
    clocks: clocksAfter(state.clocks, change),
    events: [...state.events, logged(change)],
  };
  // A field set to undefined is a field gone: the state travels as JSON, where the two are one.
  for (const key of Object.keys(next) as (keyof TicketState)[]) if (next[key] === undefined) delete next[key];
  return next;
}

/** The ticket after one committed change: its facts in order, one revision more. */
export function applyChanges(state: TicketState, changes: readonly TicketChange[]): TicketState {
  return { ...changes.reduce(evolve, state), revision: state.revision + 1 };
}
