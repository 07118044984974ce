// increments.ts, not the pricing index: workflow code imports this module and must not bundle the holiday tables.
import { startedMinutes } from '../pricing/increments';
import type { PolicyTerms } from '../policy/terms';
import { TicketRuleError } from './lifecycle';

/**
 * The rules on time logged on a ticket that the policy's terms set, beyond its status and rate card:
 * - the quote gate (the econnect presets, "lorsque les interventions demandées dépassent le cadre d'une journée, e-connect envoie
 *   un devis … afin de valider l'intervention"): the time logged on a ticket never passes `quoteRequiredAboveMinutes`
 *   without a quote the customer accepted, nor an accepted quote's estimate without a new one;
 * - the people limit (the care-solutions preset, "max trois intervenants"): at most `maxPeoplePerTicket.people` distinct people log
 *   time on a ticket under the services it names.
 * Pure: the workflow hands in the ticket's entries, quote and terms, and refuses what these functions return.
 */

/** The fields of a time entry these rules read. */
export interface LoggedTime {
  agent: string;
  start: number;
  end: number;
  service?: string;
}

/** The fields of a ticket's quote these rules read. */
export interface QuoteStanding {
  status: 'required' | 'submitted' | 'accepted' | 'declined';
  estimateMinutes?: number;
}

export interface TimeRuleContext {
  /** Named in refusals, so that the agent knows where to submit the quote. */
  ticketNumber?: string;
  entries: readonly LoggedTime[];
  quote?: QuoteStanding;
  terms?: Pick<PolicyTerms, 'quoteRequiredAboveMinutes' | 'maxPeoplePerTicket'>;
}

/** The minutes an entry counts for: the started minutes worked, as billed; travel is not intervention time. */
export const entryMinutes = (entry: LoggedTime): number => startedMinutes(entry.end - entry.start);

export const loggedMinutes = (entries: readonly LoggedTime[]): number =>
  entries.reduce((sum, entry) => sum + entryMinutes(entry), 0);

/**
 * How many minutes may be logged on the ticket in all; undefined without a quote limit. An accepted quote lifts the
 * policy's limit to its estimate (the whole intervention's, time logged before it included), never below the limit.
 */
export function allowedMinutes({ quote, terms }: Pick<TimeRuleContext, 'quote' | 'terms'>): number | undefined {
  const limit = terms?.quoteRequiredAboveMinutes;
  if (limit === undefined) return undefined;
  return quote?.status === 'accepted' ? Math.max(limit, quote.estimateMinutes ?? 0) : limit;
}

/** The quote gate: an entry that would take the ticket's time past what is allowed unquoted, or quoted, is refused. */
export function quoteGateRefusal(context: TimeRuleContext, entry: LoggedTime): TicketRuleError | undefined {
  const allowed = allowedMinutes(context);
  if (allowed === undefined) return undefined;
  const logged = loggedMinutes(context.entries);
  const minutes = entryMinutes(entry);
  if (logged + minutes <= allowed) return undefined;
  const minutesLeft = Math.max(0, allowed - logged);
  const quoted = context.quote?.status === 'accepted' && allowed > context.terms!.quoteRequiredAboveMinutes!;
  const rule = quoted
    ? `the accepted quote covers ${allowed} min of work on this ticket`
    : `work beyond ${allowed} min on a ticket needs a quote the customer has accepted`;
  const next = quoted
    ? 'submit a new quote estimating the whole intervention'
    : 'submit a quote estimating the whole intervention';
  return new TicketRuleError(
    'QUOTE_REQUIRED',
    `${rule}: ${logged} min logged, ${minutesLeft} min left, this entry is ${minutes} min; ${next} (POST /v1/tickets/${context.ticketNumber ?? ':number'}/quote) and log the rest once the customer accepts it`,
    { allowedMinutes: allowed, loggedMinutes: logged, minutesLeft, entryMinutes: minutes },
  );
}

const limitedBy = (terms: TimeRuleContext['terms'], entry: LoggedTime): boolean => {
  const services = terms?.maxPeoplePerTicket?.services;
  return services === undefined || (entry.service !== undefined && services.includes(entry.service));
};

/** The people who logged time on the ticket that the people limit counts, in the order they first did. */
export function countedPeople({ entries, terms }: Pick<TimeRuleContext, 'entries' | 'terms'>): string[] {
  return [...new Set(entries.filter((entry) => limitedBy(terms, entry)).map((entry) => entry.agent))];
}

/** The people limit: a person beyond the limit logging time it counts is refused; those already counted go on. */
export function peopleLimitRefusal(context: TimeRuleContext, entry: LoggedTime): TicketRuleError | undefined {
  const limit = context.terms?.maxPeoplePerTicket;
  if (!limit || !limitedBy(context.terms, entry)) return undefined;
  const people = countedPeople(context);
  if (people.includes(entry.agent) || people.length < limit.people) return undefined;
  const services = limit.services ? ` under ${limit.services.join(', ')}` : '';
  return new TicketRuleError(
    'TOO_MANY_PEOPLE',
    `at most ${limit.people} people may log time on one ticket${services}, and ${people.join(', ')} already have: ${entry.agent} cannot; one of them logs this time`,
    { maxPeople: limit.people, people, ...(limit.services ? { services: limit.services } : {}) },
  );
}

/** Every rule on logged time, in order: the first that refuses the entry, or nothing. */
export function timeRuleRefusal(context: TimeRuleContext, entry: LoggedTime): TicketRuleError | undefined {
  return peopleLimitRefusal(context, entry) ?? quoteGateRefusal(context, entry);
}

/**
 * Whether a quote may replace the accepted one: only to extend the work past it (an estimate above it), where the
 * policy gates time on quotes. Otherwise a second quote is refused as already done.
 */
export function mayReviseQuote(
  { quote, terms }: Pick<TimeRuleContext, 'quote' | 'terms'>,
  estimateMinutes: number,
): boolean {
  return (
    terms?.quoteRequiredAboveMinutes !== undefined &&
    quote?.status === 'accepted' &&
    estimateMinutes > (quote.estimateMinutes ?? 0)
  );
}
