import type { Channel } from '../../messages/principal';
import type { TicketState } from '../../messages/ticket';
import type { CommandOf, TicketActionName, TicketCommand } from '../../messages/ticket-actions';
import { DomainError, InvalidArgumentError } from '../errors';
import { startedMinutes } from '../pricing/increments';
import { INTERVENTION_FLAGS, interventionFlagsOf } from '../pricing/intervention-flags';
import { checkEntryAgainstRateCard } from '../pricing/rate-card';
import type { TicketChange } from './evolve';
import { transition, TicketRuleError } from './lifecycle';
import { mayReviseQuote, timeRuleRefusal, type LoggedTime } from './time-rules';

/** What the clocks need after a change: planned again from registration (`rearm`: thresholds and breaches anew). */
export interface Replan {
  /** The instant a resolution was proposed: the plan says when it validates itself, where the policy says so. */
  autoValidationFrom?: number;
  /** A new priority: breaches its new deadlines no longer justify are lifted. */
  rearm?: boolean;
}

export type Decision =
  { accepted: true; changes: TicketChange[]; replan?: Replan } | { accepted: false; refusal: DomainError };

type Rule<Name extends TicketActionName> = (
  ticket: TicketState,
  command: CommandOf<Name>,
  now: number,
) => { changes: TicketChange[]; replan?: Replan };

const only = (change: TicketChange, replan?: Replan) => ({ changes: [change], ...(replan ? { replan } : {}) });

/** Work outside the contract, or longer than the policy allows unquoted, waits for the customer's yes. */
function checkNoQuotePending(ticket: TicketState): void {
  const status = ticket.quote?.status;
  if (status === 'required' || status === 'submitted') {
    throw new TicketRuleError(
      'QUOTE_PENDING',
      'the customer has not accepted a quote for this work yet: no work can start before',
    );
  }
}

/** The policy's rules on time logged (domain/ticket/time-rules.ts: the quote gate, the people limit). */
function checkTimeRules(ticket: TicketState, entry: LoggedTime): void {
  const refusal = timeRuleRefusal(
    { ticketNumber: ticket.ticketNumber, entries: ticket.timeEntries, quote: ticket.quote, terms: ticket.terms },
    entry,
  );
  if (refusal) throw refusal;
}

function checkQuoteSubmitted(ticket: TicketState): void {
  if (ticket.quote?.status !== 'submitted')
    throw new TicketRuleError('NO_QUOTE', "there is no quote awaiting the customer's decision");
}

/**
 * Each action's guards and facts, beside its entry in the action table (messages/ticket-actions.ts), which already
 * holds its shape, roles and statuses. A guard throws a DomainError; `decide` turns it into a refusal.
 */
const RULES: { [Name in TicketActionName]: Rule<Name> } = {
  'take-charge': (_ticket, { actor }, now) => only({ type: 'taken-in-charge', at: now, by: actor }),

  'start-intervention': (ticket, { actor }, now) => {
    if (ticket.interventionStartedAt !== undefined)
      throw new TicketRuleError('ALREADY_DONE', 'the intervention has already started');
    checkNoQuotePending(ticket);
    return only({ type: 'intervention-started', at: now, by: actor });
  },

  'log-time': (ticket, { actor, ...logged }, now) => {
    // The time is the actor's own: whoever logs it worked it (the people limit counts them).
    const entry = { agent: actor, ...logged };
    if (entry.end <= entry.start) throw new InvalidArgumentError('end', 'an instant after start');
    if (entry.end > now) throw new TicketRuleError('TIME_IN_FUTURE', 'end: time can only be logged once worked');
    checkNoQuotePending(ticket);
    // Work outside the contract is billed at its accepted quote, not at the contract's rates.
    if (ticket.scope !== 'excluded') checkEntryAgainstRateCard(ticket.rateCard, entry);
    checkTimeRules(ticket, entry);
    return only({
      type: 'time-logged',
      at: now,
      by: entry.agent,
      entry,
      note: `${startedMinutes(entry.end - entry.start)} min${entry.onSite ? ' on site' : ''}`,
    });
  },

  'set-priority': (ticket, { priority, actor, reason }, now) => {
    const previous = ticket.priority;
    if (priority === previous && ticket.priorityConfirmed)
      throw new TicketRuleError('ALREADY_DONE', `the priority is already ${priority}`);
    const change =
      priority === previous
        ? `${priority} confirmed`
        : `${previous} → ${priority}, deadlines recomputed from registration`;
    return only(
      { type: 'priority-set', at: now, by: actor, priority, note: reason ? `${change}: ${reason}` : change },
      priority === previous ? undefined : { rearm: true },
    );
  },

  reassign: (ticket, { agent, actor }, now) => {
    if (agent === ticket.assignee)
      throw new TicketRuleError('ALREADY_DONE', `the ticket is already assigned to ${agent}`);
    return only({ type: 'reassigned', at: now, by: actor, assignee: agent, note: `to ${agent}` });
  },

  'wait-for-customer': (_ticket, { actor, question }, now) =>
    only({ type: 'waiting-for-customer', at: now, by: actor, note: question }),

  'customer-replied': (_ticket, { actor, message }, now) =>
    only({ type: 'customer-replied', at: now, by: actor, note: message }, {}),

  'provide-workaround': (ticket, { actor, description }, now) => {
    if (ticket.workaroundAt !== undefined)
      throw new TicketRuleError('ALREADY_DONE', 'a workaround has already been provided');
    return only({
      type: 'workaround-provided',
      at: now,
      by: actor,
      note: description,
      stopsResolutionClock: ticket.terms?.workaroundStopsResolutionClock ?? false,
    });
  },

  'propose-resolution': (ticket, { actor, resolution, minutesWorked, ...given }, now) => {
    checkNoQuotePending(ticket);
    // The intervention flags (domain/pricing/intervention-flags.ts) qualify the minutes worked: without them there is no intervention to carry them.
    const flags = interventionFlagsOf(given);
    const flag = INTERVENTION_FLAGS.find((name) => flags[name]);
    if (!minutesWorked && flag)
      throw new InvalidArgumentError(flag, 'to come with minutesWorked, the time it qualifies');
    // Minutes given here carry no role or service: only a flat-rate contract can price them.
    if (minutesWorked && ticket.scope !== 'excluded') checkEntryAgainstRateCard(ticket.rateCard, {});
    if (minutesWorked) checkTimeRules(ticket, { agent: actor, start: 0, end: minutesWorked * 60_000 });
    // The same entry log-time records, so that billing prices it as `vigil price` prices the same item.
    const entry = minutesWorked
      ? { entry: { agent: actor, start: now - minutesWorked * 60_000, end: now, onSite: false, ...flags } }
      : {};
    // Proposing stops the intervention clock and pauses the resolution clock, neither of which moves a deadline: the
    // plan would come back the same unless the policy validates the proposal itself after a delay on its calendar
    // (test/activities/clock-planner.test.ts checks it on every preset). Terms from before they said so replan.
    const autoValidates = ticket.terms?.autoValidates ?? true;
    return only(
      { type: 'resolution-proposed', at: now, by: actor, note: resolution, resolution, ...entry },
      autoValidates ? { autoValidationFrom: now } : undefined,
    );
  },

  validate: (_ticket, { actor, comment }, now) => only({ type: 'validated', at: now, by: actor, note: comment }),

  reject: (_ticket, { actor, reason }, now) => only({ type: 'rejected', at: now, by: actor, note: reason }, {}),

  cancel: (_ticket, { actor, reason }, now) => only({ type: 'cancelled', at: now, by: actor, note: reason, reason }),

  'submit-quote': (ticket, { actor, estimateMinutes, amountCents, note }, now) => {
    // Where time is gated on quotes, a quote estimating more than the accepted one extends the work past it.
    const extending = mayReviseQuote(ticket, estimateMinutes);
    if (!extending && (ticket.quote?.status === 'submitted' || ticket.quote?.status === 'accepted')) {
      const extend = ticket.quote.status === 'accepted' && ticket.terms?.quoteRequiredAboveMinutes !== undefined;
      throw new TicketRuleError(
        'ALREADY_DONE',
        `a quote is already ${ticket.quote.status}${extend ? `: a new quote extends it only by estimating more than its ${ticket.quote.estimateMinutes ?? 0} min` : ''}`,
      );
    }
    if (ticket.scope === 'excluded' && amountCents === undefined)
      throw new InvalidArgumentError('amountCents', 'the quoted price: work outside the contract is billed at it');
    const limit = ticket.terms?.quoteRequiredAboveMinutes;
    const reason =
      ticket.scope === 'excluded'
        ? 'excluded-work'
        : limit !== undefined && estimateMinutes > limit
          ? 'long-intervention'
          : undefined;
    // `note` keeps the English wording the API has always shown; the figures travel as data beside it, for the page
    // to word them in its reader's language (api/web/ticket-history.ts).
    const more = note ? `; ${note}` : '';
    if (!reason)
      return only({
        type: 'estimate-recorded',
        at: now,
        by: actor,
        note: `${estimateMinutes} min estimated: no quote needed${more}`,
        estimateMinutes,
        ...(note ? { remark: note } : {}),
      });
    return only({
      type: 'quote-submitted',
      at: now,
      by: actor,
      // The desk waits on the customer's decision: the clocks stand still meanwhile.
      quote: {
        status: 'submitted',
        reason,
        estimateMinutes,
        ...(amountCents === undefined ? {} : { amountCents }),
        submittedBy: actor,
        submittedAt: now,
      },
      note: `${estimateMinutes} min${amountCents === undefined ? '' : `, ${amountCents} cents`} (${reason})${more}`,
      ...(note ? { remark: note } : {}),
    });
  },

  'accept-quote': (ticket, { actor }, now) => {
    checkQuoteSubmitted(ticket);
    return only({ type: 'quote-accepted', at: now, by: actor }, {});
  },

  'decline-quote': (ticket, { actor, reason }, now) => {
    checkQuoteSubmitted(ticket);
    return only({ type: 'quote-declined', at: now, by: actor, note: reason, reason });
  },

  'schedule-release': (ticket, { actor, releaseAt }, now) => {
    if (ticket.kind !== 'change')
      throw new TicketRuleError(
        'NOT_A_CHANGE',
        `only a change request has a release date; this ticket is an ${ticket.kind}`,
      );
    if (releaseAt <= now) throw new InvalidArgumentError('releaseAt', 'an instant in the future');
    // The change waits for the date agreed with the customer: its clocks stand still until then.
    return only({ type: 'release-scheduled', at: now, by: actor, releaseAt, note: new Date(releaseAt).toISOString() });
  },
};

/** Every fact a command brings about is its actor's: who for sure, and through which channel, where the command says. */
function whoActed({ actorId, channel }: { actorId?: string; channel?: Channel }): {
  actorId?: string;
  channel?: Channel;
} {
  return { ...(actorId === undefined ? {} : { actorId }), ...(channel === undefined ? {} : { channel }) };
}

/**
 * Whether the ticket takes this command now, and what it changes: the facts to record and whether the clocks must be
 * planned again. Pure: the status rule of the action table first, then the action's own rules. The command's shape
 * is checked before (commands.ts), by the Update validator.
 */
export function decide(ticket: TicketState, { action, command }: TicketCommand, now: number): Decision {
  try {
    transition(ticket.status, action);
    const rule = RULES[action] as Rule<TicketActionName>;
    const { changes, replan } = rule(ticket, command, now);
    return {
      accepted: true,
      changes: changes.map((change) => ({ ...change, ...whoActed(command) })),
      ...(replan ? { replan } : {}),
    };
  } catch (error) {
    if (error instanceof DomainError) return { accepted: false, refusal: error };
    throw error;
  }
}
